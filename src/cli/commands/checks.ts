import type { Command } from 'commander';
import { Option } from 'commander';
import { builtinChecks } from '../../checks/index.js';
import { type AnyCheck, metaOf } from '../../core/check.js';
import { didYouMean } from '../../config/suggest.js';
import { PalisadeError } from '../../core/errors.js';
import { loadCustomChecks } from '../../custom/load.js';
import { resolveReference } from '../../frameworks/index.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectRaw } from '../flags.js';

async function catalogue(dirs: readonly string[]): Promise<AnyCheck[]> {
  const custom = await loadCustomChecks(dirs);
  printDiagnostics(custom.diagnostics);
  return [...builtinChecks, ...custom.checks];
}

/** `palisade checks` and `palisade explain`. */
export function registerChecks(program: Command): void {
  program
    .command('checks')
    .description('list the check catalogue')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .addOption(new Option('--checks-dir <dir>', 'also list custom checks from a directory; repeatable').argParser(collectRaw).default([]))
    .action(async (flags: { format: string; checksDir: string[] }) => {
      const checks = await catalogue(flags.checksDir);
      if (flags.format === 'json') {
        process.stdout.write(`${JSON.stringify(checks.map(metaOf), null, 2)}\n`);
        return;
      }
      const rows = checks.map((c) => [c.id, c.severity, c.category, c.name, c.title]);
      const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => (r[i] ?? '').length), 4));
      const head = ['ID', 'SEVERITY', 'CATEGORY', 'NAME', 'TITLE'];
      const line = (r: string[]): string => r.map((c, i) => (i < 4 ? c.padEnd(Math.max(widths[i] ?? 0, (head[i] ?? '').length)) : c)).join('  ');
      process.stdout.write(`${[line(head), ...rows.map(line)].join('\n')}\n${checks.length} checks\n`);
    });

  program
    .command('explain')
    .description("print one check's documentation")
    .argument('<check>', 'check id, name or alias')
    .addOption(new Option('--checks-dir <dir>', 'also look in custom checks from a directory; repeatable').argParser(collectRaw).default([]))
    .action(async (id: string, flags: { checksDir: string[] }) => {
      const checks = await catalogue(flags.checksDir);
      const c = checks.find((x) => x.id === id || x.name === id || (x.aliases ?? []).includes(id));
      if (!c)
        throw new PalisadeError(
          'usage',
          `no check named "${id}"${didYouMean(
            id,
            checks.flatMap((x) => [x.id, x.name, ...(x.aliases ?? [])]),
          )}; run palisade checks to list them`,
        );
      const params = Object.entries(
        (c.paramsSchema?.properties ?? {}) as Record<string, { type?: string; description?: string; items?: { type?: string } }>,
      ).map(
        ([name, p]) =>
          `  ${name} (${p.type === 'array' && p.items?.type ? `list of ${p.items.type}s` : (p.type ?? 'any')})${p.description ? `: ${p.description}` : ''}`,
      );
      const refs = c.frameworks.map((r) => {
        const res = resolveReference(r);
        return res ? `  ${r}  ${res.framework.title} ${res.framework.version}: ${res.title}` : `  ${r}`;
      });
      const targets =
        c.target.kind === 'resource'
          ? `objects of kind ${c.target.kinds.join(', ')}`
          : c.target.kind === 'pod'
            ? 'pod specs of every workload'
            : c.target.kind === 'container'
              ? 'every container (init and ephemeral included)'
              : 'the whole inventory';
      process.stdout.write(
        [
          `${c.id} ${c.name}: ${c.title}`,
          `Severity: ${c.severity}   Category: ${c.category}   Applies to: ${targets}`,
          '',
          c.docs.description,
          '',
          'Remediation:',
          `  ${c.docs.remediation}`,
          ...(params.length ? ['', `Parameters (checks.${c.id}.params in .palisade.yaml):`, ...params] : []),
          ...(refs.length ? ['', 'Frameworks:', ...refs] : []),
          ...(c.docs.references?.length ? ['', 'References:', ...c.docs.references.map((r) => `  ${r}`)] : []),
          '',
        ].join('\n'),
      );
    });
}
