import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './sudo-in-command.js';

function flagged(command: readonly string[]): boolean {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: p, namespace: n}
spec:
  containers:
    - name: c
      image: i
      command: ${JSON.stringify(command)}
`;
  return runOn([check], text).some((f) => f.status === 'fail');
}

describe('sudo-in-command', () => {
  it('finds sudo as a command word, also inside shell strings', () => {
    for (const cmd of [
      ['sudo', 'ls'],
      ['/usr/bin/sudo'],
      ['sh', '-c', 'sudo ls'],
      ['sh', '-c', 'cd /app; sudo ./run'],
      ['sh', '-c', 'make || sudo make install'],
      ['bash', '-c', 'echo $(sudo cat /etc/shadow)'],
      ['sh', '-c', 'if true; then sudo id; fi'],
      ['sh', '-c', 'exec sudo -u app ./start'],
    ])
      assert.equal(flagged(cmd), true, cmd.join(' '));
  });

  it('ignores sudo as part of other words or as plain text', () => {
    for (const cmd of [['pseudo'], ['./sudoku'], ['--no-sudo'], ['sh', '-c', 'echo sudo is not here'], ['grep', '-r', 'sudoers', '/etc']])
      assert.equal(flagged(cmd), false, cmd.join(' '));
  });
});
