/**
 * The shape of a control catalogue. A framework is data: its controls, and for each control
 * either the checks that cover it or the reason it is manual. Which checks cover a control comes
 * from two places: a check naming the control in its `frameworks` (`cis:5.2.2`), and the
 * control listing check ids or names in `checks` (mapping templates and user frameworks).
 */

/**
 * How a control can be checked (docs/compliance.md): API objects, a control-plane flag read
 * from a static Pod, the kubelet configuration through the API, the node's files and
 * processes (`palisade node`), or only by a person.
 */
export type ControlMethod = 'api' | 'api-cp' | 'api-node' | 'node' | 'manual';

/** One control of a framework. */
export interface Control {
  /** The framework's own numbering: `5.2.3`, `NSA-04`, `T1611`. */
  readonly id: string;
  readonly title: string;
  /** Section heading, for grouping in reports. */
  readonly section?: string;
  /** CIS: the benchmark marks the control Automated (true) or Manual (false). */
  readonly automated?: boolean;
  readonly method?: ControlMethod;
  /** What an auditor looks at, in a few words. */
  readonly audit?: string;
  /** Check ids or names that cover the control, besides checks that reference it. */
  readonly checks?: readonly string[];
  /** Why no check can decide the control; a control without checks must have one. */
  readonly manual?: string;
  /** On a managed control plane (EKS, GKE, AKS) the provider owns the control. */
  readonly provider?: boolean;
  /**
   * When a covering check judges several controls at once (one PSS check for hostPID, hostIPC
   * and hostNetwork), the end of the finding pointers that belong to this control.
   */
  readonly pointerSuffix?: string;
  /** The control's ids in other versions of the framework: `cis-1.11:5.2.10`. */
  readonly aliases?: readonly string[];
}

/** A control catalogue. */
export interface Framework {
  /** The name used on the command line and in reports: `cis-1.12`, `nsa-1.2`, `pss-restricted`. */
  readonly id: string;
  /** Other names that select it (`cis`, `nsa`). */
  readonly names?: readonly string[];
  /** The prefix of check references to its controls (`cis` in `cis:5.2.2`). */
  readonly prefix: string;
  readonly title: string;
  readonly version: string;
  readonly url?: string;
  readonly description?: string;
  readonly controls: readonly Control[];
  /** Where the framework came from: `builtin` or the file that defined it. */
  readonly origin?: string;
}
