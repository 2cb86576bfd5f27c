/**
 * Shapes of the API's answers (docs/api.md). Records come from src/store/types.ts and the
 * library's own report types; the RBAC, network and path answers are the CLI's JSON output,
 * of which only the fields the views read are named here.
 */
import type { Severity } from '../../src/core/types.js';
import type { ClusterRecord, ScanRecord, StoredFinding } from '../../src/store/types.js';

export type { ComplianceReport, ControlResult } from '../../src/frameworks/compliance.js';
export type { InventorySummary } from '../../src/summary/inventory.js';

export type OpenCounts = Readonly<Record<Severity, number>>;

export type ClusterStats = ClusterRecord & { readonly open: OpenCounts; readonly score: number; readonly coverage: number };

export interface Summary {
  readonly score: number;
  readonly open: OpenCounts;
  readonly coverage: {
    readonly ratio: number;
    readonly incomplete: readonly { kind: string; resource: string; group: string; status: string; reason?: string }[];
  };
  readonly lastScan: ScanRecord | null;
  readonly clusters: number;
}

export type FindingDetail = StoredFinding & {
  readonly checkDoc: { readonly title: string; readonly description: string; readonly remediation: string; readonly docs: string } | null;
  readonly fixDiff: string | null;
};

export interface Grant {
  readonly binding: string;
  readonly bindingSource?: string;
  readonly role: string;
  readonly rule: number;
  readonly ruleText: string;
  readonly scope: string;
  readonly ruleIn?: string;
}

export interface WhoCanRow extends Grant {
  readonly subject: string;
  readonly kind: 'User' | 'Group' | 'ServiceAccount' | string;
  readonly name: string;
  readonly namespace?: string;
}

export interface WhoCanAnswer {
  readonly request: string;
  readonly alwaysAllowed?: readonly string[];
  readonly subjects: readonly WhoCanRow[];
}

export interface EscalationStep {
  readonly kind: string;
  readonly from: string;
  readonly action: string;
  readonly to: string;
  readonly evidence?: readonly Grant[];
}

export interface SubjectAnswer {
  readonly subject: string;
  readonly user?: { readonly name: string; readonly groups: readonly string[] };
  readonly privileged: boolean;
  readonly rules: readonly (Grant & { readonly grantedTo?: string })[];
  readonly capabilities: readonly { readonly id: string; readonly reach: string; readonly namespaces?: readonly string[]; readonly grants: readonly Grant[] }[];
  readonly paths: readonly { readonly subject: string; readonly target: string; readonly steps: readonly EscalationStep[] }[];
  readonly danglingBindings?: readonly unknown[];
}

export type NetEndpoint = { readonly namespace: string; readonly name: string; readonly kind: string } | { readonly ipRange: string };

export interface MatrixAnswer {
  readonly connections: readonly { readonly src: NetEndpoint; readonly dst: NetEndpoint; readonly ports: string | readonly unknown[] }[];
  readonly warnings?: readonly unknown[];
}

export interface PathHop {
  readonly from: string;
  readonly to: string;
  readonly edge: string;
  readonly technique?: { readonly mitre?: { readonly id: string; readonly name: string } };
  readonly explanation: string;
  readonly evidence?: readonly { readonly text: string; readonly file?: string; readonly line?: number }[];
}

export interface AttackPathAnswer {
  readonly notes?: readonly string[];
  readonly total: number;
  readonly paths: readonly {
    readonly entry: { readonly kind: string; readonly label: string };
    readonly sink: { readonly kind: string; readonly label: string };
    readonly score: number;
    readonly likelihood: number;
    readonly impact: number;
    readonly hops: readonly PathHop[];
  }[];
}
