import { defineCheck, NOT_APPLICABLE, type Violation } from '../../core/check.js';
import { isObject } from '../../core/object.js';
import type { JsonObject } from '../../core/types.js';
import { NODE_FACTS_KIND, nodeDocument } from '../node-facts.js';

const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'];

/** Does an audit rule match this resource (group '' for core) and no verb restriction that excludes it? */
function matches(rule: JsonObject, group: string, resource: string): boolean {
  if (Array.isArray(rule.verbs) && rule.verbs.length > 0 && !rule.verbs.includes('get') && !rule.verbs.includes('create')) return false;
  if (Array.isArray(rule.users) || Array.isArray(rule.userGroups) || Array.isArray(rule.namespaces) || Array.isArray(rule.nonResourceURLs)) return false;
  if (!Array.isArray(rule.resources) || rule.resources.length === 0) return true;
  return rule.resources.some((r) => {
    if (!isObject(r)) return false;
    const g = typeof r.group === 'string' ? r.group : '';
    if (g !== group && g !== '*') return false;
    return !Array.isArray(r.resources) || r.resources.length === 0 || r.resources.some((x) => x === resource || x === '*' || x === `${resource}/*`);
  });
}

/** The level of the first rule that matches (the audit policy is first-match), or undefined. */
function levelFor(rules: readonly JsonObject[], group: string, resource: string): { level: string; index: number } | undefined {
  const index = rules.findIndex((r) => matches(r, group, resource));
  const r = rules[index];
  return r && typeof r.level === 'string' ? { level: r.level, index } : undefined;
}

/**
 * CIS 3.2.2 (manual in the benchmark): the audit policy must record the risky requests without
 * copying secret values into the log. This check flags the two mechanical failures: Secrets,
 * ConfigMaps or TokenReviews logged with request bodies (their values end up in the log), and
 * pods/exec, pods/attach, pods/portforward or Secrets not logged at all. Whether the policy
 * covers the rest of what an organisation needs stays a review.
 */
export default defineCheck({
  id: 'PAL-0902',
  name: 'audit-policy-gaps',
  title: 'Audit policy leaks secret values or skips risky requests',
  severity: 'medium',
  category: 'control-plane',
  frameworks: ['cis:3.2.2', 'nsa:NSA-26', 'soc2:CC7.2'],
  docs: {
    description:
      'The API server applies the first rule of its audit policy that matches a request. Logging Secrets, ConfigMaps or TokenReviews at ' +
      '`Request` or `RequestResponse` writes their values (passwords, tokens) into the audit log; not logging `pods/exec`, `pods/attach`, ' +
      '`pods/portforward` or Secret access at all (level `None`, or no matching rule) hides the requests an investigation needs first. ' +
      'The check reads the file `--audit-policy-file` names, as `palisade node` records it.',
    remediation:
      'Log `secrets`, `configmaps` and `tokenreviews` at `Metadata`, and `pods/exec`, `pods/attach` and `pods/portforward` at `Metadata` or ' +
      'above, before any catch-all rule; see the audit policy example in the NSA/CISA hardening guide, appendix L.',
    references: ['https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/'],
  },
  target: { kind: 'resource', kinds: [NODE_FACTS_KIND] },
  evaluate({ resource }) {
    const doc = nodeDocument(resource, 'auditPolicy');
    if (!doc) return NOT_APPLICABLE;
    const rules = (Array.isArray(doc.content.rules) ? doc.content.rules : []).filter(isObject);
    const out: Violation[] = [];
    for (const [group, res] of [
      ['', 'secrets'],
      ['', 'configmaps'],
      ['authentication.k8s.io', 'tokenreviews'],
    ] as const) {
      const l = levelFor(rules, group, res);
      if (l && LEVELS.indexOf(l.level) >= 2)
        out.push({
          pointer: `${doc.pointer}/rules/${l.index}/level`,
          message: `${doc.path} logs ${res} at ${l.level}, which copies their values into the audit log (use Metadata)`,
        });
    }
    // One violation per rule (or for the missing rule), naming every request it leaves unrecorded.
    const unrecorded = new Map<string, string[]>();
    for (const res of ['secrets', 'pods/exec', 'pods/attach', 'pods/portforward']) {
      const l = levelFor(rules, '', res);
      if (l && l.level !== 'None') continue;
      const pointer = l ? `${doc.pointer}/rules/${l.index}/level` : `${doc.pointer}/rules`;
      unrecorded.set(pointer, [...(unrecorded.get(pointer) ?? []), res]);
    }
    for (const [pointer, list] of unrecorded)
      out.push({
        pointer,
        message: `${doc.path} does not record ${list.join(', ')} requests (${pointer.endsWith('/level') ? 'level None' : 'no rule matches'})`,
      });
    return out;
  },
});
