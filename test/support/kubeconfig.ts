/**
 * TEST UTILITY: writes kubeconfig files for tests and benchmarks (JSON, which is YAML).
 */
import { writeFileSync } from 'node:fs';

/** One context of a test kubeconfig; the cluster and user share its name. */
export interface TestContext {
  readonly name: string;
  readonly server: string;
  readonly caFile?: string;
  /** Inline CA (`certificate-authority-data`). */
  readonly caData?: string;
  readonly insecure?: boolean;
  readonly token?: string;
  readonly tokenFile?: string;
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
  readonly exec?: { readonly command: string; readonly args?: readonly string[]; readonly apiVersion?: string };
  readonly namespace?: string;
}

/**
 * The text of a kubeconfig with these contexts.
 *
 * @example
 * writeFileSync(file, kubeconfigText([{ name: 'test', server: url, caFile: pki.caFile, token: 't0k3n' }]));
 */
export function kubeconfigText(contexts: readonly TestContext[], currentContext: string | undefined = contexts[0]?.name): string {
  const doc = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: contexts.map((c) => ({
      name: c.name,
      cluster: {
        server: c.server,
        ...(c.caFile ? { 'certificate-authority': c.caFile } : {}),
        ...(c.caData ? { 'certificate-authority-data': Buffer.from(c.caData).toString('base64') } : {}),
        ...(c.insecure ? { 'insecure-skip-tls-verify': true } : {}),
      },
    })),
    users: contexts.map((c) => ({
      name: c.name,
      user: {
        ...(c.token ? { token: c.token } : {}),
        ...(c.tokenFile ? { tokenFile: c.tokenFile } : {}),
        ...(c.clientCertFile ? { 'client-certificate': c.clientCertFile } : {}),
        ...(c.clientKeyFile ? { 'client-key': c.clientKeyFile } : {}),
        ...(c.exec
          ? {
              exec: {
                apiVersion: c.exec.apiVersion ?? 'client.authentication.k8s.io/v1',
                command: c.exec.command,
                args: [...(c.exec.args ?? [])],
                interactiveMode: 'Never',
              },
            }
          : {}),
      },
    })),
    contexts: contexts.map((c) => ({ name: c.name, context: { cluster: c.name, user: c.name, ...(c.namespace ? { namespace: c.namespace } : {}) } })),
    ...(currentContext !== undefined ? { 'current-context': currentContext } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** Writes {@link kubeconfigText} to `file` and returns the path. */
export function writeKubeconfig(file: string, contexts: readonly TestContext[], currentContext?: string): string {
  writeFileSync(file, kubeconfigText(contexts, currentContext ?? contexts[0]?.name));
  return file;
}
