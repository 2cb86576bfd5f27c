import { defineCheck, type Violation } from '../../core/check.js';
import { describeContainer } from '../../security-context/security-context.js';

/** `sudo` as a command word: at the start, after a shell separator, or after `exec`/`env`-style prefixes. */
const SUDO_IN_SHELL = /(?:^|[;&|({`\n]|\$\(|\b(?:exec|then|do|else|xargs|env|nohup|time)\s)\s*(?:[\w./-]*\/)?sudo(?=\s|$|;)/;

/** Whether one command or argument word runs sudo: `sudo`, `/usr/bin/sudo`, or a shell string that does. */
function runsSudo(word: string): boolean {
  const trimmed = word.trim();
  if (/^(?:[\w./-]*\/)?sudo$/.test(trimmed)) return true;
  return SUDO_IN_SHELL.test(trimmed);
}

/** A container that needs sudo ships it and runs a user allowed to become root: the non-root setting is cosmetic. */
export default defineCheck({
  id: 'PAL-0132',
  name: 'sudo-in-command',
  title: 'Container command uses sudo',
  severity: 'medium',
  category: 'security-context',
  frameworks: ['nsa:NSA-01', 'nsa:NSA-06'],
  docs: {
    description:
      "The container's `command` or `args` run `sudo`, either as a word of their own (`sudo`, `/usr/bin/sudo`) or inside a shell " +
      'string (`sh -c "sudo chown ..."`). For that to work the image ships sudo and the container user may become root through it, ' +
      'which needs privilege escalation (setuid): running as non-root then protects nothing, and anyone who gets a shell in the ' +
      'container gets root. The word must stand as a command; text such as `pseudo` or `--no-sudo` is not reported.',
    remediation:
      'Do the privileged step at image build time or in an init container with exactly the rights it needs, remove sudo from the ' +
      'image, and set `allowPrivilegeEscalation: false` so that setuid binaries cannot raise privileges.',
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/security-context/',
      'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
    ],
  },
  target: { kind: 'container' },
  evaluate({ container }): Violation[] {
    const out: Violation[] = [];
    for (const field of ['command', 'args'] as const) {
      const words = container.container[field];
      if (!Array.isArray(words)) continue;
      words.forEach((w, i) => {
        if (typeof w !== 'string' || !runsSudo(w)) return;
        out.push({
          path: `/${field}/${i}`,
          message: `${describeContainer(container)} runs sudo in ${field}[${i}]: the image ships sudo and its user can become root`,
        });
      });
    }
    return out;
  },
});
