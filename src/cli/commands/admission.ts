/**
 * `palisade admission serve` runs the validating (and mutating) webhook; `palisade admission
 * manifests` prints the objects that install it. The webhook evaluates with the library's scan
 * functions (src/admission/evaluate.ts), so its verdicts are `palisade scan`'s.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { stringify } from 'yaml';
import { buildAdmissionEngine } from '../../admission/engine.js';
import { ADMISSION_MODES } from '../../admission/evaluate.js';
import { admissionManifests, type CertificateSource } from '../../admission/manifests.js';
import { ClusterNamespaces, type NamespaceLabelSource, NO_NAMESPACES, StaticNamespaces } from '../../admission/namespaces.js';
import { createAdmissionServer } from '../../admission/server.js';
import { generateTls, serviceNames } from '../../admission/tls.js';
import { type AdmissionMode, CONFIG_FILE_NAME, loadConfig, parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { isSeverity, SEVERITIES, type Severity } from '../../core/types.js';
import { loadCustomChecks } from '../../custom/load.js';
import { targetKubernetesVersion } from '../../scan.js';
import { loadManifests } from '../../sources/files.js';
import { VERSION } from '../../version.js';
import { printDiagnostics } from '../diagnostics.js';
import { collectList, collectRaw } from '../flags.js';
import { sourcedValue } from '../sourced.js';
import { parseDuration } from './snapshot.js';

interface ServeFlags {
  port: string;
  address?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsSan: string[];
  writeCa?: string;
  config?: string;
  checksDir: string[];
  include: string[];
  exclude: string[];
  failOn?: string;
  defaultMode?: string;
  allowIncomplete?: boolean;
  exemptNamespace: string[];
  exemptUser: string[];
  exemptGroup: string[];
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespaces?: string;
  namespaceResync: string;
  maxBodySize: string;
  requestTimeout: string;
  k8sVersion?: string;
  quiet?: boolean;
}

interface ManifestFlags {
  namespace: string;
  name: string;
  image: string;
  replicas: string;
  failOn?: string;
  defaultMode?: string;
  failurePolicy: string;
  mutating?: boolean;
  caBundle?: string;
  certManager?: boolean;
  generateCerts?: string;
  config?: string;
  timeoutSeconds: string;
}

/** The listen address: every interface in a pod (the API server calls the Service), else loopback only. */
export function defaultAddress(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.KUBERNETES_SERVICE_HOST !== undefined && env.KUBERNETES_SERVICE_HOST !== '' ? '0.0.0.0' : '127.0.0.1';
}

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new PalisadeError('usage', `--port: "${text}" is not a port number (0-65535)`);
  return n;
}

function mode(flag: string, text: string | undefined): AdmissionMode | undefined {
  if (text === undefined) return undefined;
  if (!(ADMISSION_MODES as readonly string[]).includes(text)) throw new PalisadeError('usage', `${flag}: "${text}" is not enforce, warn or audit`);
  return text as AdmissionMode;
}

async function readText(flag: string, file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new PalisadeError('usage', `${flag}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

async function namespaceSource(flags: ServeFlags, warn: (line: string) => void): Promise<NamespaceLabelSource> {
  const cluster = flags.cluster === true || flags.context !== undefined || flags.kubeconfig !== undefined;
  if (cluster && flags.namespaces !== undefined) throw new PalisadeError('usage', 'use either --cluster or --namespaces FILE, not both');
  if (flags.namespaces !== undefined) {
    const loaded = await loadManifests([flags.namespaces]);
    if (loaded.incomplete.length > 0 || loaded.stats.parseErrors > 0) {
      printDiagnostics(loaded.diagnostics);
      throw new PalisadeError('usage', `--namespaces: ${flags.namespaces} could not be read completely`);
    }
    const namespaces = loaded.inventory.ofKind('Namespace').map((r) => r.object);
    if (namespaces.length === 0)
      throw new PalisadeError('usage', `--namespaces: ${flags.namespaces} holds no Namespace object (try kubectl get namespaces -o yaml)`);
    return new StaticNamespaces(namespaces);
  }
  if (!cluster) return NO_NAMESPACES;
  const resyncMs = parseDuration(flags.namespaceResync);
  if (resyncMs === undefined) throw new PalisadeError('usage', `--namespace-resync: "${flags.namespaceResync}" is not a duration such as 60s`);
  const { resolveClusterTargets, ApiClient, ApiError } = await import('../../sources/cluster/index.js');
  const [target] = await resolveClusterTargets({
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context !== undefined ? { contexts: [flags.context] } : {}),
  });
  if (!target) throw new PalisadeError('kubeconfig-invalid', 'no cluster context to read namespaces from');
  const client = new ApiClient(target.kubeConfig, { timeoutMs: 5000, retries: 1 });
  const source = new ClusterNamespaces(client, {
    resyncMs,
    onError: (err) =>
      warn(`namespace labels: ${err instanceof ApiError ? err.describe() : err instanceof Error ? err.message : String(err)} (keeping the labels read before)`),
  });
  try {
    await source.start();
  } catch (err) {
    client.close();
    const message = err instanceof ApiError ? err.describe() : err instanceof Error ? err.message : String(err);
    throw new PalisadeError('cluster-unreachable', `context ${target.context} (${target.server}): cannot list namespaces: ${message}`);
  }
  return source;
}

function registerServe(admission: Command): void {
  const cmd = admission
    .command('serve')
    .description('serve the validating (/validate) and mutating (/mutate) admission webhook over HTTPS')
    .option('--port <port>', 'HTTPS port', '8443')
    .option('--address <address>', 'listen address (default: 0.0.0.0 in a pod, 127.0.0.1 elsewhere)')
    .option('--tls-cert <file>', 'PEM certificate (chain) of the server; without it a CA and certificate are generated')
    .option('--tls-key <file>', 'PEM private key of --tls-cert')
    .addOption(
      new Option('--tls-san <name>', 'extra DNS name or IP of the generated certificate (comma-separated, repeatable)').argParser(collectList).default([]),
    )
    .option('--write-ca <file>', 'write the generated CA certificate (PEM) to this file')
    .option('-c, --config <file>', `configuration file (default: ./${CONFIG_FILE_NAME} when present)`)
    .addOption(new Option('--checks-dir <dir>', 'load custom checks from a directory; repeatable').argParser(collectRaw).default([]))
    .addOption(new Option('--include <checks>', 'only run these checks (comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(new Option('--exclude <checks>', 'do not run these checks (comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(
      new Option('--fail-on <severity>', 'enforce denies a failing finding at or above this severity (default: admission.failOn, failOn, then high)').choices([
        ...SEVERITIES,
      ]),
    )
    .addOption(
      new Option('--default-mode <mode>', 'mode of namespaces without the palisade.dev/enforce label (default: admission.defaultMode, then warn)').choices([
        ...ADMISSION_MODES,
      ]),
    )
    .option('--allow-incomplete', 'do not deny when a check ends in error on the object')
    .addOption(new Option('--exempt-namespace <ns>', 'admit without evaluation (globs; comma-separated, repeatable)').argParser(collectList).default([]))
    .addOption(new Option('--exempt-user <name>', 'admit requests of these users without evaluation (globs; repeatable)').argParser(collectList).default([]))
    .addOption(
      new Option('--exempt-group <group>', 'admit requests of users in these groups without evaluation (repeatable)').argParser(collectList).default([]),
    )
    .option('--cluster', 'read namespace labels from the cluster (kubeconfig, or the pod service account)')
    .option('--kubeconfig <file>', 'kubeconfig file (implies --cluster)')
    .option('--context <name>', 'kubeconfig context (implies --cluster)')
    .option('--namespaces <file>', 'read namespace labels from Namespace objects in a file (kubectl get ns -o yaml), for offline use')
    .option('--namespace-resync <duration>', 'how often to list namespaces again (with --cluster)', '60s')
    .option('--max-body-size <size>', 'largest request body accepted', '8MB')
    .option('--request-timeout <duration>', 'deadline of one request, body included', '10s')
    .option('--k8s-version <version>', 'Kubernetes version the objects target, e.g. v1.29 (default: the newest known)')
    .option('-q, --quiet', 'no log line per request')
    .addHelpText(
      'after',
      `
Namespaces choose their mode with labels (the default mode applies without them):
  palisade.dev/enforce: enforce|warn|audit
  palisade.dev/enforce-severity: critical|high|medium|low|info

  enforce  deny when a failing finding is at or above the threshold; lower ones are warnings
  warn     admit, with every failing finding as a warning (kubectl prints them)
  audit    admit, with the findings as audit annotations

Logs: one JSON line per decision on stdout (never the object); problems on stderr.
Exit codes: 2 usage or configuration error, 3 runtime error (port in use, cluster unreachable).

Examples:
  palisade admission serve --tls-cert tls.crt --tls-key tls.key --cluster
  palisade admission serve --namespaces namespaces.yaml --default-mode enforce --write-ca ca.crt`,
    )
    .action(async (flags: ServeFlags) => {
      const warn = (line: string): void => {
        process.stderr.write(`palisade: ${line}\n`);
      };
      const config = await loadConfig(flags.config ?? CONFIG_FILE_NAME, flags.config !== undefined);
      const failOnFlag = sourcedValue<string>(cmd, 'failOn');
      const failOn = failOnFlag.value;
      if (failOn !== undefined && !isSeverity(failOn)) throw new PalisadeError('usage', `--fail-on: unknown severity "${failOn}"`);
      if (flags.k8sVersion !== undefined) targetKubernetesVersion(flags.k8sVersion, undefined);
      const maxBodyBytes = parseSize(flags.maxBodySize);
      if (maxBodyBytes === undefined) throw new PalisadeError('usage', `--max-body-size: "${flags.maxBodySize}" is not a size such as 8MB`);
      const requestTimeoutMs = parseDuration(flags.requestTimeout);
      if (requestTimeoutMs === undefined) throw new PalisadeError('usage', `--request-timeout: "${flags.requestTimeout}" is not a duration such as 10s`);
      const listenPort = port(flags.port);
      if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) throw new PalisadeError('usage', '--tls-cert and --tls-key go together');
      const custom = await loadCustomChecks([...config.checksDirs, ...flags.checksDir.map((d) => resolve(d))]);
      if (!flags.quiet) printDiagnostics(custom.diagnostics);
      const defaultMode = mode('--default-mode', flags.defaultMode);
      const engine = buildAdmissionEngine({
        config,
        include: flags.include,
        exclude: flags.exclude,
        extraChecks: custom.checks,
        ...(failOn !== undefined ? { failOn: failOn as Severity } : {}),
        ...(defaultMode !== undefined ? { defaultMode } : {}),
        ...(flags.allowIncomplete ? { allowIncomplete: true } : {}),
        exemptNamespaces: flags.exemptNamespace,
        exemptUsers: flags.exemptUser,
        exemptGroups: flags.exemptGroup,
        ...(flags.k8sVersion !== undefined ? { kubernetesVersion: flags.k8sVersion } : {}),
      });
      let tls: { key: string; cert: string };
      let caBundle: string | undefined;
      if (flags.tlsCert !== undefined && flags.tlsKey !== undefined) {
        tls = { cert: await readText('--tls-cert', flags.tlsCert), key: await readText('--tls-key', flags.tlsKey) };
      } else {
        const names = [...new Set(['127.0.0.1', 'localhost', ...flags.tlsSan])];
        const generated = await generateTls(names, 365);
        tls = { cert: generated.cert, key: generated.key };
        caBundle = Buffer.from(generated.ca, 'utf8').toString('base64');
        if (flags.writeCa !== undefined) await writeFile(flags.writeCa, generated.ca, { mode: 0o644 });
      }
      const namespaces = await namespaceSource(flags, warn);
      const address = flags.address ?? defaultAddress();
      let server: ReturnType<typeof createAdmissionServer>['server'];
      try {
        server = createAdmissionServer({
          engine,
          namespaces,
          tls,
          maxBodyBytes,
          requestTimeoutMs,
          warn,
          ...(flags.quiet ? {} : { log: (line: string) => process.stdout.write(`${line}\n`) }),
        }).server;
      } catch (err) {
        throw new PalisadeError('usage', `TLS: the certificate or key cannot be used: ${err instanceof Error ? err.message : String(err)}`);
      }
      await new Promise<void>((ok, fail) => {
        server.once('error', (err: NodeJS.ErrnoException) =>
          fail(
            new PalisadeError(
              'io',
              err.code === 'EADDRINUSE' ? `${address}:${listenPort} is already in use` : `cannot listen on ${address}:${listenPort}: ${err.message}`,
            ),
          ),
        );
        server.listen(listenPort, address, () => ok());
      });
      const bound = server.address();
      const actualPort = typeof bound === 'object' && bound !== null ? bound.port : listenPort;
      const host = address.includes(':') ? `[${address}]` : address;
      const url = `https://${host}:${actualPort}`;
      warn(`admission webhook on ${url} (/validate, /mutate, /healthz, /readyz, /metrics); default mode ${engine.defaultMode}, fail-on ${engine.failOn}`);
      if (caBundle !== undefined) warn(`generated a self-signed CA; caBundle (base64 PEM) for the webhook registration: ${caBundle}`);
      process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event: 'listening', url, ...(caBundle !== undefined ? { caBundle } : {}) })}\n`);
      await new Promise<void>((done) => {
        const stop = (signal: string): void => {
          warn(`${signal}: shutting down`);
          namespaces.close();
          server.close(() => done());
          // Keep-alive connections from the API server would hold close() open.
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5000).unref();
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
    });
}

function registerManifests(admission: Command): void {
  admission
    .command('manifests')
    .description('print the objects that install the webhook: ServiceAccount, RBAC, Deployment, Service, webhook registrations')
    .option('--namespace <ns>', 'namespace of the webhook', 'palisade')
    .option('--name <name>', 'name of every object', 'palisade-admission')
    .option('--image <image>', 'container image running palisade (see docs/admission.md to build one)', `kube-palisade:${VERSION}`)
    .option('--replicas <n>', 'webhook pods', '2')
    .addOption(new Option('--fail-on <severity>', 'as palisade admission serve --fail-on').choices([...SEVERITIES]))
    .addOption(new Option('--default-mode <mode>', 'as palisade admission serve --default-mode').choices([...ADMISSION_MODES]))
    .addOption(new Option('--failure-policy <policy>', 'what the API server does when the webhook cannot answer').choices(['Fail', 'Ignore']).default('Fail'))
    .option('--mutating', 'also register /mutate (MutatingWebhookConfiguration)')
    .option('--ca-bundle <file>', 'PEM CA that signed the certificate in Secret <name>-tls')
    .option('--cert-manager', 'let cert-manager issue the certificate and inject the CA')
    .option('--generate-certs <dir>', 'generate a CA and a certificate for the Service into DIR (ca.crt, tls.crt, tls.key)')
    .option('-c, --config <file>', 'a .palisade.yaml to mount into the webhook (ConfigMap)')
    .option('--timeout-seconds <n>', 'webhook call timeout (1-30)', '5')
    .addHelpText(
      'after',
      `
One of --ca-bundle, --cert-manager or --generate-certs says how the serving certificate is made.
With --generate-certs, create the Secret from the files (the key is never printed):
  kubectl -n palisade create secret tls palisade-admission-tls --cert DIR/tls.crt --key DIR/tls.key

Examples:
  palisade admission manifests --generate-certs ./certs --image registry.example/palisade:0.1.0 | kubectl apply -f -
  palisade admission manifests --cert-manager --mutating --default-mode enforce`,
    )
    .action(async (flags: ManifestFlags) => {
      const chosen = [flags.caBundle !== undefined, flags.certManager === true, flags.generateCerts !== undefined].filter(Boolean).length;
      if (chosen !== 1)
        throw new PalisadeError(
          'usage',
          'say how the webhook gets its certificate: --ca-bundle FILE (your CA; the pair in Secret <name>-tls), --cert-manager, or --generate-certs DIR',
        );
      const replicas = Number(flags.replicas);
      if (!Number.isInteger(replicas) || replicas < 1) throw new PalisadeError('usage', `--replicas: "${flags.replicas}" is not a positive whole number`);
      const timeoutSeconds = Number(flags.timeoutSeconds);
      let certificate: CertificateSource;
      let note = '';
      if (flags.caBundle !== undefined) {
        const caPem = await readText('--ca-bundle', flags.caBundle);
        if (!caPem.includes('-----BEGIN CERTIFICATE-----')) throw new PalisadeError('usage', `--ca-bundle: ${flags.caBundle} holds no PEM certificate`);
        certificate = { kind: 'ca-bundle', caPem };
      } else if (flags.certManager) certificate = { kind: 'cert-manager' };
      else {
        const dir = flags.generateCerts as string;
        const tls = await generateTls(serviceNames(flags.name, flags.namespace), 825);
        await mkdir(dir, { recursive: true });
        await writeFile(join(dir, 'ca.crt'), tls.ca, { mode: 0o644 });
        await writeFile(join(dir, 'tls.crt'), tls.cert, { mode: 0o644 });
        await writeFile(join(dir, 'tls.key'), tls.key, { mode: 0o600 });
        certificate = { kind: 'ca-bundle', caPem: tls.ca };
        note = `palisade: wrote ${join(dir, 'ca.crt')}, tls.crt and tls.key; create the Secret before applying:\n  kubectl -n ${flags.namespace} create secret tls ${flags.name}-tls --cert ${join(dir, 'tls.crt')} --key ${join(dir, 'tls.key')}\n`;
      }
      const config = flags.config !== undefined ? await readText('--config', flags.config) : undefined;
      if (flags.config !== undefined) await loadConfig(flags.config, true);
      const objects = admissionManifests({
        namespace: flags.namespace,
        name: flags.name,
        image: flags.image,
        replicas,
        ...(flags.failOn !== undefined ? { failOn: flags.failOn } : {}),
        ...(flags.defaultMode !== undefined ? { defaultMode: flags.defaultMode } : {}),
        failurePolicy: flags.failurePolicy as 'Fail' | 'Ignore',
        mutating: flags.mutating === true,
        certificate,
        ...(config !== undefined ? { config } : {}),
        timeoutSeconds,
      });
      process.stdout.write(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
      if (note !== '') process.stderr.write(note);
    });
}

/** `palisade admission`: the webhook and its install manifests. */
export function registerAdmission(program: Command): void {
  const admission = program.command('admission').description('admission webhook: the same checks at the door (serve, manifests)');
  registerServe(admission);
  registerManifests(admission);
}
