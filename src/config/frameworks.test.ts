/**
 * User-defined frameworks: the shipped templates load and resolve to real checks; invalid files
 * are configuration errors that name the file and the path.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { builtinChecks } from '../checks/index.js';
import { PalisadeError } from '../core/errors.js';
import { checksFor } from '../frameworks/index.js';
import { loadFrameworkFile, parseFramework } from './frameworks.js';

const TEMPLATES = fileURLToPath(new URL('../../docs/examples/frameworks/', import.meta.url));

const configError = (pattern: RegExp) => (e: unknown) => e instanceof PalisadeError && e.exitCode === 2 && pattern.test(e.message);

describe('user-defined frameworks', () => {
  it('loads the NIST SP 800-190, PCI DSS and HIPAA templates, every control covered or manual', async () => {
    const files = existsSync(TEMPLATES) ? readdirSync(TEMPLATES).filter((f) => f.endsWith('.yaml')) : [];
    assert.deepEqual(files.sort(), ['hipaa.yaml', 'nist-800-190.yaml', 'pci-dss-4.yaml']);
    for (const f of files) {
      const fw = await loadFrameworkFile(join(TEMPLATES, f), builtinChecks);
      assert.equal(fw.origin, join(TEMPLATES, f));
      for (const c of fw.controls) assert.ok(checksFor(fw, c, builtinChecks).length > 0 || c.manual, `${f} ${c.id}`);
    }
  });

  it('maps controls to checks by name, glob and framework reference', () => {
    const fw = parseFramework(
      'id: acme\ntitle: ACME baseline\ncontrols:\n  - {id: A1, title: no privileged pods, checks: [pss-privileged]}\n  - {id: A2, title: RBAC, checks: ["cis:5.1.*"]}\n  - {id: A3, title: people, manual: reviewed quarterly by the platform team}\n',
      'acme.yaml',
      builtinChecks,
    );
    const names = (id: string) => checksFor(fw, fw.controls.find((c) => c.id === id) as never, builtinChecks).map((c) => c.name);
    assert.deepEqual(names('A1'), ['pss-privileged']);
    assert.ok(names('A2').includes('rbac-wildcard'));
    assert.deepEqual(names('A3'), []);
  });

  it('rejects invalid files with the file and the path in the message', async () => {
    assert.throws(
      () => parseFramework('id: acme\ntitle: t\ncontrols:\n  - {id: A1, title: x}\n', 'a.yaml', builtinChecks),
      configError(/a\.yaml: invalid framework: controls\[0\]: needs checks or a manual reason/),
    );
    assert.throws(
      () => parseFramework('id: acme\ntitle: t\ncontrols:\n  - {id: A1, title: x, checks: [pss-privilegd]}\n', 'a.yaml', builtinChecks),
      configError(/controls\[0\]\.checks\[0\]: "pss-privilegd" names no check \(did you mean "pss-privileged"\?\)/),
    );
    assert.throws(
      () => parseFramework('id: cis\ntitle: t\ncontrols:\n  - {id: A1, title: x, manual: because it is so}\n', 'a.yaml', builtinChecks),
      configError(/built-in framework/),
    );
    assert.throws(() => parseFramework('id: [', 'a.yaml', builtinChecks), configError(/a\.yaml:\d+: framework is not valid YAML/));
    assert.throws(() => parseFramework('title: t\ncontrols: []\n', 'a.yaml', builtinChecks), configError(/id: required/));
    await assert.rejects(loadFrameworkFile('/nonexistent/f.yaml', builtinChecks), configError(/cannot read framework \(ENOENT\)/));
  });
});
