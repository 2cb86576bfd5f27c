/**
 * The in-cluster manifests of `palisade node` (deploy/): they run the node command against the
 * host filesystem mounted read-only, with the host's processes visible, and pass Palisade's own
 * scan apart from what reading a node needs.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

const DEPLOY = fileURLToPath(new URL('../deploy/', import.meta.url));

interface PodSpec {
  hostPID?: boolean;
  containers: { command: string[]; volumeMounts: { readOnly?: boolean; mountPath: string }[] }[];
  volumes: { hostPath?: { path: string } }[];
}

function podSpecs(file: string): PodSpec[] {
  return parseAllDocuments(readFileSync(DEPLOY + file, 'utf8'))
    .map((d) => d.toJS() as { kind: string; spec?: { template?: { spec: PodSpec } } })
    .filter((o) => o.kind === 'DaemonSet' || o.kind === 'Job')
    .map((o) => o.spec?.template?.spec as PodSpec);
}

describe('deploy/ manifests for palisade node', () => {
  for (const file of ['node/daemonset.yaml', 'node/job.yaml'])
    it(`${file} mounts the host read-only under /host and runs palisade node on it`, () => {
      const specs = podSpecs(file);
      assert.equal(specs.length, 1);
      const spec = specs[0] as PodSpec;
      assert.equal(spec.hostPID, true);
      const c = spec.containers[0];
      assert.ok(c);
      assert.match(c.command.join(' '), /palisade node --root \/host --proc \/proc -f json/);
      assert.ok(c.volumeMounts.length > 0);
      for (const m of c.volumeMounts) {
        assert.equal(m.readOnly, true, m.mountPath);
        assert.match(m.mountPath, /^\/host(\/|$)/);
      }
      assert.ok(spec.volumes.every((v) => v.hostPath !== undefined));
    });
});
