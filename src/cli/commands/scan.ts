import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { CONFIG_FILE_NAME, loadConfig, type PalisadeConfig } from '../../config/config.js';
import { resolveScanSettings } from '../../config/settings.js';
import { PalisadeError } from '../../core/errors.js';
import type { ScanInputs } from '../../core/models.js';
import { filterReport, type ScanReport } from '../../core/report.js';
import { SEVERITIES, type Severity } from '../../core/types.js';
import { formatNames } from '../../reporters/index.js';
import type { VexStatement } from '../../vuln/vex.js';
import type { VulnDb } from '../../vulndb/db.js';
import { defaultDbPath } from '../../vulndb/location.js';
import type { Diagnostic } from '../../core/types.js';
import { gateVerdict, type LoadedSource, prepareChecks, scanSource, targetKubernetesVersion } from '../../scan.js';
import { loadCustomChecks } from '../../custom/load.js';
import { type OpenOutputs, openOutputs, parseOutputs, useColor, writeOutputs } from '../output.js';
import { LARGE_INVENTORY, tuneHeapForScan } from '../heap.js';
import { startProgress } from '../progress.js';
import { printDiagnostics } from '../diagnostics.js';
import { addSourceOptions, type SourceFlags, sourceFromFlags } from './snapshot.js';
import { collectList, collectRaw } from '../flags.js';
import { sourcedValue } from '../sourced.js';

interface ScanFlags extends SourceFlags {
  failOnCoverageBelow?: string;
  output: string[];
  format: string[];
  failOn?: string;
  minSeverity?: Severity;
  config?: string;
  checksDir: string[];
  include: string[];
  exclude: string[];
  framework: string[];
  maxFileSize?: string;
  allowIncomplete?: boolean;
  values: string[];
  set: string[];
  includePassed?: boolean;
  color?: boolean;
  quiet?: boolean;
  k8sVersion?: string;
  images?: boolean;
  imagePlatform?: string;
  imageMaxAge: string;
  imageConcurrency: string;
  imageCache?: boolean;
  insecureRegistry: string[];
  dockerConfig?: string;
  vulnDb?: string;
  vex: string[];
  topRisks?: string;
}

/** `palisade scan`: checks manifests and prints the report. */
export function registerScan(program: Command): void {
  const cmd = program
    .command('scan')
    .description('scan Kubernetes manifests (files, directories, or - for stdin), live clusters or snapshots for misconfigurations')
    .argument('[paths...]', 'files or directories (.yaml, .yml, .json, recursive; default .); - reads stdin')
    .addOption(
      new Option('-o, --output <format[=file]>', `output format, optionally to a file; repeatable (${formatNames().join(', ')})`)
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(new Option('-f, --format <format>', 'shorthand for a single -o FORMAT to stdout (once; use -o for several)').argParser(collectRaw).default([]))
    .addOption(
      new Option('--min-severity <severity>', 'show only problems at or above this severity (every format; --fail-on still sees all)').choices([...SEVERITIES]),
    )
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a failing finding is at or above this severity').choices([...SEVERITIES]))
    .option('-c, --config <file>', `configuration file (default: ./${CONFIG_FILE_NAME} when present)`)
    .addOption(
      new Option('--checks-dir <dir>', 'load custom checks (.js/.mjs modules, .yaml CEL checks) from a directory; repeatable')
        .argParser(collectRaw)
        .default([]),
    )
    .addOption(
      new Option('--include <checks>', "only run these checks (ids, names, globs, or framework controls such as 'cis:5.2.*'; comma-separated, repeatable)")
        .argParser(collectList)
        .default([]),
    )
    .addOption(
      new Option(
        '--framework <name>',
        'only run the checks that cover the controls of this framework (cis-1.12, nsa-1.2, pss-restricted, mitre, soc2, ...); repeatable',
      )
        .argParser(collectList)
        .default([]),
    )
    .addOption(
      new Option('--exclude <checks>', 'do not run these checks (ids, names or globs; comma-separated, repeatable)').argParser(collectList).default([]),
    )
    .option('--max-file-size <size>', 'skip files (and stdin, rendered charts) larger than this, e.g. 20MB; beats maxFileSize in the config', '20MB')
    .option(
      '--allow-incomplete',
      'let --fail-on pass although some input could not be read (parse errors, skipped or missing files, unrendered charts) or some checks ended in error (e.g. forbidden cluster data)',
    )
    .addOption(new Option('--values <file>', 'values file for helm template when a path is a Helm chart; repeatable').argParser(collectRaw).default([]))
    .addOption(new Option('--set <key=value>', 'value for helm template when a path is a Helm chart; repeatable').argParser(collectRaw).default([]))
    .option('--include-passed', 'list passing results too (JSON, SARIF, JUnit, HTML)')
    .option('--top-risks <n>', 'attack paths listed under Top risks at the start of the report; 0 leaves them out (default 5, or topRisks in the config)')
    .option('--no-color', 'disable colours')
    .option('-q, --quiet', 'do not print diagnostics on stderr')
    .option('--k8s-version <version>', "Kubernetes version the manifests target, e.g. v1.29 (default: the cluster's version, else the newest known)")
    .option('--fail-on-coverage-below <percent>', 'exit 1 when less than this share of what the checks read could be read (cluster and snapshot scans)')
    .option('--images', 'also pull and analyse every container image of the workloads (see palisade image); findings attach to the containers')
    .option('--image-platform <os/arch>', "platform to pick from multi-platform images (default: this machine's)")
    .option('--image-max-age <days>', 'with --images: report images built longer ago than this', '365')
    .option('--image-concurrency <n>', 'with --images: images pulled and analysed at once', '3')
    .option('--no-image-cache', 'with --images: do not read or write the layer cache')
    .addOption(new Option('--insecure-registry <host>', 'with --images: reach this registry over plain HTTP; repeatable').argParser(collectRaw).default([]))
    .option('--docker-config <file>', 'with --images: docker config.json with registry credentials')
    .option('--vuln-db <file>', `with --images: vulnerability database for PAL-1002/1003 (default ${defaultDbPath()}; see palisade db build)`)
    .addOption(
      new Option('--vex <file>', 'with --images: OpenVEX or CycloneDX VEX document; the vulnerabilities it marks not exploitable do not count; repeatable')
        .argParser(collectRaw)
        .default([]),
    );
  addSourceOptions(cmd, { snapshot: true });
  cmd
    .addHelpText(
      'after',
      `
Exit codes:
  0  no failing finding at or above --fail-on (or --fail-on not given)
  1  a failing finding at or above --fail-on; coverage below --fail-on-coverage-below;
     or, with --fail-on, an incomplete scan (parse errors, skipped, missing or unreadable
     files, unrendered charts, checks that ended in error such as forbidden cluster data)
     unless --allow-incomplete is given
  2  usage or configuration error, including unknown check names, a selection that runs no
     check, bad check params, and a scan that found no Kubernetes object to check
  3  runtime error (e.g. a report file cannot be written, the cluster cannot be reached)

Helm charts (Chart.yaml) and Kustomize directories (kustomization.yaml) are rendered with
helm template / kubectl kustomize when those are on PATH; otherwise pipe the output in.

Examples:
  palisade scan deploy/
  palisade scan charts/web --values prod-values.yaml --set image.tag=1.2.3 --fail-on high
  palisade scan --cluster --exclude-namespace kube-system --fail-on-coverage-below 90
  palisade scan --context prod --context staging -o json=fleet.json
  palisade scan --snapshot cluster.snapshot.json.gz
  palisade scan k8s/ --include 'cis:5.2.*'            # the checks covering CIS 5.2.x
  palisade scan --cluster --framework nsa-1.2
  helm template my-release ./chart | palisade scan - --fail-on high
  palisade scan k8s/ -o table -o sarif=palisade.sarif -o html=report.html
  palisade scan deploy/ --images --image-max-age 180     # also what the images hold (docs/images.md)
  palisade scan deploy/ --top-risks 10                   # the 10 attack paths that matter most first`,
    )
    .action(async (paths: string[], flags: ScanFlags) => {
      const explicitConfig = flags.config !== undefined;
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, explicitConfig);
      const settings = resolveScanSettings(config, {
        failOn: sourcedValue<string>(cmd, 'failOn'),
        maxFileSize: sourcedValue<string>(cmd, 'maxFileSize'),
        allowIncomplete: sourcedValue<boolean>(cmd, 'allowIncomplete'),
      });
      if (flags.format.length > 1)
        throw new PalisadeError(
          'usage',
          `-f/--format given ${flags.format.length} times (${flags.format.join(', ')}); use -o FORMAT[=FILE] for several outputs`,
        );
      if (flags.format.length > 0 && flags.output.length > 0) throw new PalisadeError('usage', 'use either -f or -o, not both');
      // Validated before connecting to a cluster: a typo is exit 2 at once.
      if (flags.k8sVersion !== undefined) targetKubernetesVersion(flags.k8sVersion, undefined);
      let vex: VexStatement[] = [];
      if (flags.images) {
        positiveInt('--image-max-age', flags.imageMaxAge);
        positiveInt('--image-concurrency', flags.imageConcurrency);
        // The image and vulnerability modules (and SQLite's native binding) load for --images only.
        const { loadVex } = await import('../../vulndb/inputs.js');
        vex = loadVex(flags.vex);
      } else if (flags.vex.length > 0) throw new PalisadeError('usage', '--vex applies to image vulnerabilities: add --images');
      const targets = parseOutputs(flags.format.length > 0 ? flags.format : flags.output, 'table');
      let minCoverage: number | undefined;
      if (flags.failOnCoverageBelow !== undefined) {
        minCoverage = Number(flags.failOnCoverageBelow.replace(/%$/, ''));
        if (flags.failOnCoverageBelow.trim() === '' || !Number.isFinite(minCoverage) || minCoverage < 0 || minCoverage > 100)
          throw new PalisadeError('usage', `--fail-on-coverage-below: "${flags.failOnCoverageBelow}" is not a percentage between 0 and 100`);
      }
      let topRisks: number | undefined;
      if (flags.topRisks !== undefined) {
        topRisks = Number(flags.topRisks);
        if (!/^\d+$/.test(flags.topRisks.trim()) || topRisks > 100)
          throw new PalisadeError('usage', `--top-risks: "${flags.topRisks}" is not a whole number from 0 to 100`);
      }
      const dirs = [...config.checksDirs, ...flags.checksDir.map((d) => resolve(d))];
      const custom = await loadCustomChecks(dirs);
      const scanOptions = {
        config: withImageMaxAge(config, flags, sourcedValue<string>(cmd, 'imageMaxAge').source === 'cli'),
        include: flags.include,
        exclude: flags.exclude,
        framework: flags.framework,
        extraChecks: custom.checks,
        includePassed: flags.includePassed === true,
        ...(settings.maxFileSize !== undefined ? { maxFileSize: settings.maxFileSize } : {}),
        ...(flags.values.length > 0 ? { helmValues: flags.values } : {}),
        ...(flags.set.length > 0 ? { helmSet: flags.set } : {}),
        ...(flags.k8sVersion !== undefined ? { kubernetesVersion: flags.k8sVersion } : {}),
        ...(topRisks !== undefined ? { topRisks } : {}),
      };
      // Unknown check names, bad params and empty selections fail before anything is read;
      // report files are opened before the scan, so an impossible path fails at once too.
      // The image inputs are fetched after loading, so the checks that need them are named here.
      prepareChecks({ ...scanOptions, inputNames: flags.images ? ['images', 'vulnerabilities'] : [] });
      const progress = startProgress();
      let heapTuned = false;
      let outputs: OpenOutputs | undefined;
      let report: ScanReport;
      const imageDiagnostics: Diagnostic[] = [];
      try {
        const source = sourceFromFlags(paths, flags, progress);
        outputs = await openOutputs(targets);
        progress.update(source.kind === 'files' ? 'Loading manifests…' : source.kind === 'snapshot' ? 'Reading snapshot…' : 'Connecting…');
        // The library loads and checks, then releases the inventories before ranking and reporting.
        report = await scanSource(
          source,
          {
            ...scanOptions,
            onProgress: (_phase, done, total) => {
              // A large inventory: keep the heap near what is alive (see cli/heap.ts).
              if (!heapTuned && total >= LARGE_INVENTORY) heapTuned = tuneHeapForScan();
              progress.update(`Checking ${done}/${total} objects…`);
            },
          },
          {
            // --images: the ring pulls and analyses the images first; the engine's image checks read the result.
            ...(flags.images
              ? {
                  inputs: async (loaded) => {
                    const images = await imageScanInputs(loaded, flags, progress, vex);
                    if (images.diagnostic) imageDiagnostics.push(images.diagnostic);
                    return images.inputs;
                  },
                }
              : {}),
          },
        );
      } catch (err) {
        outputs?.abandon();
        throw err;
      } finally {
        progress.done();
      }
      const withCustom = { ...report, diagnostics: [...custom.diagnostics, ...imageDiagnostics, ...report.diagnostics] };
      if (!flags.quiet) printDiagnostics(withCustom.diagnostics);
      // Display only: the gate below sees every finding.
      writeOutputs(filterReport(withCustom, flags.minSeverity), outputs as OpenOutputs, useColor(flags.color));
      const verdict = gateVerdict(withCustom, {
        ...(settings.failOn ? { failOn: settings.failOn } : {}),
        ...(minCoverage !== undefined ? { minCoverage } : {}),
        allowIncomplete: settings.allowIncomplete,
      });
      for (const reason of verdict.reasons) process.stderr.write(`palisade: ${reason}\n`);
      process.exitCode = verdict.exitCode;
    });
}

/**
 * `--image-max-age` is PAL-1001's `maxAgeDays` parameter: given on the command line it wins;
 * left at its default it yields to the configuration's `checks.PAL-1001.params.maxAgeDays`.
 */
function withImageMaxAge(config: PalisadeConfig, flags: ScanFlags, explicit: boolean): PalisadeConfig {
  if (!flags.images) return config;
  const key = config.checks['image-stale'] && !config.checks['PAL-1001'] ? 'image-stale' : 'PAL-1001';
  const current = config.checks[key];
  if (!explicit && current?.params?.maxAgeDays !== undefined) return config;
  const maxAgeDays = positiveInt('--image-max-age', flags.imageMaxAge);
  return { ...config, checks: { ...config.checks, [key]: { ...current, params: { ...current?.params, maxAgeDays } } } };
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new PalisadeError('usage', `${flag}: "${v}" is not a positive whole number`);
  return n;
}

/**
 * `--images`: the workloads' images pulled and analysed once each, and matched against the
 * vulnerability database (`--vuln-db`, default the `db` command's location), as the engine's
 * model inputs. A missing default database is a warning: the `vulnerabilities` input is then not
 * given, so PAL-1002/1003 are skipped (listed in the report), never passed. A database named
 * with `--vuln-db` that cannot be opened is an error.
 */
async function imageScanInputs(
  loaded: readonly LoadedSource[],
  flags: ScanFlags,
  progress: ReturnType<typeof startProgress>,
  vex: readonly VexStatement[],
): Promise<{ inputs: ScanInputs; diagnostic?: Diagnostic }> {
  const concurrency = positiveInt('--image-concurrency', flags.imageConcurrency);
  const [{ DEFAULT_CACHE_LIMIT, defaultCacheDir, LayerCache }, { imageInputs, imageUses, scanImages }, { matchPackages }, { applyVex }, { VulnDb }] =
    await Promise.all([
      import('../../images/cache.js'),
      import('../../images/join.js'),
      import('../../vuln/match.js'),
      import('../../vuln/vex.js'),
      import('../../vulndb/db.js'),
    ]);
  const dbPath = flags.vulnDb ?? defaultDbPath();
  let db: VulnDb | undefined;
  let diagnostic: Diagnostic | undefined;
  try {
    db = VulnDb.open(dbPath);
  } catch (err) {
    if (flags.vulnDb !== undefined) throw err;
    diagnostic = {
      level: 'warning',
      code: 'no-vulnerability-db',
      message: `${err instanceof Error ? err.message : String(err)}; PAL-1002 and PAL-1003 are not evaluated`,
    };
  }
  try {
    const uses = loaded.flatMap((l) => imageUses(l.inventory));
    progress.update(`Scanning ${new Set(uses.map((u) => u.image)).size} images…`);
    const vulnDb = db;
    const scanned = await scanImages(
      uses.map((u) => u.image),
      {
        concurrency,
        ...(flags.imagePlatform ? { platform: flags.imagePlatform } : {}),
        ...(flags.imageCache === false ? {} : { cache: new LayerCache(defaultCacheDir(), DEFAULT_CACHE_LIMIT) }),
        insecureRegistries: flags.insecureRegistry,
        ...(flags.dockerConfig ? { dockerConfig: flags.dockerConfig } : {}),
        ...(vulnDb ? { match: async (inventory) => applyVex(matchPackages(inventory.packages, vulnDb).vulnerabilities, vex) } : {}),
      },
    );
    return { inputs: imageInputs(scanned, { matched: vulnDb !== undefined, database: dbPath }), ...(diagnostic ? { diagnostic } : {}) };
  } finally {
    db?.close();
  }
}
