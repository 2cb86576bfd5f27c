/**
 * JSON Schema validation at the boundary (ajv): the `.palisade.yaml` schema, and the
 * parameters each check declares in `paramsSchema`. Problems come back as
 * `dotted.path: message` lines, e.g. `checks.PAL-0125.params.allowedRegistries: must be array`.
 */
import { Ajv, type ErrorObject, type SchemaObject } from 'ajv';
import { SEVERITIES } from '../core/types.js';

/**
 * The schema of `.palisade.yaml` (JSON Schema draft-07). `x-hint` is an annotation of ours: the
 * message shown when a value does not match a `pattern`.
 */
export const CONFIG_SCHEMA: SchemaObject = {
  $id: 'https://palisade.dev/schemas/config.json',
  title: 'Palisade configuration (.palisade.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    failOn: { enum: [...SEVERITIES], description: 'as --fail-on' },
    maxFileSize: {
      type: ['string', 'integer'],
      pattern: '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG][iI]?[bB]?|[bB])?\\s*$',
      minimum: 1,
      'x-hint': 'must be a size such as 20MB',
      description: 'as --max-file-size',
    },
    include: { $ref: '#/definitions/stringList', description: 'only these checks (ids, names, globs)' },
    exclude: { $ref: '#/definitions/stringList', description: 'never these checks' },
    nonWaivable: { $ref: '#/definitions/stringList', description: 'checks no exception may waive' },
    checksDir: { $ref: '#/definitions/stringList', description: 'custom check directories, relative to the file' },
    allowIncomplete: { type: 'boolean', description: 'as --allow-incomplete' },
    topRisks: { type: 'integer', minimum: 0, maximum: 100, description: 'as --top-risks: attack paths listed under Top risks (0: none)' },
    fix: {
      type: 'object',
      additionalProperties: false,
      description: 'values palisade fix writes where the right one depends on the workload (see docs/fix.md)',
      properties: {
        resources: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limits: { $ref: '#/definitions/quantities', description: 'limits set on containers without one (cpu, memory, ephemeral-storage)' },
            requests: { $ref: '#/definitions/quantities', description: 'requests set on containers without one (cpu, memory)' },
          },
        },
        runAsUser: { type: 'integer', minimum: 1, description: 'the non-root UID fixes set (default 10001)' },
        runAsGroup: { type: 'integer', minimum: 1, description: 'the non-root GID fixes set (default 10001)' },
        emptyDirSizeLimit: { $ref: '#/definitions/quantity', description: 'the sizeLimit set on unbounded emptyDir volumes (default 1Gi)' },
      },
    },
    admission: {
      type: 'object',
      additionalProperties: false,
      description: 'palisade admission serve: defaults for namespaces without labels, exemptions, mutation',
      properties: {
        defaultMode: { enum: ['enforce', 'warn', 'audit'], description: 'mode of namespaces without the palisade.dev/enforce label' },
        failOn: { enum: [...SEVERITIES], description: 'as --fail-on of palisade admission serve' },
        exemptNamespaces: { $ref: '#/definitions/stringList', description: 'namespaces admitted without evaluation (globs)' },
        exemptUsers: { $ref: '#/definitions/stringList', description: 'usernames admitted without evaluation (globs)' },
        exemptGroups: { $ref: '#/definitions/stringList', description: 'user groups admitted without evaluation' },
        mutateChecks: { $ref: '#/definitions/stringList', description: 'checks whose fixes /mutate applies (ids, names or globs)' },
      },
    },
    checks: {
      type: 'object',
      description: 'per check id or name: enabled, severity, params',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          enabled: { type: 'boolean' },
          severity: { enum: [...SEVERITIES] },
          params: { type: 'object' },
        },
      },
    },
    exceptions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['check', 'reason'],
        properties: {
          check: { type: 'string', minLength: 1 },
          kind: { type: 'string' },
          namespace: { type: 'string' },
          name: { type: 'string' },
          container: { type: 'string' },
          reason: { type: 'string', pattern: '\\S', 'x-hint': 'must say why the exception is acceptable' },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', 'x-hint': 'must be a date YYYY-MM-DD' },
        },
      },
    },
  },
  definitions: {
    quantity: {
      type: 'string',
      pattern: '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$',
      'x-hint': 'must be a Kubernetes quantity such as 500m or 512Mi',
    },
    quantities: {
      type: 'object',
      additionalProperties: false,
      properties: {
        cpu: { $ref: '#/definitions/quantity' },
        memory: { $ref: '#/definitions/quantity' },
        'ephemeral-storage': { $ref: '#/definitions/quantity' },
      },
    },
    stringList: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], 'x-hint': 'must be a string or a list of strings' },
  },
};

function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  return ajv;
}

// One compiler per process: compiled schemas are pure functions of the schema objects.
let shared: Ajv | undefined;
function ajv(): Ajv {
  shared ??= newAjv();
  return shared;
}

/** `/checks/PAL-0125/params/0` -> `checks.PAL-0125.params[0]`. */
function dotted(base: string, pointer: string): string {
  let out = base;
  for (const raw of pointer.split('/').slice(1)) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(token) ? `[${token}]` : out === '' ? token : `.${token}`;
  }
  return out;
}

function messageOf(e: ErrorObject, base: string): { at: string; message: string } {
  const at = dotted(base, e.instancePath);
  const hint = (e.parentSchema as Record<string, unknown> | undefined)?.['x-hint'];
  const join = (a: string, b: string): string => (a === '' ? b : `${a}.${b}`);
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      return { at: join(at, extra), message: known.length > 0 ? `unknown setting (known: ${known.join(', ')})` : 'unknown setting' };
    }
    case 'required':
      return { at: join(at, String((e.params as { missingProperty: string }).missingProperty)), message: 'required' };
    case 'enum':
      return { at, message: `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}` };
    default:
      return { at, message: typeof hint === 'string' ? hint : (e.message ?? 'is invalid') };
  }
}

/**
 * Validates a value against a JSON Schema; returns one `path: message` line per problem
 * (empty when valid). `base` prefixes the paths (`checks.PAL-0125.params`).
 *
 * @example
 * validateAgainst({ type: 'object', properties: { n: { type: 'integer' } } }, { n: 'x' }, 'params');
 * // ['params.n: must be integer']
 */
export function validateAgainst(schema: SchemaObject, value: unknown, base = ''): string[] {
  const validate = (schema.$id ? ajv().getSchema(schema.$id) : undefined) ?? ajv().compile(schema);
  if (validate(value)) return [];
  const lines: string[] = [];
  for (const e of validate.errors ?? []) {
    // anyOf reports every branch, then itself: its own error (with the hint) says it best.
    if (e.schemaPath.includes('/anyOf/')) continue;
    const { at, message } = messageOf(e, base);
    const line = `${at === '' ? '(root)' : at}: ${message}`;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}
