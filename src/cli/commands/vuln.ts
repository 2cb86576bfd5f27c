/**
 * `palisade vuln match`: matches installed packages (from an SBOM or a package list) against
 * the local vulnerability database, applies VEX statements, and reports. The image commands
 * reuse the same matcher and report.
 */
import { type Command, Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import { SEVERITIES, type Severity, severityRank } from '../../core/types.js';
import type { InstalledPackage } from '../../packages/packages.js';
import { renderVulnReport, type VulnFormat } from '../../reporters/vulnerabilities.js';
import { VulnDb } from '../../vulndb/db.js';
import { loadPackageList, loadSbom, loadVex } from '../../vulndb/inputs.js';
import { defaultDbPath } from '../../vulndb/location.js';
import { matchPackages } from '../../vuln/match.js';
import { applyVex } from '../../vuln/vex.js';
import { scanImage } from '../../images/image.js';
import { collectRaw } from '../flags.js';
import { addImageOptions, type ImageFlags, imageOptionsFromFlags } from './image.js';
import { useColor } from '../output.js';
import { warnIfStale } from './db.js';

interface MatchFlags extends ImageFlags {
  sbom?: string;
  packages?: string;
  image?: string;
  db?: string;
  vex: string[];
  ignoreUnfixed?: boolean;
  showNotAffected?: boolean;
  format: VulnFormat;
  failOn?: Severity;
  color?: boolean;
  quiet?: boolean;
}

export function registerVuln(program: Command): void {
  const vuln = program.command('vuln').description('match packages against the local vulnerability database');
  const match = vuln
    .command('match')
    .description('report the known vulnerabilities of the packages of an image, an SBOM or a package list')
    .option('--image <ref>', 'container image: registry reference, OCI layout directory or image tar (as palisade image reads them)')
    .option('--sbom <file>', 'CycloneDX or SPDX JSON SBOM whose components carry package URLs')
    .option('--packages <file>', 'JSON array of installed packages (ecosystem, name, version, source, purl)')
    .option('--db <file>', `vulnerability database (default ${defaultDbPath()})`)
    .option('--vex <file>', 'OpenVEX or CycloneDX VEX document; repeatable', collectRaw, [])
    .option('--ignore-unfixed', 'leave out vulnerabilities without a published fix')
    .option('--show-not-affected', 'also list vulnerabilities a distro marks not affected, and withdrawn ones (JSON)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'sarif']).default('table'))
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a vulnerability not suppressed by VEX is at or above this severity').choices([...SEVERITIES]))
    .option('--no-color', 'no colours in the table')
    .option('-q, --quiet', 'no warnings on stderr')
    .addHelpText(
      'after',
      '\nExit codes:\n  0  nothing at or above --fail-on (or --fail-on not given)\n  1  a vulnerability at or above --fail-on\n  2  bad input: no or two inputs, unreadable SBOM, package list or VEX, no database, image not found\n  3  runtime error (an image that cannot be pulled or read)\n\nThe image flags (--platform, --no-cache, --docker-config, ...) apply to --image.',
    );
  addImageOptions(match).action(async (flags: MatchFlags) => {
    const inputs = [flags.image, flags.sbom, flags.packages].filter((x) => x !== undefined).length;
    if (inputs !== 1) throw new PalisadeError('usage', 'give exactly one of --image REF, --sbom FILE or --packages FILE');
    const db = VulnDb.open(flags.db ?? defaultDbPath());
    try {
      const statements = loadVex(flags.vex);
      let packages: InstalledPackage[];
      if (flags.image !== undefined) packages = [...(await scanImage(flags.image, imageOptionsFromFlags(flags))).inventory.packages];
      else if (flags.sbom !== undefined) {
        const sbom = loadSbom(flags.sbom);
        packages = sbom.packages;
        if (sbom.skipped > 0 && !flags.quiet)
          process.stderr.write(`palisade: warning: ${flags.sbom}: ${sbom.skipped} components without a versioned package URL of a matched type were skipped\n`);
      } else packages = loadPackageList(flags.packages as string);
      const status = db.status();
      if (!flags.quiet) warnIfStale(status);
      const result = matchPackages(packages, db, {
        ...(flags.ignoreUnfixed ? { ignoreUnfixed: true } : {}),
        ...(flags.showNotAffected ? { includeNotAffected: true } : {}),
      });
      const vulnerabilities = applyVex(result.vulnerabilities, statements);
      const target = flags.image ?? flags.sbom ?? (flags.packages as string);
      process.stdout.write(
        renderVulnReport(
          {
            target,
            packages: packages.length,
            vulnerabilities,
            unmatched: result.unmatched,
            database: { path: db.path, builtAt: status.builtAt, ageDays: status.ageDays },
          },
          flags.format,
          { color: useColor(flags.color) },
        ),
      );
      if (flags.failOn !== undefined) {
        const threshold = severityRank(flags.failOn);
        const failing = vulnerabilities.some(
          (v) => v.vex === undefined && (v.status === 'fixed' || v.status === 'affected') && severityRank(v.severity) >= threshold,
        );
        process.exitCode = failing ? 1 : 0;
      }
    } finally {
      db.close();
    }
  });
}
