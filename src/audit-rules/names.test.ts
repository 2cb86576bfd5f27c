import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinAuditRules } from './index.js';
import { AUDIT_RULE_NAMES } from './names.js';

describe('audit rule names', () => {
  it('lists the id and name of every built-in audit rule, in order (add a new rule here too)', () => {
    assert.deepEqual(
      AUDIT_RULE_NAMES.map(([id, name]) => `${id} ${name}`),
      builtinAuditRules.map((r) => `${r.id} ${r.name}`),
    );
  });
});
