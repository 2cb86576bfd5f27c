/**
 * `palisade network`: reach, matrix and exposure over the network model. A thin shell: it
 * parses arguments, loads one inventory (manifests, a snapshot or a live cluster) and calls
 * `src/network/`.
 */
import { type Command, Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import type { Inventory } from '../../core/inventory.js';
import type { Diagnostic } from '../../core/types.js';
import { hasPort, isEmpty, parseProtocol, type Protocol } from '../../network/conn.js';
import { parseRange } from '../../network/ip.js';
import { buildNetworkModel, type Endpoint, type NetworkModel } from '../../network/model.js';
import { MATRIX_FORMATS, type MatrixFormat, renderExposure, renderMatrix, renderReach } from '../../reporters/network.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList } from '../flags.js';
import { isLive, loadOneInventory } from '../one-inventory.js';
import { DEFAULT_NAMESPACE_HELP } from './snapshot.js';

export interface CommonFlags {
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  requestTimeout: string;
  defaultNamespace?: string;
  quiet?: boolean;
}

export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option('--snapshot <file>', 'read a snapshot written by palisade snapshot instead of files')
    .option('--cluster', 'read the cluster of the current kubeconfig context instead of files')
    .option('--kubeconfig <file>', 'kubeconfig file (implies --cluster)')
    .option('--context <name>', 'kubeconfig context to read (implies --cluster), or the cluster of a multi-cluster snapshot')
    .option('--request-timeout <duration>', 'deadline of one API request (with --cluster)', '60s')
    .option('--default-namespace <ns>', DEFAULT_NAMESPACE_HELP)
    .option('-q, --quiet', 'do not print diagnostics and model warnings on stderr');
}

/** Loads the one inventory the command analyses (Secrets are not read from live clusters: no check here needs them). */
export function loadInventory(
  paths: readonly string[],
  flags: CommonFlags,
  command = 'palisade network',
): Promise<{ inventory: Inventory; diagnostics: readonly Diagnostic[] }> {
  return loadOneInventory(paths, flags, { command, secrets: !isLive(flags) });
}

async function modelFor(paths: readonly string[], flags: CommonFlags): Promise<NetworkModel> {
  const { inventory, diagnostics } = await loadInventory(paths, flags);
  const model = buildNetworkModel(inventory);
  if (!flags.quiet) {
    printDiagnostics(diagnostics);
    for (const w of model.warnings) process.stderr.write(`palisade: warning: ${w.message}\n`);
  }
  return model;
}

/**
 * Reads an endpoint argument: `NAMESPACE/NAME`, `NAMESPACE/KIND/NAME`, `NAME` (in the default
 * namespace), or an IP address / CIDR / range outside the cluster.
 */
function endpointOf(model: NetworkModel, text: string, defaultNamespace: string): Endpoint {
  if (/^[0-9.]+(\/\d+)?$/.test(text) || (text.includes(':') && /^[0-9a-fA-F:.]+(\/\d+)?$/.test(text)) || /^[0-9a-fA-F:.]+-[0-9a-fA-F:.]+$/.test(text)) {
    const range = parseRange(text);
    if (!range) throw new PalisadeError('usage', `${text} is not an IP address, CIDR or range`);
    const node = model.externalFor(range);
    if (!node) {
      const parts = model.externals
        .filter((e) => e.range.family === range.family && e.range.start <= range.end && range.start <= e.range.end)
        .map((e) => e.text);
      throw new PalisadeError('usage', `${text} spans address ranges that policies treat differently: ${parts.join(', ')}; name one of them`);
    }
    return { kind: 'external', node };
  }
  const parts = text.split('/');
  if (parts.length > 3 || parts.some((p) => p === ''))
    throw new PalisadeError('usage', `${text}: write a workload as NAMESPACE/NAME, NAMESPACE/KIND/NAME or NAME`);
  const [ns, kind, name] = parts.length === 3 ? parts : parts.length === 2 ? [parts[0], undefined, parts[1]] : [defaultNamespace, undefined, parts[0]];
  const found = model.findWorkloads(ns as string, name as string, kind);
  if (found.length === 0) {
    const near = model.workloads.filter((w) => w.name === name).map((w) => `${w.namespace}/${w.kind}/${w.name}`);
    throw new PalisadeError('usage', `no workload ${kind ? `${kind} ` : ''}${ns}/${name}${near.length > 0 ? ` (found ${near.slice(0, 5).join(', ')})` : ''}`);
  }
  if (found.length > 1) throw new PalisadeError('usage', `${text} is ambiguous: ${found.map((w) => `${w.namespace}/${w.kind}/${w.name}`).join(', ')}`);
  return { kind: 'workload', node: found[0] as NonNullable<(typeof found)[number]> };
}

function portOf(text: string): { protocol: Protocol; port: number } {
  const m = /^(\d{1,5})(?:\/([A-Za-z]+))?$/.exec(text);
  const port = m ? Number(m[1]) : Number.NaN;
  const protocol = m ? parseProtocol(m[2]) : undefined;
  if (!m || !protocol || port < 1 || port > 65535)
    throw new PalisadeError('usage', `--port ${text}: write PORT or PORT/PROTOCOL (TCP, UDP, SCTP), e.g. 53/UDP`);
  return { protocol, port };
}

/** `palisade network ...`. */
export function registerNetwork(program: Command): void {
  const network = program
    .command('network')
    .description('NetworkPolicy reachability: what can reach what, the full matrix, and exposure to the internet')
    .addHelpText(
      'after',
      `
Workloads are written NAMESPACE/NAME, NAMESPACE/KIND/NAME or NAME (in --default-namespace, else
"default"); addresses outside the cluster as an IP address, CIDR or range (203.0.113.7, 10.0.0.0/8).
A workload with N replicas is one node. NetworkPolicies, AdminNetworkPolicies and the
BaselineAdminNetworkPolicy are evaluated; CNI-specific policy kinds are reported as not modelled.

Every subcommand reads manifests (PATH..., default .), a snapshot (--snapshot) or a live cluster
(--cluster, --kubeconfig, --context).`,
    );

  addCommonOptions(
    network
      .command('reach')
      .description('answer allowed (exit 0) or denied (exit 1) from SRC to DST, with the policies that decide it')
      .argument('<src>', 'source workload or IP address')
      .argument('<dst>', 'destination workload or IP address')
      .argument('[paths...]', 'manifest files or directories (default .)')
      .option('--port <port>', 'one port: PORT or PORT/PROTOCOL (TCP default), e.g. 5432 or 53/UDP')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table')),
  )
    .addHelpText(
      'after',
      `
Exit codes: 0 allowed, 1 denied, 2 usage error, 3 runtime error. Without --port, "allowed" means
some connection is allowed.

Examples:
  palisade network reach shop/web shop/db --port 5432 deploy/
  palisade network reach shop/web 169.254.169.254 --port 80 --cluster`,
    )
    .action(async (srcText: string, dstText: string, paths: string[], flags: CommonFlags & { port?: string; format: 'table' | 'json' }) => {
      const port = flags.port !== undefined ? portOf(flags.port) : undefined;
      const model = await modelFor(paths, flags);
      const ns = flags.defaultNamespace ?? 'default';
      const src = endpointOf(model, srcText, ns);
      const dst = endpointOf(model, dstText, ns);
      if (src.kind === 'external' && dst.kind === 'external') throw new PalisadeError('usage', 'SRC or DST must be a workload');
      const r = model.reach(src, dst);
      process.stdout.write(renderReach(src, dst, r, port, flags.format));
      process.exitCode = (port ? hasPort(r.allowed, port.protocol, port.port) : !isEmpty(r.allowed)) ? 0 : 1;
    });

  addCommonOptions(
    network
      .command('matrix')
      .description('print every allowed connection between workloads and external address ranges')
      .argument('[paths...]', 'manifest files or directories (default .)')
      .addOption(new Option('-n, --namespace <ns>', 'only workloads of this namespace; repeatable or comma-separated').argParser(collectList).default([]))
      .addOption(new Option('-f, --format <format>', 'output format').choices([...MATRIX_FORMATS]).default('table')),
  )
    .addHelpText(
      'after',
      `
One row per allowed (source, destination) pair; pairs with no allowed traffic are absent, and so is
a workload's traffic to itself. Addresses outside the cluster appear as the IP ranges the policies
distinguish. -f json is documented in docs/network.md; dot and mermaid draw the graph.

Examples:
  palisade network matrix deploy/
  palisade network matrix -n shop -f dot deploy/ | dot -Tsvg > shop.svg`,
    )
    .action(async (paths: string[], flags: CommonFlags & { namespace: string[]; format: MatrixFormat }) => {
      const model = await modelFor(paths, flags);
      const unknown = flags.namespace.filter((ns) => !model.namespaceLabels.has(ns));
      if (unknown.length > 0 && !flags.quiet) process.stderr.write(`palisade: warning: no workload or policy in namespace ${unknown.join(', ')}\n`);
      const matrix = model.matrix(flags.namespace.length > 0 ? { namespaces: flags.namespace } : {});
      process.stdout.write(renderMatrix(matrix, flags.format));
    });

  addCommonOptions(
    network
      .command('exposure')
      .description('list the workloads reachable from outside the cluster, with the path in')
      .argument('[paths...]', 'manifest files or directories (default .)')
      .addOption(new Option('-n, --namespace <ns>', 'only workloads of this namespace; repeatable or comma-separated').argParser(collectList).default([]))
      .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table')),
  )
    .addHelpText(
      'after',
      `
Entry points: Services of type LoadBalancer or NodePort, externalIPs, Ingress rules, Gateway API
routes, hostNetwork and hostPort. POLICY tells whether NetworkPolicies let the traffic through:
for Services and host ports from external addresses, for Ingress and Gateway from pods of
another namespace (the controller's); not-applicable for host-network pods.`,
    )
    .action(async (paths: string[], flags: CommonFlags & { namespace: string[]; format: 'table' | 'json' }) => {
      const model = await modelFor(paths, flags);
      const list = model.exposures().filter((e) => flags.namespace.length === 0 || flags.namespace.includes(e.workload.namespace));
      process.stdout.write(renderExposure(list, flags.format));
    });
}
