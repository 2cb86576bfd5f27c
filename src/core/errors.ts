/**
 * Errors carry a code and data; the wording lives at the edge (`cli/messages.ts`).
 * `exitCode` follows the documented CLI contract: 2 usage/config, 3 runtime.
 */
export type ErrorCode =
  | 'usage'
  | 'config-invalid'
  | 'config-not-found'
  | 'check-invalid'
  | 'check-load-failed'
  | 'path-not-found'
  | 'kubeconfig-invalid'
  | 'snapshot-invalid'
  | 'cluster-unreachable'
  | 'cluster-auth'
  | 'io'
  | 'internal';

export class PalisadeError extends Error {
  readonly code: ErrorCode;
  readonly data: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, data: Record<string, unknown> = {}) {
    super(message);
    this.name = 'PalisadeError';
    this.code = code;
    this.data = data;
  }

  /** The process exit code this error maps to. */
  get exitCode(): 2 | 3 {
    return this.code === 'io' || this.code === 'internal' || this.code === 'cluster-unreachable' || this.code === 'cluster-auth' ? 3 : 2;
  }
}
