/**
 * Managed Kubernetes detection. On EKS, GKE and AKS the provider runs the control plane: its
 * flags, files and etcd are invisible, and the CIS controls about them are the provider's
 * (each provider publishes its own benchmark for the rest). The signals are the ones kube-bench
 * and the providers document: node labels, `spec.providerID` and version suffixes.
 */
import type { Inventory } from '../core/inventory.js';
import { isObject } from '../core/object.js';

/** A managed platform, with what gave it away. */
export interface Platform {
  /** `eks`, `gke` or `aks`. */
  readonly name: 'eks' | 'gke' | 'aks';
  readonly managed: true;
  /** The signal that decided it, e.g. `node ip-10-0-1-5 label eks.amazonaws.com/nodegroup`. */
  readonly evidence: string;
}

const LABELS: readonly (readonly [string, Platform['name']])[] = [
  ['eks.amazonaws.com/nodegroup', 'eks'],
  ['eks.amazonaws.com/compute-type', 'eks'],
  ['alpha.eksctl.io/cluster-name', 'eks'],
  ['cloud.google.com/gke-nodepool', 'gke'],
  ['cloud.google.com/gke-os-distribution', 'gke'],
  ['kubernetes.azure.com/cluster', 'aks'],
  ['kubernetes.azure.com/agentpool', 'aks'],
];

/** The provider a version string names (`v1.31.2-eks-7f9249a`, `v1.30.5-gke.1014001`). */
function fromVersion(version: string): Platform['name'] | undefined {
  if (/-eks-/.test(version)) return 'eks';
  if (/-gke\./.test(version)) return 'gke';
  return undefined;
}

/**
 * Detects a managed platform from the inventory's Nodes and the API server version.
 *
 * @example
 * detectPlatform(inventory, 'v1.31.2-eks-7f9249a'); // { name: 'eks', managed: true, evidence: 'API server version v1.31.2-eks-7f9249a' }
 */
export function detectPlatform(inventory: Inventory | undefined, serverVersion?: string): Platform | undefined {
  const v = serverVersion !== undefined ? fromVersion(serverVersion) : undefined;
  if (v) return { name: v, managed: true, evidence: `API server version ${serverVersion}` };
  for (const node of inventory?.ofKind('Node') ?? []) {
    const meta = node.object.metadata;
    const labels = isObject(meta) && isObject(meta.labels) ? meta.labels : {};
    for (const [label, name] of LABELS) if (label in labels) return { name, managed: true, evidence: `node ${node.ref.name} label ${label}` };
    const spec = node.object.spec;
    const providerID = isObject(spec) && typeof spec.providerID === 'string' ? spec.providerID : '';
    // aws:// and gce:// alone also describe self-managed clusters on those clouds; AKS node ids name the managed resource group.
    if (/^azure:\/\/.*\/resourcegroups\/mc_/i.test(providerID))
      return { name: 'aks', managed: true, evidence: `node ${node.ref.name} providerID ${providerID}` };
    const status = node.object.status;
    const info = isObject(status) && isObject(status.nodeInfo) ? status.nodeInfo : {};
    const kubelet = typeof info.kubeletVersion === 'string' ? fromVersion(info.kubeletVersion) : undefined;
    if (kubelet) return { name: kubelet, managed: true, evidence: `node ${node.ref.name} kubelet ${String(info.kubeletVersion)}` };
  }
  return undefined;
}
