/**
 * `scan --images`: every image of every workload resolved, deduplicated by manifest digest,
 * scanned once with bounded concurrency, and the results attached to the workloads (container
 * by container, at the `image` field's file and line) as findings. Vulnerability matching is
 * injected (`match`), so this module does not depend on the vulnerability database.
 */
import { EngineFinding, type FindingCheck } from '../core/finding.js';
import type { Inventory } from '../core/inventory.js';
import { failBySeverity, groupFindings, type ScanReport } from '../core/report.js';
import type { CheckMeta } from '../core/check.js';
import type { ExceptionMatcher } from '../core/exceptions.js';
import { type Finding, type Resource, type Severity, severityRank } from '../core/types.js';
import { containersOf, podSpecsOf } from '../core/workloads.js';
import type { ImageInventory, PackageVulnerability } from '../packages/packages.js';
import { analyzeImage, type ImageScanOptions, openImage } from './image.js';

/** One container running an image. */
export interface ImageUse {
  readonly image: string;
  readonly resource: Resource;
  readonly container: string;
  /** Pointer to the container's `image` field. */
  readonly pointer: string;
}

/**
 * Every container image of every workload. Pods and ReplicaSets owned by a controller are left
 * out when their owner is in the inventory (the finding belongs on the Deployment, not on each Pod).
 *
 * @example
 * imageUses(inventory).map((u) => u.image); // ['nginx:1.27', 'ghcr.io/org/api@sha256:...']
 */
export function imageUses(inventory: Inventory): ImageUse[] {
  const out: ImageUse[] = [];
  const present = new Set<string>();
  for (const r of inventory.all) present.add(`${r.ref.kind}/${r.ref.namespace ?? ''}/${r.ref.name}`);
  for (const r of inventory.all) {
    const owners = (r.object.metadata as { ownerReferences?: { kind?: string; name?: string }[] } | undefined)?.ownerReferences ?? [];
    if (owners.some((o) => present.has(`${o.kind}/${r.ref.namespace ?? ''}/${o.name}`))) continue;
    for (const pod of podSpecsOf(r))
      for (const c of containersOf(pod)) {
        const image = c.container.image;
        if (typeof image === 'string' && image.trim() !== '') out.push({ image: image.trim(), resource: r, container: c.name, pointer: `${c.pointer}/image` });
      }
  }
  return out;
}

/** What scanning one image gave. */
export interface ScannedImage {
  readonly ref: string;
  readonly inventory?: ImageInventory;
  readonly vulnerabilities?: readonly PackageVulnerability[];
  /** Why the image could not be scanned (or matched). */
  readonly error?: string;
}

/** Options of `scanImages`. */
export interface ScanImagesOptions extends ImageScanOptions {
  /** Matches an inventory against a vulnerability database; without it, no vulnerability findings. */
  readonly match?: (inventory: ImageInventory) => Promise<readonly PackageVulnerability[]>;
  /** Images resolved and analysed at once. Default 3. */
  readonly concurrency?: number;
}

async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/**
 * Scans images by reference: each resolved to its manifest digest, each digest analysed (and
 * matched) once however many references name it. Failures are recorded per image, never thrown.
 *
 * @example
 * const results = await scanImages(['nginx:1.27', 'nginx@sha256:...'], { match: (inv) => matcher.match(inv) });
 * results.get('nginx:1.27')?.vulnerabilities?.length;
 */
export async function scanImages(refs: readonly string[], options: ScanImagesOptions = {}): Promise<Map<string, ScannedImage>> {
  const unique = [...new Set(refs)];
  const limit = options.concurrency ?? 3;
  const resolved = new Map<string, Awaited<ReturnType<typeof openImage>> | { error: string }>();
  await pool(unique, limit, async (ref) => {
    try {
      resolved.set(ref, await openImage(ref, options));
    } catch (e) {
      resolved.set(ref, { error: (e as Error).message });
    }
  });
  // One analysis per digest: references by tag and by digest of the same image share it.
  const byDigest = new Map<string, string[]>();
  for (const [ref, r] of resolved) {
    const key = 'error' in r ? `error:${ref}` : (r.digest ?? `ref:${ref}`);
    byDigest.set(key, [...(byDigest.get(key) ?? []), ref]);
  }
  const out = new Map<string, ScannedImage>();
  await pool([...byDigest.values()], limit, async (group) => {
    const first = group[0] as string;
    const r = resolved.get(first);
    if (r === undefined) return;
    if ('error' in r) {
      out.set(first, { ref: first, error: r.error });
      return;
    }
    let result: ScannedImage;
    try {
      const { inventory } = await analyzeImage(r, options, first);
      let vulnerabilities: readonly PackageVulnerability[] | undefined;
      let error: string | undefined;
      if (options.match) {
        try {
          vulnerabilities = await options.match(inventory);
        } catch (e) {
          error = `vulnerability matching failed: ${(e as Error).message}`;
        }
      }
      result = { ref: first, inventory, ...(vulnerabilities ? { vulnerabilities } : {}), ...(error ? { error } : {}) };
    } catch (e) {
      result = { ref: first, error: (e as Error).message };
    }
    for (const ref of group) out.set(ref, { ...result, ref, ...(result.inventory ? { inventory: { ...result.inventory, ref } } : {}) });
  });
  return out;
}

const IMAGE_CHECK_COMMON = { category: 'images', frameworks: [] as string[], target: { kind: 'container' } as const };

/** The checks `scan --images` reports under (metadata only: they are computed here, not by the engine). */
export const IMAGE_CHECKS = {
  unscanned: {
    id: 'PAL-0900',
    name: 'image-not-scanned',
    title: 'Container image could not be scanned',
    severity: 'medium',
    ...IMAGE_CHECK_COMMON,
    docs: {
      description:
        'The image named by the container could not be pulled or analysed, so nothing is known about what it contains. The finding is an error: a gate does not pass on an image it could not read.',
      remediation:
        'Check the reference, the registry credentials (docker config.json, credential helpers) and network access; rerun palisade image REF for the detailed error.',
    },
  },
  stale: {
    id: 'PAL-0901',
    name: 'image-stale',
    title: 'Container image is older than the allowed age',
    severity: 'low',
    ...IMAGE_CHECK_COMMON,
    docs: {
      description:
        'The image was built (config `created`) longer ago than the allowed age: it misses every fix published since, whatever a scanner knows today.',
      remediation: 'Rebuild the image on a current base image regularly and roll it out.',
    },
  },
  fixable: {
    id: 'PAL-0902',
    name: 'image-fixable-vulnerability',
    title: 'Container image has high or critical vulnerabilities with a fix',
    severity: 'high',
    ...IMAGE_CHECK_COMMON,
    docs: {
      description:
        'Packages in the image have high or critical vulnerabilities for which a fixed version is published. The finding takes the severity of the worst one.',
      remediation:
        'Upgrade the packages named in the evidence (or the base image) to the fixed versions and rebuild; record a VEX statement when a vulnerability is not exploitable in this image.',
    },
  },
  kev: {
    id: 'PAL-0903',
    name: 'image-known-exploited-vulnerability',
    title: 'Container image has a vulnerability exploited in the wild (CISA KEV)',
    severity: 'critical',
    ...IMAGE_CHECK_COMMON,
    docs: {
      description: "Packages in the image have vulnerabilities listed in CISA's Known Exploited Vulnerabilities catalogue.",
      remediation: 'Patch first: upgrade the package or base image, or take the workload out of service until it is patched.',
      references: ['https://www.cisa.gov/known-exploited-vulnerabilities-catalog'],
    },
  },
} as const satisfies Record<string, CheckMeta>;

function info(meta: CheckMeta): FindingCheck {
  return { check: meta.id, name: meta.name, title: meta.title, defaultSeverity: meta.severity, category: meta.category, frameworks: meta.frameworks };
}

/** Options of the findings step. */
export interface ImageFindingOptions {
  /** Images built longer ago than this many days are reported. Default 365. */
  readonly maxAgeDays?: number;
  /** The time to measure age from (the ring's clock, passed in). Default now. */
  readonly now?: Date;
  /** Exceptions from configuration and `palisade.dev/ignore.<check>` annotations: a failing finding they cover is `exempt`. */
  readonly exceptions?: ExceptionMatcher;
}

/**
 * Findings for the containers that run the scanned images.
 *
 * @example
 * const findings = imageFindings(imageUses(inventory), await scanImages(refs), { maxAgeDays: 180 });
 */
export function imageFindings(uses: readonly ImageUse[], scanned: ReadonlyMap<string, ScannedImage>, options: ImageFindingOptions = {}): Finding[] {
  const now = (options.now ?? new Date()).getTime();
  const maxAge = options.maxAgeDays ?? 365;
  const out: Finding[] = [];
  const make = (
    meta: CheckMeta,
    use: ImageUse,
    failOrError: 'fail' | 'error',
    severity: Severity,
    message: string,
    evidence?: Record<string, string | number | string[]>,
  ) => {
    const exemption =
      failOrError === 'fail'
        ? options.exceptions?.match({ checkId: meta.id, checkName: meta.name, resource: use.resource, container: use.container })
        : undefined;
    const status = exemption ? 'exempt' : failOrError;
    out.push(
      new EngineFinding(
        info(meta),
        {
          severity,
          status,
          resource: use.resource.ref,
          container: use.container,
          pointer: use.pointer,
          message,
          evidence: evidence as Finding['evidence'],
          fix: undefined,
          exemption,
          affectedPods: undefined,
          line: undefined,
        },
        {
          ...(use.resource.positions ? { positions: use.resource.positions } : {}),
          ...(use.resource.location ? { location: use.resource.location } : {}),
        },
        undefined,
      ),
    );
  };
  for (const use of uses) {
    const s = scanned.get(use.image);
    const where = `${use.resource.ref.kind} ${use.resource.ref.namespace ? `${use.resource.ref.namespace}/` : ''}${use.resource.ref.name} container ${use.container}`;
    if (s === undefined) continue;
    if (s.inventory === undefined) {
      make(
        IMAGE_CHECKS.unscanned,
        use,
        'error',
        IMAGE_CHECKS.unscanned.severity,
        `${where}: image ${use.image} could not be scanned: ${s.error ?? 'unknown error'}`,
      );
      continue;
    }
    if (s.error) make(IMAGE_CHECKS.unscanned, use, 'error', IMAGE_CHECKS.unscanned.severity, `${where}: image ${use.image}: ${s.error}`);
    const created = s.inventory.created ? Date.parse(s.inventory.created) : Number.NaN;
    if (Number.isFinite(created)) {
      const days = Math.floor((now - created) / 86_400_000);
      if (days > maxAge)
        make(
          IMAGE_CHECKS.stale,
          use,
          'fail',
          IMAGE_CHECKS.stale.severity,
          `${where}: image ${use.image} was built ${days} days ago (${s.inventory.created}), more than ${maxAge}`,
          {
            created: s.inventory.created as string,
            ageDays: days,
          },
        );
    }
    const active = (s.vulnerabilities ?? []).filter((v) => v.vex === undefined && v.status !== 'not-affected' && v.status !== 'withdrawn');
    const suppressed = (s.vulnerabilities ?? []).filter((v) => v.vex !== undefined).length;
    const fixable = active.filter((v) => v.status === 'fixed' && (v.severity === 'critical' || v.severity === 'high'));
    if (fixable.length > 0) {
      const worst = fixable.reduce<Severity>((a, v) => (severityRank(v.severity) > severityRank(a) ? v.severity : a), 'high');
      const crit = fixable.filter((v) => v.severity === 'critical').length;
      const ids = [...new Set(fixable.map((v) => `${v.id} (${v.packageName} ${v.installedVersion} -> ${v.fixedVersion ?? '?'})`))];
      make(
        IMAGE_CHECKS.fixable,
        use,
        'fail',
        worst,
        `${where}: image ${use.image} has ${crit} critical and ${fixable.length - crit} high vulnerabilities with a fix: ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? `, and ${ids.length - 5} more` : ''}`,
        { vulnerabilities: ids.slice(0, 50), count: fixable.length, ...(suppressed > 0 ? { suppressedByVex: suppressed } : {}) },
      );
    }
    const kev = active.filter((v) => v.kev === true);
    if (kev.length > 0) {
      const ids = [...new Set(kev.map((v) => `${v.id} (${v.packageName} ${v.installedVersion})`))];
      make(
        IMAGE_CHECKS.kev,
        use,
        'fail',
        'critical',
        `${where}: image ${use.image} has ${ids.length} known exploited vulnerabilities: ${ids.slice(0, 5).join(', ')}`,
        {
          vulnerabilities: ids.slice(0, 50),
        },
      );
    }
  }
  return out;
}

/**
 * A report with image findings added: findings regrouped and ranked, counts and the checks'
 * metadata (for SARIF rules and docs) extended.
 *
 * @example
 * const report = withImageFindings(scanLoaded(loaded), findings);
 */
export function withImageFindings(report: ScanReport, findings: readonly Finding[], exceptions?: ExceptionMatcher): ScanReport {
  const metas = Object.values(IMAGE_CHECKS) as CheckMeta[];
  const perCheck: Record<string, { pass: number; fail: number; exempt: number; error: number }> = {
    ...(report.perCheck as Record<string, { pass: number; fail: number; exempt: number; error: number }>),
  };
  const totals = { ...report.summary.totals };
  for (const m of metas) perCheck[m.id] = { pass: 0, fail: 0, exempt: 0, error: 0 };
  for (const f of findings) {
    const c = perCheck[f.check] as { pass: number; fail: number; exempt: number; error: number };
    if (f.status === 'fail') {
      c.fail++;
      totals.fail++;
    } else if (f.status === 'error') {
      c.error++;
      totals.error++;
    } else if (f.status === 'exempt') {
      c.exempt++;
      totals.exempt++;
    }
  }
  // A rule is unused only when neither the engine nor the image findings used it.
  const unused = exceptions ? report.exceptions.unused.filter((r) => exceptions.unused.includes(r)) : report.exceptions.unused;
  const grouped = groupFindings([...report.findings, ...findings]);
  return {
    ...report,
    findings: grouped.findings,
    summary: { totals, failBySeverity: failBySeverity(grouped.findings), checksRun: report.summary.checksRun + metas.length, problems: grouped.problems },
    perCheck,
    checks: [...report.checks, ...metas],
    exceptions: { ...report.exceptions, unused },
  };
}
