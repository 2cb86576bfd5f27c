/**
 * `palisade rbac`: who-can, can, subject and paths over the RBAC model. A thin shell: it
 * parses arguments, loads one inventory (manifests, a snapshot or a live cluster) and calls
 * `src/rbac/`.
 */
import { type Command, Option } from 'commander';
import { PalisadeError } from '../../core/errors.js';
import type { Inventory } from '../../core/inventory.js';
import type { Diagnostic } from '../../core/types.js';
import { formatSubject, parseSubject, type Subject, userInfoOf } from '../../rbac/identity.js';
import { buildRbacModel, type DefaultsMode, type RbacModel, type RequestAttributes } from '../../rbac/model.js';
import { type EscalationPath, escalationPathsOf, type PathTarget } from '../../rbac/paths.js';
import { renderCan, renderPaths, renderSubject, renderWhoCan } from '../../rbac/render.js';
import { parseResourceArgument } from '../../rbac/resources.js';
import { printDiagnostics } from '../diagnostics.js';
import { resolveClusterTargets } from '../../sources/cluster/kubeconfig.js';
import { isLive, loadOneInventory } from '../one-inventory.js';
import { DEFAULT_NAMESPACE_HELP } from './snapshot.js';
import { collectRaw } from '../flags.js';

interface CommonFlags {
  format: 'table' | 'json';
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  requestTimeout: string;
  defaults?: string;
  defaultNamespace?: string;
  quiet?: boolean;
}

interface RequestFlags extends CommonFlags {
  namespace?: string;
  allNamespaces?: boolean;
  name?: string;
  subresource?: string;
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('--snapshot <file>', 'read a snapshot written by palisade snapshot instead of files')
    .option('--cluster', 'read the cluster of the current kubeconfig context instead of files')
    .option('--kubeconfig <file>', 'kubeconfig file (implies --cluster)')
    .option('--context <name>', 'kubeconfig context to read (implies --cluster), or the cluster of a multi-cluster snapshot')
    .option('--request-timeout <duration>', 'deadline of one API request (with --cluster)', '60s')
    .addOption(
      new Option(
        '--defaults <mode>',
        "Kubernetes' default RBAC policy to assume: roles (manifests), none (clusters, snapshots) or all (roles and bindings)",
      ).choices(['none', 'roles', 'all']),
    )
    .option('--default-namespace <ns>', DEFAULT_NAMESPACE_HELP)
    .option('-q, --quiet', 'do not print diagnostics on stderr');
}

function addRequestOptions(cmd: Command, namespaceHelp: string): Command {
  return cmd
    .option('-n, --namespace <ns>', namespaceHelp)
    .option('-A, --all-namespaces', 'a cluster-wide request (only ClusterRoleBindings take part)')
    .option('--name <name>', 'the object name (for rules limited by resourceNames)')
    .option('--subresource <sub>', 'the subresource (same as RESOURCE/SUB)');
}

/** Loads the one inventory the command analyses (with Secrets: service-account token Secrets are identities). */
function loadInventory(paths: readonly string[], flags: CommonFlags): Promise<{ inventory: Inventory; diagnostics: readonly Diagnostic[] }> {
  return loadOneInventory(paths, flags, { command: 'palisade rbac', secrets: true });
}

async function modelFor(paths: readonly string[], flags: CommonFlags): Promise<RbacModel> {
  const { inventory, diagnostics } = await loadInventory(paths, flags);
  if (!flags.quiet) printDiagnostics(diagnostics);
  return buildRbacModel(inventory, flags.defaults !== undefined ? { defaults: flags.defaults as DefaultsMode } : {});
}

/**
 * The namespace of a `can` request without -n or -A, as kubectl takes it: the namespace of
 * the kubeconfig context for a live cluster (`default` when the context sets none), the
 * stated `--default-namespace` for manifests, else `default`.
 */
async function requestNamespace(flags: RequestFlags): Promise<string> {
  if (isLive(flags)) {
    const [target] = await resolveClusterTargets({
      ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
      ...(flags.context !== undefined ? { contexts: [flags.context] } : {}),
    });
    const ns = target?.kubeConfig.getContextObject(target.context)?.namespace;
    return typeof ns === 'string' && ns !== '' ? ns : 'default';
  }
  return flags.defaultNamespace ?? 'default';
}

/** Builds the request of `can` / `who-can` from VERB RESOURCE and the flags. */
function requestOf(verb: string, resourceText: string, flags: RequestFlags, defaultNamespace: string | undefined): RequestAttributes & { unknown?: boolean } {
  if (verb === '') throw new PalisadeError('usage', 'VERB must not be empty');
  const arg = parseResourceArgument(resourceText);
  if (arg.kind === 'nonResource') {
    if (flags.subresource !== undefined || flags.name !== undefined)
      throw new PalisadeError('usage', '--subresource and --name do not apply to non-resource URLs');
    return { kind: 'nonResource', verb, path: arg.path };
  }
  if (flags.allNamespaces && flags.namespace !== undefined) throw new PalisadeError('usage', 'use either -n or -A, not both');
  if (flags.subresource !== undefined && arg.subresource !== undefined && flags.subresource !== arg.subresource)
    throw new PalisadeError('usage', `--subresource ${flags.subresource} contradicts ${resourceText}`);
  const subresource = flags.subresource ?? arg.subresource;
  const namespace = flags.allNamespaces ? '' : (flags.namespace ?? defaultNamespace);
  return {
    kind: 'resource',
    verb,
    apiGroup: arg.apiGroup,
    resource: arg.resource,
    ...(subresource !== undefined ? { subresource } : {}),
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(arg.known === undefined && arg.resource !== '*' ? { unknown: true } : {}),
  };
}

function warn(flags: CommonFlags, text: string): void {
  if (!flags.quiet) process.stderr.write(`palisade: warning: ${text}\n`);
}

function describeQuery(request: RequestAttributes): string {
  if (request.kind === 'nonResource') return `${request.verb} ${request.path}`;
  const res = `${request.resource}${request.apiGroup ? `.${request.apiGroup}` : ''}${request.subresource ? `/${request.subresource}` : ''}`;
  const where = request.namespace === undefined ? 'in any namespace' : request.namespace === '' ? 'cluster-wide' : `in namespace ${request.namespace}`;
  return `${request.verb} ${res}${request.name ? ` named ${request.name}` : ''} ${where}`;
}

/** `palisade rbac ...`. */
export function registerRbac(program: Command): void {
  const rbac = program
    .command('rbac')
    .description('RBAC analysis: who can do what, effective permissions of a subject, privilege-escalation paths')
    .addHelpText(
      'after',
      `
Subjects are written user:NAME, group:NAME or sa:NAMESPACE/NAME.
Resources as kubectl takes them: pods, po, deployments.apps, pods/exec, deploy/scale; URLs start with / (get /healthz).

Every subcommand reads manifests (PATH..., default .), a snapshot (--snapshot) or a live cluster
(--cluster, --kubeconfig, --context). On manifests, bindings to Kubernetes' default roles (edit, view,
cluster-admin, system:*) resolve to the built-in definitions (--defaults roles); --defaults all also adds
the default bindings, as on a fresh cluster.`,
    );

  addRequestOptions(
    addCommonOptions(
      rbac
        .command('who-can')
        .description('list the subjects allowed a request, with the binding and rule that grant it')
        .argument('<verb>', 'verb: get, list, create, impersonate, ...')
        .argument('<resource>', 'resource (pods, deployments.apps, pods/exec) or non-resource URL (/healthz)')
        .argument('[paths...]', 'manifest files or directories (default .)'),
    ),
    'namespace of the request (default: any namespace)',
  ).action(async (verb: string, resource: string, paths: string[], flags: RequestFlags) => {
    const request = requestOf(verb, resource, flags, undefined);
    if (request.kind === 'resource' && request.unknown)
      warn(flags, `${request.resource} is not a built-in resource; taken as a resource of API group "${request.apiGroup}"`);
    const arg = parseResourceArgument(resource);
    const clusterScoped = arg.kind === 'resource' && arg.known !== undefined && !arg.known.namespaced;
    // Real requests on cluster-scoped resources carry no namespace: RoleBindings never grant them.
    const query = request.kind === 'resource' && clusterScoped && request.namespace !== '' ? { ...request, namespace: '' } : request;
    if (request.kind === 'resource' && clusterScoped && flags.namespace !== undefined)
      warn(flags, `resource '${request.resource}' is not namespace scoped: -n ignored`);
    const model = await modelFor(paths, flags);
    process.stdout.write(renderWhoCan(model.whoCan(query), describeQuery(query), flags.format));
  });

  addRequestOptions(
    addCommonOptions(
      rbac
        .command('can')
        .description('answer yes (exit 0) or no (exit 1) for one subject and request, as kubectl auth can-i --as')
        .argument('<subject>', 'user:NAME, group:NAME or sa:NAMESPACE/NAME')
        .argument('<verb>', 'verb: get, list, create, ...')
        .argument('<resource>', 'resource (pods, deployments.apps, pods/exec) or non-resource URL (/healthz)')
        .argument('[paths...]', 'manifest files or directories (default .)')
        .addOption(new Option('--group <group>', 'add a group to the user, as kubectl --as-group; repeatable').argParser(collectRaw).default([])),
    ),
    "namespace of the request (default: the kubeconfig context's namespace with --cluster, as kubectl; else --default-namespace or default)",
  )
    .addHelpText(
      'after',
      `
Exit codes: 0 yes, 1 no, 2 usage error, 3 runtime error.
As kubectl auth can-i, the request is made in the namespace of the kubeconfig context unless -n
or -A is given ("default" when the context sets none; on manifests --default-namespace, else
"default"), also for cluster-scoped resources (a warning says so). Users get system:authenticated
(system:anonymous gets system:unauthenticated); service accounts their two system:serviceaccounts
groups unless --group is given.

Examples:
  palisade rbac can sa:shop/web get secrets -n shop deploy/
  palisade rbac can user:alice create pods/exec -n prod --cluster
  palisade rbac can user:system:anonymous get /healthz --defaults all`,
    )
    .action(async (subjectText: string, verb: string, resource: string, paths: string[], flags: RequestFlags & { group: string[] }) => {
      const subject = parseSubject(subjectText);
      if (flags.group.length > 0 && subject.kind === 'Group')
        throw new PalisadeError('usage', '--group adds groups to a user or service account, not to a group');
      const needsNamespace = !flags.allNamespaces && flags.namespace === undefined;
      const request = requestOf(verb, resource, flags, needsNamespace ? await requestNamespace(flags) : undefined);
      if (request.kind === 'resource') {
        const arg = parseResourceArgument(resource);
        if (request.unknown) warn(flags, `the resource type '${request.resource}' is not a built-in one`);
        if (arg.kind === 'resource' && arg.known && !arg.known.namespaced && request.namespace !== '')
          warn(flags, `resource '${request.resource}' is not namespace scoped`);
      }
      const user = userInfoOf(subject, flags.group);
      const model = await modelFor(paths, flags);
      const { unknown: _unknown, ...attributes } = request as RequestAttributes & { unknown?: boolean };
      const decision = model.authorize(user, attributes);
      process.stdout.write(renderCan(subject, user, attributes, decision, flags.format));
      process.exitCode = decision.allowed ? 0 : 1;
    });

  addCommonOptions(
    rbac
      .command('subject')
      .description('list every effective rule of one subject, with the binding that grants it, its risky capabilities and escalation paths')
      .argument('<subject>', 'user:NAME, group:NAME or sa:NAMESPACE/NAME')
      .argument('[paths...]', 'manifest files or directories (default .)')
      .addOption(new Option('--group <group>', 'add a group to the user, as kubectl --as-group; repeatable').argParser(collectRaw).default([])),
  ).action(async (subjectText: string, paths: string[], flags: CommonFlags & { group: string[] }) => {
    const subject = parseSubject(subjectText);
    const user = userInfoOf(subject, flags.group);
    const model = await modelFor(paths, flags);
    const paths_ = flags.group.length > 0 ? [] : pathsOf(model, subject);
    process.stdout.write(renderSubject(model, subject, user, paths_, flags.format));
  });

  addCommonOptions(
    rbac
      .command('paths')
      .description('print the shortest privilege-escalation chain to cluster-admin and to reading every Secret, per subject')
      .argument('[subject-or-paths...]', 'an optional subject (user:, group:, sa:) followed by manifest files or directories')
      .addOption(new Option('--target <target>', 'which end state').choices(['cluster-admin', 'secrets', 'all']).default('all'))
      .option('--all', "also show subjects granted only by Kubernetes' own bindings (system: roles)"),
  )
    .addHelpText(
      'after',
      `
Each step names the primitive (create pods, exec, token request, impersonate, bind, escalate, CSR...)
and the binding and rule that allow it. Subjects that can reach cluster-admin are not listed again
under "every Secret".

Examples:
  palisade rbac paths deploy/
  palisade rbac paths sa:ci/deployer deploy/ -f json
  palisade rbac paths --cluster --target cluster-admin`,
    )
    .action(async (args: string[], flags: CommonFlags & { target: string; all?: boolean }) => {
      let subject: Subject | undefined;
      let paths = args;
      if (args.length > 0 && /^(user|group|sa|serviceaccount|u|g):/i.test(args[0] as string)) {
        subject = parseSubject(args[0] as string);
        paths = args.slice(1);
      }
      const model = await modelFor(paths, flags);
      const targets: PathTarget[] =
        flags.target === 'cluster-admin' ? ['cluster-admin'] : flags.target === 'secrets' ? ['all-secrets'] : ['cluster-admin', 'all-secrets'];
      let omitted = 0;
      let found: EscalationPath[];
      if (subject) found = pathsOf(model, subject, targets);
      else {
        const graph = escalationPathsOf(model);
        const admins = new Set(graph.paths('cluster-admin').map((p) => formatSubject(p.subject)));
        found = [];
        for (const target of targets) {
          for (const p of graph.paths(target)) {
            if (target === 'all-secrets' && targets.includes('cluster-admin') && admins.has(formatSubject(p.subject))) continue;
            if (!flags.all && onlyBootstrap(p)) {
              omitted++;
              continue;
            }
            found.push(p);
          }
        }
      }
      if (subject && found.length === 0 && flags.format === 'table') {
        process.stdout.write(
          `No escalation path from ${formatSubject(subject)} to ${targets.map((t) => (t === 'cluster-admin' ? 'cluster-admin' : 'every Secret')).join(' or ')}.\n`,
        );
        return;
      }
      process.stdout.write(renderPaths(found, model, flags.format, omitted));
    });
}

/** The paths of one subject: to cluster-admin, and to every Secret when cluster-admin is out of reach. */
function pathsOf(model: RbacModel, subject: Subject, targets: readonly PathTarget[] = ['cluster-admin', 'all-secrets']): EscalationPath[] {
  const graph = escalationPathsOf(model);
  const out: EscalationPath[] = [];
  const admin = targets.includes('cluster-admin') ? graph.pathOf(subject, 'cluster-admin') : undefined;
  if (admin) out.push(admin);
  if (targets.includes('all-secrets') && !admin) {
    const secrets = graph.pathOf(subject, 'all-secrets');
    if (secrets) out.push(secrets);
  }
  return out;
}

/** True when a path's first step rests only on Kubernetes' own bindings (or on no binding at all). */
function onlyBootstrap(path: EscalationPath): boolean {
  const first = path.steps[0];
  if (!first) return true;
  if (first.evidence.length === 0) return formatSubject(path.subject).startsWith('group:system:');
  return first.evidence.every((e) => !e.binding || e.binding.bootstrap || e.binding.origin === 'default');
}
