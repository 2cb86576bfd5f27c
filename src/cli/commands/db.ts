/**
 * `palisade db build` and `palisade db status`: the local vulnerability database, built from
 * files the user downloaded (no network access), and what it holds. A stale database warns,
 * never fails.
 */
import { type Command, Option } from 'commander';
import { buildVulnDb } from '../../vulndb/build.js';
import { type DbStatus, STALE_AFTER_DAYS, VulnDb } from '../../vulndb/db.js';
import { defaultDbPath } from '../../vulndb/location.js';
import { collectRaw } from '../flags.js';

interface BuildFlags {
  osv: string[];
  debianTracker: string[];
  alpineSecdb: string[];
  kev?: string;
  epss?: string;
  out?: string;
  quiet?: boolean;
}

export function registerDb(program: Command): void {
  const db = program.command('db').description('build and inspect the local vulnerability database (offline)');
  db.command('build')
    .description('build the vulnerability database from downloaded feeds (OSV, Debian tracker, Alpine secdb, KEV, EPSS)')
    .option('--osv <dir|zip>', 'OSV records: a directory (searched recursively) or an all.zip; repeatable', collectRaw, [])
    .option('--debian-tracker <file>', 'Debian security tracker JSON, or a DSA/DLA list (plain or .gz); repeatable', collectRaw, [])
    .option('--alpine-secdb <dir|file>', 'Alpine secdb files (main.json/community.json or .yaml); repeatable', collectRaw, [])
    .option('--kev <file>', 'CISA Known Exploited Vulnerabilities JSON (plain or .gz)')
    .option('--epss <file>', 'FIRST EPSS scores CSV (plain or .gz)')
    .option('--out <file>', `database file (default ${defaultDbPath()})`)
    .option('-q, --quiet', 'print only errors')
    .addHelpText(
      'after',
      '\nExit codes: 0 built; 2 a missing or unreadable input; 3 a write error.\nSee docs/vulnerabilities.md for where to download each feed.',
    )
    .action(async (flags: BuildFlags) => {
      const out = flags.out ?? defaultDbPath();
      const summary = await buildVulnDb({
        osv: flags.osv,
        debianTracker: flags.debianTracker,
        alpineSecdb: flags.alpineSecdb,
        ...(flags.kev !== undefined ? { kev: flags.kev } : {}),
        ...(flags.epss !== undefined ? { epss: flags.epss } : {}),
        out,
      });
      if (flags.quiet) return;
      for (const w of summary.warnings) process.stderr.write(`palisade: warning: ${w}\n`);
      if (summary.skipped > summary.warnings.length) process.stderr.write(`palisade: warning: ${summary.skipped - summary.warnings.length} more skipped\n`);
      process.stdout.write(
        `built ${out}: ${summary.advisories} advisories, ${summary.affected} package entries, ${summary.kev} KEV, ${summary.epss} EPSS from ${summary.sources.length} sources\n`,
      );
    });
  db.command('status')
    .description('show what the vulnerability database holds and how old it is')
    .option('--db <file>', `database file (default ${defaultDbPath()})`)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addHelpText(
      'after',
      `\nA database older than ${STALE_AFTER_DAYS} days prints a warning; the exit code stays 0.\nExit codes: 0 shown; 2 no database or not one.`,
    )
    .action((flags: { db?: string; format: 'table' | 'json' }) => {
      const vdb = VulnDb.open(flags.db ?? defaultDbPath());
      const status = vdb.status();
      vdb.close();
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
      warnIfStale(status);
    });
}

/** Prints the staleness warning on stderr (never an error: an old database still answers). */
export function warnIfStale(status: Pick<DbStatus, 'ageDays' | 'path' | 'builtAt'>): void {
  if (status.ageDays > STALE_AFTER_DAYS)
    process.stderr.write(
      `palisade: warning: the vulnerability database ${status.path} was built ${status.ageDays} days ago (${status.builtAt}): rebuild it with fresh feeds (palisade db build)\n`,
    );
}

function renderStatus(s: DbStatus): string {
  const lines = [
    `database:   ${s.path}`,
    `schema:     ${s.schemaVersion}`,
    `built:      ${s.builtAt} (${s.ageDays === 0 ? 'today' : `${s.ageDays} day${s.ageDays === 1 ? '' : 's'} ago`})`,
    `advisories: ${s.advisories}`,
    `entries:    ${s.affected} (${s.ecosystems.map((e) => `${e.ecosystem} ${e.entries}`).join(', ')})`,
    `KEV:        ${s.kev}`,
    `EPSS:       ${s.epss}`,
    'sources:',
    ...s.sources.map(
      (src) =>
        `  ${src.kind.padEnd(14)} ${String(src.records).padStart(7)}  ${src.path}${src.newest !== undefined ? `  (newest ${src.newest})` : ''}${src.detail !== undefined ? `  ${src.detail}` : ''}`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
