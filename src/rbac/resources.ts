/**
 * Resource names as `kubectl auth can-i` takes them (`pods`, `po`, `deployments.apps`,
 * `deploy/scale`, `/healthz`), resolved against the built-in API resources, since there is
 * no discovery when Palisade reads manifests. Unknown names are taken literally.
 */

/** One built-in API resource. */
export interface ApiResource {
  /** Plural name: `deployments`. */
  readonly name: string;
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly namespaced: boolean;
  readonly kind: string;
  readonly shortNames?: readonly string[];
}

const R = (name: string, group: string, namespaced: boolean, kind: string, ...shortNames: string[]): ApiResource => ({
  name,
  group,
  namespaced,
  kind,
  ...(shortNames.length > 0 ? { shortNames } : {}),
});

/** The resources a Kubernetes 1.3x API server serves without extensions. */
export const API_RESOURCES: readonly ApiResource[] = [
  R('bindings', '', true, 'Binding'),
  R('componentstatuses', '', false, 'ComponentStatus', 'cs'),
  R('configmaps', '', true, 'ConfigMap', 'cm'),
  R('endpoints', '', true, 'Endpoints', 'ep'),
  R('events', '', true, 'Event', 'ev'),
  R('limitranges', '', true, 'LimitRange', 'limits'),
  R('namespaces', '', false, 'Namespace', 'ns'),
  R('nodes', '', false, 'Node', 'no'),
  R('persistentvolumeclaims', '', true, 'PersistentVolumeClaim', 'pvc'),
  R('persistentvolumes', '', false, 'PersistentVolume', 'pv'),
  R('pods', '', true, 'Pod', 'po'),
  R('podtemplates', '', true, 'PodTemplate'),
  R('replicationcontrollers', '', true, 'ReplicationController', 'rc'),
  R('resourcequotas', '', true, 'ResourceQuota', 'quota'),
  R('secrets', '', true, 'Secret'),
  R('serviceaccounts', '', true, 'ServiceAccount', 'sa'),
  R('services', '', true, 'Service', 'svc'),
  R('users', '', false, 'User'),
  R('groups', '', false, 'Group'),
  R('mutatingwebhookconfigurations', 'admissionregistration.k8s.io', false, 'MutatingWebhookConfiguration'),
  R('validatingwebhookconfigurations', 'admissionregistration.k8s.io', false, 'ValidatingWebhookConfiguration'),
  R('validatingadmissionpolicies', 'admissionregistration.k8s.io', false, 'ValidatingAdmissionPolicy'),
  R('validatingadmissionpolicybindings', 'admissionregistration.k8s.io', false, 'ValidatingAdmissionPolicyBinding'),
  R('customresourcedefinitions', 'apiextensions.k8s.io', false, 'CustomResourceDefinition', 'crd', 'crds'),
  R('apiservices', 'apiregistration.k8s.io', false, 'APIService'),
  R('controllerrevisions', 'apps', true, 'ControllerRevision'),
  R('daemonsets', 'apps', true, 'DaemonSet', 'ds'),
  R('deployments', 'apps', true, 'Deployment', 'deploy'),
  R('replicasets', 'apps', true, 'ReplicaSet', 'rs'),
  R('statefulsets', 'apps', true, 'StatefulSet', 'sts'),
  R('selfsubjectreviews', 'authentication.k8s.io', false, 'SelfSubjectReview'),
  R('tokenreviews', 'authentication.k8s.io', false, 'TokenReview'),
  R('uids', 'authentication.k8s.io', false, 'UID'),
  R('userextras', 'authentication.k8s.io', false, 'UserExtra'),
  R('localsubjectaccessreviews', 'authorization.k8s.io', true, 'LocalSubjectAccessReview'),
  R('selfsubjectaccessreviews', 'authorization.k8s.io', false, 'SelfSubjectAccessReview'),
  R('selfsubjectrulesreviews', 'authorization.k8s.io', false, 'SelfSubjectRulesReview'),
  R('subjectaccessreviews', 'authorization.k8s.io', false, 'SubjectAccessReview'),
  R('horizontalpodautoscalers', 'autoscaling', true, 'HorizontalPodAutoscaler', 'hpa'),
  R('cronjobs', 'batch', true, 'CronJob', 'cj'),
  R('jobs', 'batch', true, 'Job'),
  R('certificatesigningrequests', 'certificates.k8s.io', false, 'CertificateSigningRequest', 'csr'),
  R('signers', 'certificates.k8s.io', false, 'Signer'),
  R('leases', 'coordination.k8s.io', true, 'Lease'),
  R('endpointslices', 'discovery.k8s.io', true, 'EndpointSlice'),
  R('flowschemas', 'flowcontrol.apiserver.k8s.io', false, 'FlowSchema'),
  R('prioritylevelconfigurations', 'flowcontrol.apiserver.k8s.io', false, 'PriorityLevelConfiguration'),
  R('ingressclasses', 'networking.k8s.io', false, 'IngressClass'),
  R('ingresses', 'networking.k8s.io', true, 'Ingress', 'ing'),
  R('networkpolicies', 'networking.k8s.io', true, 'NetworkPolicy', 'netpol'),
  R('runtimeclasses', 'node.k8s.io', false, 'RuntimeClass'),
  R('poddisruptionbudgets', 'policy', true, 'PodDisruptionBudget', 'pdb'),
  R('clusterrolebindings', 'rbac.authorization.k8s.io', false, 'ClusterRoleBinding'),
  R('clusterroles', 'rbac.authorization.k8s.io', false, 'ClusterRole'),
  R('rolebindings', 'rbac.authorization.k8s.io', true, 'RoleBinding'),
  R('roles', 'rbac.authorization.k8s.io', true, 'Role'),
  R('priorityclasses', 'scheduling.k8s.io', false, 'PriorityClass', 'pc'),
  R('csidrivers', 'storage.k8s.io', false, 'CSIDriver'),
  R('csinodes', 'storage.k8s.io', false, 'CSINode'),
  R('csistoragecapacities', 'storage.k8s.io', true, 'CSIStorageCapacity'),
  R('storageclasses', 'storage.k8s.io', false, 'StorageClass', 'sc'),
  R('volumeattachments', 'storage.k8s.io', false, 'VolumeAttachment'),
];

/** What a RESOURCE argument names. */
export type ResourceArgument =
  | {
      readonly kind: 'resource';
      readonly resource: string;
      readonly apiGroup: string;
      readonly subresource?: string;
      /** Undefined when the resource is not a built-in one. */
      readonly known?: ApiResource;
    }
  | { readonly kind: 'nonResource'; readonly path: string };

/**
 * Resolves a resource name (plural, singular, short name or kind, optionally with `.group`)
 * to a built-in resource.
 *
 * @example
 * findResource('deploy')?.group; // 'apps'
 */
export function findResource(name: string, group?: string): ApiResource | undefined {
  const n = name.toLowerCase();
  return API_RESOURCES.find(
    (r) =>
      (group === undefined || r.group === group) &&
      (r.name === n || r.kind.toLowerCase() === n || (r.shortNames ?? []).includes(n) || r.name === `${n}s` || r.name === `${n}es`),
  );
}

/**
 * Parses a RESOURCE argument: `/path` is a non-resource URL; `*` is every resource (in the
 * core group, as kubectl sends it; `*.*` for every group); `name[.version].group[/sub]`
 * names a resource and optionally a subresource (`pods/exec`, `deployments.apps/scale`).
 *
 * @example
 * parseResourceArgument('deploy/scale'); // { kind: 'resource', resource: 'deployments', apiGroup: 'apps', subresource: 'scale', known: ... }
 */
export function parseResourceArgument(text: string): ResourceArgument {
  if (text.startsWith('/')) return { kind: 'nonResource', path: text };
  const slash = text.indexOf('/');
  const main = slash < 0 ? text : text.slice(0, slash);
  const subresource = slash < 0 ? undefined : text.slice(slash + 1);
  const sub = subresource !== undefined && subresource !== '' ? { subresource } : {};
  if (main === '*') return { kind: 'resource', resource: '*', apiGroup: '', ...sub };
  if (main === '*.*') return { kind: 'resource', resource: '*', apiGroup: '*', ...sub };
  const lower = main.toLowerCase();
  const dot = lower.indexOf('.');
  let name = dot < 0 ? lower : lower.slice(0, dot);
  let group = dot < 0 ? undefined : lower.slice(dot + 1);
  // `deployments.v1.apps`: resource.version.group, as kubectl accepts.
  if (group !== undefined && /^v\d+((alpha|beta)\d+)?\./.test(group)) group = group.slice(group.indexOf('.') + 1);
  if (group === '*') return { kind: 'resource', resource: name, apiGroup: '*', ...sub };
  const known = findResource(name, group);
  if (known) name = known.name;
  return { kind: 'resource', resource: name, apiGroup: known?.group ?? group ?? '', ...sub, ...(known ? { known } : {}) };
}
