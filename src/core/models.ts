/**
 * Analysers' models, owned by the engine: a check declares the models it uses
 * (`uses: ['rbac']`), the engine builds each declared model once per scan from the inventory
 * and hands it in as `ctx.models.rbac`. What a scan computes lives and dies with the scan: no
 * module-level caches in checks or models.
 *
 * The registry of model names is an interface that each analyser extends by declaration
 * merging, so `ctx.models.rbac` is typed without `core/` importing the analyser:
 *
 * ```ts
 * declare module '../core/models.js' {
 *   interface Models { rbac: RbacModel }
 * }
 * ```
 */
import type { Inventory } from './inventory.js';

/**
 * Every model the engine can build, by name. Analysers add their entry by declaration merging.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging in each analyser
export interface Models {}

/** The name of a model a check can declare in `uses`. */
export type ModelName = keyof Models & string;

/**
 * Per-scan data the I/O ring fetched before the engine runs (image inventories, vulnerability
 * matches), by name. Analysers add their entry by declaration merging. The engine stays pure:
 * it never fetches an input, a provider only indexes what it is given. A check that `requires`
 * an input is not selected in a scan that was not given it.
 */
// biome-ignore lint/suspicious/noEmptyInterface: extended by declaration merging in each analyser
export interface ModelInputs {}

/** The name of a model input a check can declare in `requires`. */
export type InputName = keyof ModelInputs & string;

/** The inputs of one scan: those the ring fetched (none for a plain scan). */
export type ScanInputs = Partial<ModelInputs>;

/**
 * How the engine builds one model. Providers are registered with the engine by the library
 * (`scan.ts`), never imported by checks.
 *
 * @example
 * const rbacProvider: ModelProvider<'rbac'> = {
 *   name: 'rbac',
 *   reads: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
 *   build: (inventory) => buildRbacModel(inventory),
 * };
 */
export interface ModelProvider<K extends ModelName = ModelName> {
  readonly name: K;
  /** Kinds the model is built from: when a cluster scan could not read one, the model is degraded. */
  readonly reads: readonly string[];
  /**
   * Builds the model; pure. A throw makes every check that uses the model an `error`. A model
   * built on others (the attack graph on RBAC and network) reads them through `models`, so
   * each is still built once per scan. `inputs` holds the per-scan data the ring fetched (a
   * provider of a model built from an input indexes it, never fetches).
   */
  build(inventory: Inventory, models: ModelLookup, inputs: ScanInputs): Models[K];
  /**
   * The other models `build` reads through `models` (the attack graph: `rbac` and `network`).
   * A model is built in the same pass as those it is built on (see {@link passesOf}), and
   * reading one that is not listed here throws.
   */
  readonly builtOn?: readonly ModelName[];
  /**
   * True when the model keeps nothing that grows with the inventory (a view of the object
   * being evaluated). The library runs the checks that use only such models, or none, after
   * the others, once the other models are released (see `scan.ts`).
   */
  readonly bounded?: boolean;
}

/**
 * Reads another model of the same scan from inside a provider's `build`; throws with the other
 * model's failure reason when it could not be built.
 */
export type ModelLookup = <K extends ModelName>(name: K) => Models[K];

/** A provider of any model, as stored in a registry (every `ModelProvider<K>` is one). */
export interface AnyModelProvider {
  readonly name: string;
  readonly reads: readonly string[];
  build(inventory: Inventory, models: ModelLookup, inputs: ScanInputs): unknown;
  readonly builtOn?: readonly string[];
  readonly bounded?: boolean;
}

/** Thrown when a check reads a model it did not declare in `uses`. */
export class UndeclaredModelError extends Error {
  constructor(
    readonly check: string,
    readonly model: string,
  ) {
    super(`check ${check} reads model "${model}" without declaring it in uses`);
    this.name = 'UndeclaredModelError';
  }
}

/**
 * The models of one scan: built on first request, at most once, kept with their build error.
 *
 * @example
 * const built = new ScanModels(inventory, providers);
 * const rbac = built.get('rbac'); // { ok: true, value } or { ok: false, reason }
 */
export class ScanModels {
  readonly #providers: ReadonlyMap<string, AnyModelProvider>;
  readonly #built = new Map<string, { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string }>();

  constructor(
    readonly inventory: Inventory,
    providers: readonly AnyModelProvider[],
    readonly inputs: ScanInputs = {},
  ) {
    this.#providers = new Map(providers.map((p) => [p.name, p]));
  }

  /** Whether a provider for this model is registered. */
  has(name: string): boolean {
    return this.#providers.has(name);
  }

  /** The model, building it on first use; a failed build is remembered with its reason. */
  get(name: string): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string } {
    const hit = this.#built.get(name);
    if (hit) return hit;
    const provider = this.#providers.get(name);
    let result: { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };
    if (!provider) result = { ok: false, reason: `no analyser provides the "${name}" model` };
    else {
      try {
        result = { ok: true, value: provider.build(this.inventory, (other) => this.#require(provider, other), this.inputs) };
      } catch (err) {
        result = { ok: false, reason: `the ${name} model could not be built: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    this.#built.set(name, result);
    return result;
  }

  #require<K extends ModelName>(by: AnyModelProvider, name: K): Models[K] {
    // Undeclared, the two models could be built in different passes: each twice.
    if (!by.builtOn?.includes(name)) throw new Error(`the ${by.name} model reads the ${name} model without declaring it in builtOn`);
    const m = this.get(name);
    if (!m.ok) throw new Error(m.reason);
    return m.value as Models[K];
  }

  /** The providers' `reads`, for coverage: which models a gap in a kind degrades. */
  readsOf(name: string): readonly string[] {
    return this.#providers.get(name)?.reads ?? [];
  }

  /**
   * The `ctx.models` object handed to one check: the declared models, each built once per
   * scan; reading an undeclared one throws {@link UndeclaredModelError}.
   */
  viewFor(checkId: string, uses: readonly string[]): Models {
    // Declared models are own properties (read at full speed, no trap); only a read that misses
    // them reaches the prototype, a proxy that throws.
    const undeclared = new Proxy(Object.create(null) as object, {
      get(_target, key) {
        if (typeof key === 'string' && key !== 'then' && key !== 'toJSON') throw new UndeclaredModelError(checkId, key);
        return undefined;
      },
    });
    const view = Object.create(undeclared) as Record<string, unknown>;
    for (const name of uses) {
      const m = this.get(name);
      if (m.ok) view[name] = m.value;
    }
    return view as unknown as Models;
  }
}

/** The checks of a scan split into passes, each holding only its own models (see {@link passesOf}). */
export interface ScanPasses<C> {
  /**
   * Checks that use models growing with the inventory, one group per set of models they share;
   * `models` names the models of the group (with those they are built on).
   */
  readonly early: readonly { readonly checks: readonly C[]; readonly models: ReadonlySet<string> }[];
  /** Checks that use no model, or only `bounded` ones: run last, once the others are released. */
  readonly late: readonly C[];
}

/**
 * Splits checks into passes that can each release their models before the next one starts.
 * Two checks share a pass when they use the same model that grows with the inventory, or
 * models one is built on (`builtOn`) or that one check uses together; the passes holding more
 * models come first, and checks that use only `bounded` models or none come last. A pass holds
 * its own models and no other's: on a generated 100,000-object set the attack graph's pass no
 * longer holds the pods and scopes models, nor the findings of the scope checks.
 *
 * @example
 * const { early, late } = passesOf(checks, builtinModels);
 * // early: [{ checks: [RBAC, network and attack-path checks], models: {rbac, network, paths} }, { checks: [scope checks], models: {scopes} }, ...]
 */
export function passesOf<C extends { readonly uses?: readonly string[] }>(checks: readonly C[], providers: readonly AnyModelProvider[]): ScanPasses<C> {
  const bounded = new Set(providers.filter((p) => p.bounded === true).map((p) => p.name));
  const parent = new Map<string, string>();
  const root = (m: string): string => {
    let r = m;
    for (let up = parent.get(r); up !== undefined && up !== r; up = parent.get(r)) r = up;
    parent.set(m, r);
    return r;
  };
  const join = (a: string, b: string): void => {
    const ra = root(a);
    const rb = root(b);
    if (ra !== rb) parent.set(rb, ra);
  };
  for (const p of providers) for (const d of p.builtOn ?? []) join(p.name, d);
  const growing = (c: C): string[] => (c.uses ?? []).filter((m) => !bounded.has(m));
  for (const c of checks) {
    const ms = growing(c);
    for (let i = 1; i < ms.length; i++) join(ms[0] as string, ms[i] as string);
  }
  const groups = new Map<string, { checks: C[]; models: Set<string> }>();
  const late: C[] = [];
  for (const c of checks) {
    const ms = growing(c);
    if (ms.length === 0) {
      late.push(c);
      continue;
    }
    const key = root(ms[0] as string);
    let g = groups.get(key);
    if (!g) {
      g = { checks: [], models: new Set() };
      groups.set(key, g);
    }
    g.checks.push(c);
  }
  const names = new Set([...providers.map((p) => p.name), ...checks.flatMap((c) => c.uses ?? [])]);
  for (const m of names) groups.get(root(m))?.models.add(m);
  // A pass's peak is its models plus every finding made before it: the passes holding the
  // most models (the attack graph's) run first, when the fewest findings exist.
  const early = [...groups.values()].sort((a, b) => b.models.size - a.models.size);
  return { early, late };
}
