import { defineCheck, type Violation } from '../../core/check.js';
import type { Inventory } from '../../core/inventory.js';
import { joinPointer } from '../../core/pointer.js';
import type { JsonObject, JsonValue, Resource, Severity } from '../../core/types.js';
import { internalLoadBalancerAnnotation } from '../service-loadbalancer-open/service-loadbalancer-open.js';
import type { PodEntry, PodsModel } from '../../pods/model.js';
import { ADMIN_UIS } from './admin-uis.js';
import { isObject } from '../../core/object.js';

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Pod labels that name the application. */
const NAME_LABELS: readonly string[] = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name'];

/** What identifies the application of a pod template: its names and images. */
function namesOf(p: PodEntry): string[] {
  return [p.resource.ref.name, ...NAME_LABELS.flatMap((l) => (p.labels[l] ? [p.labels[l]] : [])), ...p.containers.map((c) => c.name)];
}
function imagesOf(p: PodEntry): string[] {
  return p.containers.flatMap((c) => (typeof c.container.image === 'string' ? [c.container.image] : []));
}

/** Manifests without a namespace are applied into whatever namespace is current: they match any. */
const sameNamespace = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;

function selectedPods(pods: PodsModel, service: Resource): readonly PodEntry[] {
  const spec = service.object.spec;
  if (!isObject(spec) || !isObject(spec.selector)) return [];
  const selector: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.selector)) selector[k] = String(v);
  // A Service without a selector has hand-made Endpoints: nothing to match.
  if (Object.keys(selector).length === 0) return [];
  const namespace = service.ref.namespace;
  return namespace === undefined ? pods.matching(selector) : pods.matchingIn(namespace, selector);
}

function findService(inventory: Inventory, namespace: string | undefined, name: string): Resource | undefined {
  return inventory.get('Service', namespace, name) ?? inventory.named('Service', name).find((s) => sameNamespace(s.ref.namespace, namespace));
}

/** Port numbers a Service forwards (port and numeric targetPort), optionally only the one a route names. */
function servicePorts(service: Resource | undefined, wanted?: number | string): number[] {
  const out: number[] = typeof wanted === 'number' ? [wanted] : [];
  const spec = service?.object.spec;
  if (!isObject(spec) || !Array.isArray(spec.ports)) return out;
  for (const p of spec.ports) {
    if (!isObject(p)) continue;
    if (wanted !== undefined && p.port !== wanted && p.name !== wanted) continue;
    if (typeof p.port === 'number') out.push(p.port);
    if (typeof p.targetPort === 'number') out.push(p.targetPort);
  }
  return [...new Set(out)];
}

interface Identified {
  readonly ui: string;
  readonly matchedBy: string;
}

/** Images first (most specific), then names, then identifying ports. */
function identify(names: readonly string[], images: readonly string[], ports: readonly number[]): Identified | undefined {
  for (const sig of ADMIN_UIS) {
    const imagePortOk = !sig.imagePorts || ports.some((p) => sig.imagePorts?.includes(p));
    const img = imagePortOk ? images.find((i) => sig.images?.some((re) => re.test(i))) : undefined;
    if (img) return { ui: sig.ui, matchedBy: `image ${img}` };
    const name = names.find((n) => sig.names?.some((re) => re.test(n)));
    if (name) return { ui: sig.ui, matchedBy: `name ${name}` };
    const port = ports.find((p) => sig.ports?.includes(p));
    if (port !== undefined) return { ui: sig.ui, matchedBy: `port ${port}` };
  }
  return undefined;
}

/** What sits behind a route to `serviceName` (and port). */
function identifyBackend(
  inventory: Inventory,
  podsModel: PodsModel,
  namespace: string | undefined,
  serviceName: string,
  port?: number | string,
): Identified | undefined {
  const service = findService(inventory, namespace, serviceName);
  const pods = service ? selectedPods(podsModel, service) : [];
  return identify([serviceName, ...pods.flatMap(namesOf)], pods.flatMap(imagesOf), servicePorts(service, port));
}

/** Annotations by which ingress controllers authenticate or filter clients before the backend. */
const EDGE_PROTECTION: readonly string[] = [
  'nginx.ingress.kubernetes.io/auth-url',
  'nginx.ingress.kubernetes.io/auth-type',
  'nginx.ingress.kubernetes.io/whitelist-source-range',
  'nginx.ingress.kubernetes.io/allowlist-source-range',
  'alb.ingress.kubernetes.io/auth-type',
  'alb.ingress.kubernetes.io/inbound-cidrs',
  'traefik.ingress.kubernetes.io/router.middlewares',
  'haproxy.org/auth-type',
  'haproxy.org/allow-list',
  'ingress.kubernetes.io/auth-type',
  'konghq.com/plugins',
];

function edgeProtection(resource: Resource): string | undefined {
  const metadata = resource.object.metadata;
  const annotations = isObject(metadata) && isObject(metadata.annotations) ? metadata.annotations : {};
  return EDGE_PROTECTION.find((a) => {
    const v = annotations[a];
    return typeof v === 'string' && v.trim() !== '' && v.trim().toLowerCase() !== 'none';
  });
}

interface Route {
  readonly pointer: string;
  readonly service: string;
  readonly port?: number | string;
  readonly namespace?: string;
  /** Set when the route targets a built-in UI directly (Traefik's `api@internal`). */
  readonly builtin?: Identified;
}

function portOf(v: JsonValue | undefined): number | string | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return /^\d+$/.test(v) ? Number(v) : v;
  return undefined;
}

/** Ingress backends: `service.name`/`service.port` (v1) or `serviceName`/`servicePort` (v1beta1). */
function ingressBackend(pointer: string, backend: JsonValue | undefined): Route | undefined {
  if (!isObject(backend)) return undefined;
  if (isObject(backend.service)) {
    const service = str(backend.service.name);
    const port = isObject(backend.service.port) ? (portOf(backend.service.port.number) ?? portOf(backend.service.port.name)) : undefined;
    return service ? { pointer, service, ...(port !== undefined ? { port } : {}) } : undefined;
  }
  const service = str(backend.serviceName);
  const port = portOf(backend.servicePort);
  return service ? { pointer, service, ...(port !== undefined ? { port } : {}) } : undefined;
}

function ingressRoutes(spec: JsonObject): Route[] {
  const out: Route[] = [];
  for (const field of ['defaultBackend', 'backend'] as const) {
    const r = ingressBackend(`/spec/${field}`, spec[field]);
    if (r) out.push(r);
  }
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, i) => {
    if (!isObject(rule) || !isObject(rule.http) || !Array.isArray(rule.http.paths)) return;
    rule.http.paths.forEach((path, j) => {
      if (!isObject(path)) return;
      const r = ingressBackend(joinPointer('/spec/rules', i, 'http', 'paths', j, 'backend'), path.backend);
      if (r) out.push(r);
    });
  });
  return out;
}

/** Gateway API HTTPRoute/GRPCRoute `backendRefs` of kind Service. */
function gatewayRoutes(spec: JsonObject): Route[] {
  const out: Route[] = [];
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, i) => {
    if (!isObject(rule) || !Array.isArray(rule.backendRefs)) return;
    rule.backendRefs.forEach((ref, j) => {
      if (!isObject(ref) || (ref.kind !== undefined && ref.kind !== 'Service')) return;
      const service = str(ref.name);
      const port = portOf(ref.port);
      const namespace = str(ref.namespace);
      if (service)
        out.push({
          pointer: joinPointer('/spec/rules', i, 'backendRefs', j),
          service,
          ...(port !== undefined ? { port } : {}),
          ...(namespace ? { namespace } : {}),
        });
    });
  });
  return out;
}

/** Traefik IngressRoute `services`, including the dashboard's own `api@internal`. */
function traefikRoutes(spec: JsonObject): Route[] {
  const out: Route[] = [];
  const routes = Array.isArray(spec.routes) ? spec.routes : [];
  routes.forEach((route, i) => {
    if (!isObject(route) || !Array.isArray(route.services)) return;
    route.services.forEach((svc, j) => {
      if (!isObject(svc)) return;
      const service = str(svc.name);
      if (!service) return;
      const pointer = joinPointer('/spec/routes', i, 'services', j);
      if (service === 'api@internal') {
        out.push({ pointer, service, builtin: { ui: 'Traefik dashboard', matchedBy: 'service api@internal' } });
        return;
      }
      if (svc.kind !== undefined && svc.kind !== 'Service') return;
      const port = portOf(svc.port);
      const namespace = str(svc.namespace);
      out.push({ pointer, service, ...(port !== undefined ? { port } : {}), ...(namespace ? { namespace } : {}) });
    });
  });
  return out;
}

/** IngressRoute middlewares may authenticate; which ones is not knowable statically. */
function traefikMiddlewares(spec: JsonObject): boolean {
  return Array.isArray(spec.routes) && spec.routes.some((r) => isObject(r) && Array.isArray(r.middlewares) && r.middlewares.length > 0);
}

function evaluateService(podsModel: PodsModel, resource: Resource): Violation | undefined {
  const spec = resource.object.spec;
  if (!isObject(spec)) return undefined;
  const metadata = isObject(resource.object.metadata) ? resource.object.metadata : {};
  const annotations = isObject(metadata.annotations) ? metadata.annotations : {};
  const type = str(spec.type) ?? 'ClusterIP';
  const externalIPs = Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0;
  const exposed = type === 'NodePort' || (type === 'LoadBalancer' && !internalLoadBalancerAnnotation(annotations)) || externalIPs;
  if (!exposed) return undefined;
  const pods = selectedPods(podsModel, resource);
  const found = identify([resource.ref.name, ...pods.flatMap(namesOf)], pods.flatMap(imagesOf), servicePorts(resource));
  if (!found) return undefined;
  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges.filter((r): r is string => typeof r === 'string') : [];
  const restricted = type === 'LoadBalancer' && ranges.length > 0 && !ranges.some((r) => /\/0$/.test(r.trim()));
  const how = type === 'NodePort' || type === 'LoadBalancer' ? `type ${type}` : 'externalIPs';
  return {
    path: type === 'NodePort' || type === 'LoadBalancer' ? '/spec/type' : '/spec/externalIPs',
    message: `Service ${resource.ref.name} exposes ${found.ui} (${found.matchedBy}) outside the cluster with ${how}`,
    evidence: { ui: found.ui, matchedBy: found.matchedBy, exposure: how, ...(restricted ? { loadBalancerSourceRanges: ranges } : {}) },
    ...(restricted ? { severity: 'medium' as Severity } : {}),
  };
}

function evaluateRoutes(inventory: Inventory, podsModel: PodsModel, resource: Resource): Violation[] {
  const spec = resource.object.spec;
  if (!isObject(spec)) return [];
  const kind = resource.ref.kind;
  const routes = kind === 'Ingress' ? ingressRoutes(spec) : kind === 'IngressRoute' ? traefikRoutes(spec) : gatewayRoutes(spec);
  const protection = kind === 'IngressRoute' ? (traefikMiddlewares(spec) ? 'IngressRoute middlewares' : undefined) : edgeProtection(resource);
  const out: Violation[] = [];
  for (const route of routes) {
    const found = route.builtin ?? identifyBackend(inventory, podsModel, route.namespace ?? resource.ref.namespace, route.service, route.port);
    if (!found) continue;
    out.push({
      pointer: route.pointer,
      message:
        `${kind} ${resource.ref.name} routes to ${route.service === 'api@internal' ? 'api@internal' : `Service ${route.service}`}, which serves ${found.ui} (${found.matchedBy})` +
        (protection ? `; ${protection} may restrict access` : ''),
      evidence: { ui: found.ui, matchedBy: found.matchedBy, service: route.service, ...(protection ? { edgeProtection: protection } : {}) },
      ...(protection ? { severity: 'medium' as Severity } : {}),
    });
  }
  return out;
}

/** Exposed admin UIs (Tesla's open Kubernetes dashboard, open Kibana and Jenkins) are a classic initial-access path. */
export default defineCheck({
  id: 'PAL-0208',
  name: 'exposed-dashboard',
  title: 'Administrative UI exposed outside the cluster',
  severity: 'high',
  category: 'network',
  frameworks: ['ms:MS-TA9005', 'mitre:T1133', 'mitre:T1190'],
  docs: {
    description:
      'A Service of type LoadBalancer or NodePort (or with externalIPs), an Ingress, a Gateway API route or a Traefik IngressRoute ' +
      'exposes an administrative web interface: Kubernetes Dashboard, Argo CD, Grafana, Prometheus, Alertmanager, Kibana, Jenkins, ' +
      'RabbitMQ management, Kiali, Jaeger, pgAdmin, phpMyAdmin, the Traefik dashboard, Consul, Vault, MinIO Console, the ' +
      'Elasticsearch API, Weave Scope, Portainer or Headlamp. The interface is recognised by the Service or backend name, by the ' +
      'images and names of the workloads the Service selects (from the scanned objects), or by a port specific to it. Such ' +
      'interfaces often allow anonymous or default-credential access, expose cluster data and credentials, or run commands; they ' +
      'are scanned for and attacked on the internet within hours. Routes with authentication or allow-list annotations at the ' +
      'ingress controller, and load balancers limited by source ranges, are reported at medium severity.',
    remediation:
      'Keep admin UIs on ClusterIP Services and reach them with `kubectl port-forward`, a VPN or an identity-aware proxy; if they ' +
      'must be published, put authentication (OAuth2 proxy, SSO) and an IP allow-list in front of them, and make cloud load ' +
      'balancers internal.',
    references: [
      'https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types',
      'https://kubernetes.io/docs/tasks/access-application-cluster/web-ui-dashboard/',
      'https://microsoft.github.io/Threat-Matrix-for-Kubernetes/techniques/Exposed%20sensitive%20interfaces/',
    ],
  },
  target: { kind: 'resource', kinds: ['Service', 'Ingress', 'HTTPRoute', 'GRPCRoute', 'IngressRoute'] },
  needs: ['Service', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController', 'PodTemplate'],
  uses: ['pods'],
  evaluate({ resource, inventory, models }) {
    if (resource.ref.kind === 'Service') return evaluateService(models.pods, resource);
    return evaluateRoutes(inventory, models.pods, resource);
  },
});
