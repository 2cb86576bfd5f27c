import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runOn } from '../../../test/support/fixtures.js';
import check from './privileged-port.js';

const fails = (text: string) => runOn([check], text).filter((f) => f.status === 'fail');

describe('privileged-port', () => {
  it('says whether the container can bind the port at all', () => {
    const text = readFileSync(new URL('./fixtures/fail.low-ports.yaml', import.meta.url), 'utf8');
    const byPointer = new Map(fails(text).map((f) => [f.pointer, f.message]));
    assert.match(
      byPointer.get('/spec/template/spec/containers/0/ports/0/containerPort') ?? '',
      /listens on privileged port 80, which needs root or NET_BIND_SERVICE/,
    );
    assert.match(
      byPointer.get('/spec/template/spec/containers/1/ports/0/containerPort') ?? '',
      /runs as non-root without NET_BIND_SERVICE, so it cannot bind it/,
    );
    assert.match(byPointer.get('/spec/template/spec/containers/0/ports/1/hostPort') ?? '', /takes privileged host port 443/);
  });

  it('skips Windows pods for container ports but not host ports', () => {
    const text = `apiVersion: v1
kind: Pod
metadata: {name: iis, namespace: web}
spec:
  os: {name: windows}
  containers:
    - name: iis
      image: mcr.microsoft.com/windows/servercore/iis
      ports: [{containerPort: 80, hostPort: 80}]
`;
    assert.deepEqual(
      fails(text).map((f) => f.pointer),
      ['/spec/containers/0/ports/0/hostPort'],
    );
  });
});
