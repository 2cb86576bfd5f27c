/**
 * Declarative checks whose condition is a CEL expression, as in Kubernetes'
 * ValidatingAdmissionPolicy: each validation must evaluate to `true` for the object to
 * pass. Evaluated with @marcbachmann/cel-js (see docs/decisions/0006-custom-checks.md).
 */
import { parse } from '@marcbachmann/cel-js';
import { type AnyCheck, type CheckTarget, defineCheck, type Violation } from '../core/check.js';
import { PalisadeError } from '../core/errors.js';
import { isSeverity, type JsonValue } from '../core/types.js';
import { isObject } from '../core/object.js';

type Compiled = ReturnType<typeof parse>;

interface Validation {
  readonly expression: string;
  readonly compiled: Compiled;
  readonly message?: string;
  readonly messageExpression?: Compiled;
  readonly path?: string;
}

/**
 * Converts parsed JSON to CEL values: integral numbers become ints (BigInt), as the API
 * server does for ValidatingAdmissionPolicy, so `object.spec.replicas > 1` type-checks.
 * `memo` shares conversions within one evaluation (the pod spec is part of the object): it
 * belongs to the caller and dies with it, so no conversion outlives an evaluation.
 *
 * @example
 * toCel({ spec: { replicas: 3 } }); // { spec: { replicas: 3n } }
 */
export function toCel(v: JsonValue | undefined, memo: Map<object, unknown> = new Map()): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (v === null || typeof v !== 'object') return v;
  const hit = memo.get(v);
  if (hit !== undefined) return hit;
  const out: unknown = Array.isArray(v) ? v.map((x) => toCel(x, memo)) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x, memo)]));
  memo.set(v, out);
  return out;
}

function compile(expr: string, where: string): Compiled {
  try {
    return parse(expr);
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new PalisadeError('check-invalid', `${where}: CEL expression does not parse: ${first}`);
  }
}

/**
 * Builds a check from a declarative definition (one YAML document).
 *
 * @example
 * celCheck({ id: 'ACME-0001', name: 'team-label', title: 'No team label', severity: 'low',
 *   category: 'hygiene', docs: { description: '...', remediation: '...' },
 *   match: { kinds: ['Deployment'] },
 *   validations: [{ expression: 'has(object.metadata.labels.team)', message: 'no team label', path: '/metadata/labels' }] }, 'x.yaml');
 */
export function celCheck(def: unknown, where: string): AnyCheck {
  if (!isObject(def)) throw new PalisadeError('check-invalid', `${where}: a check must be a mapping`);
  const match = isObject(def.match) ? def.match : {};
  const targetName = typeof match.target === 'string' ? match.target : 'resource';
  let target: CheckTarget;
  if (targetName === 'pod' || targetName === 'container' || targetName === 'cluster') target = { kind: targetName };
  else if (targetName === 'resource') {
    const kinds = Array.isArray(match.kinds) && match.kinds.every((k) => typeof k === 'string') ? (match.kinds as string[]) : [];
    if (kinds.length === 0)
      throw new PalisadeError('check-invalid', `${where}: match.kinds must list the kinds to check (or set match.target: pod | container)`);
    target = { kind: 'resource', kinds };
  } else throw new PalisadeError('check-invalid', `${where}: match.target must be resource, pod or container`);
  if (target.kind === 'cluster') throw new PalisadeError('check-invalid', `${where}: CEL checks apply to resource, pod or container targets`);

  if (!Array.isArray(def.validations) || def.validations.length === 0)
    throw new PalisadeError('check-invalid', `${where}: validations must list at least one {expression, message}`);
  const validations: Validation[] = def.validations.map((v, i) => {
    const at = `${where}: validations[${i}]`;
    if (!isObject(v) || typeof v.expression !== 'string') throw new PalisadeError('check-invalid', `${at}.expression is required`);
    return {
      expression: v.expression,
      compiled: compile(v.expression, `${at}.expression`),
      ...(typeof v.message === 'string' ? { message: v.message } : {}),
      ...(typeof v.messageExpression === 'string' ? { messageExpression: compile(v.messageExpression, `${at}.messageExpression`) } : {}),
      ...(typeof v.path === 'string' ? { path: v.path } : {}),
    };
  });
  const id = String(def.id ?? '');
  const severity = def.severity ?? 'medium';
  if (!isSeverity(severity)) throw new PalisadeError('check-invalid', `${where}: severity must be critical, high, medium, low or info`);
  const docs = isObject(def.docs) ? def.docs : {};

  const run = (vars: Record<string, unknown>, describe: string): Violation[] => {
    const out: Violation[] = [];
    for (const v of validations) {
      let ok: unknown;
      try {
        ok = v.compiled(vars);
      } catch (err) {
        // A missing field is a failed validation in VAP too ("no such key").
        const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
        if (!/no such key|not found/i.test(msg)) throw new Error(`CEL "${v.expression}": ${msg}`);
        ok = false;
      }
      if (ok === true) continue;
      if (typeof ok !== 'boolean') throw new Error(`CEL "${v.expression}" returned ${typeof ok}, not a bool`);
      let message = v.message ?? `${describe} fails: ${v.expression}`;
      if (v.messageExpression) {
        try {
          const m = v.messageExpression(vars);
          if (typeof m === 'string' && m !== '') message = m;
        } catch {
          // Keep the static message, as the API server does.
        }
      }
      out.push({ ...(v.path !== undefined ? { path: v.path } : {}), message });
    }
    return out;
  };

  const common = {
    id,
    name: String(def.name ?? ''),
    title: String(def.title ?? ''),
    severity,
    category: String(def.category ?? 'custom'),
    frameworks: Array.isArray(def.frameworks) ? def.frameworks.map(String) : [],
    docs: {
      description: String(docs.description ?? def.title ?? ''),
      remediation: String(docs.remediation ?? ''),
      ...(Array.isArray(docs.references) ? { references: docs.references.map(String) } : {}),
    },
    origin: where,
  };
  if (target.kind === 'pod') {
    return defineCheck({
      ...common,
      target,
      evaluate: ({ resource, pod, params }) => {
        const memo = new Map<object, unknown>();
        return run(
          {
            object: toCel(resource.object, memo),
            podSpec: toCel(pod.spec, memo),
            podMetadata: toCel(pod.metadata, memo),
            params: toCel(params as JsonValue, memo),
          },
          `${resource.ref.kind} ${resource.ref.name}`,
        );
      },
    }) as AnyCheck;
  }
  if (target.kind === 'container') {
    return defineCheck({
      ...common,
      target,
      evaluate: ({ resource, pod, container, params }) => {
        const memo = new Map<object, unknown>();
        return run(
          {
            object: toCel(resource.object, memo),
            podSpec: toCel(pod.spec, memo),
            container: toCel(container.container, memo),
            params: toCel(params as JsonValue, memo),
          },
          `container ${container.name} of ${resource.ref.kind} ${resource.ref.name}`,
        );
      },
    }) as AnyCheck;
  }
  return defineCheck({
    ...common,
    target,
    evaluate: ({ resource, params }) => {
      const memo = new Map<object, unknown>();
      return run({ object: toCel(resource.object, memo), params: toCel(params as JsonValue, memo) }, `${resource.ref.kind} ${resource.ref.name}`);
    },
  }) as AnyCheck;
}
