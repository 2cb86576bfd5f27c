/**
 * Signatures of administrative web interfaces that must not be reachable from outside the
 * cluster without authentication in front of them. Data only; matching is in exposed-dashboard.ts.
 */

/** How an admin UI is recognised behind a Service. */
export interface AdminUi {
  readonly ui: string;
  /** Matched against Service, workload and container names and the app/name labels of the pods. */
  readonly names?: readonly RegExp[];
  /** Matched against the pods' container images. */
  readonly images?: readonly RegExp[];
  /** When set, an image match only counts if one of these ports is exposed (the image also serves non-UI ports). */
  readonly imagePorts?: readonly number[];
  /** Ports that identify the UI on their own. */
  readonly ports?: readonly number[];
}

/** `(?:[:@]|$)`: the repository ends there, a tag or digest may follow. */
const END = '(?:[:@]|$)';
const image = (repo: string): RegExp => new RegExp(`(?:^|/)${repo}${END}`);
const named = (base: string): RegExp => new RegExp(`^(?:.*-)?${base}$`);

/**
 * The recognised admin UIs, most specific first.
 *
 * @example
 * ADMIN_UIS.find((u) => u.images?.some((re) => re.test('grafana/grafana:10.4.0')))?.ui; // 'Grafana'
 */
export const ADMIN_UIS: readonly AdminUi[] = [
  {
    ui: 'Kubernetes Dashboard',
    names: [named('kubernetes-dashboard(?:-web|-kong-proxy)?')],
    images: [image('kubernetesui/dashboard(?:-web|-api|-auth)?'), image('kubernetes-dashboard(?:-amd64)?')],
  },
  { ui: 'Argo CD', names: [named('argocd-server')] },
  { ui: 'Grafana', names: [named('grafana')], images: [image('grafana/grafana(?:-oss|-enterprise)?'), image('bitnami/grafana')] },
  {
    ui: 'Prometheus',
    names: [named('prometheus(?:-server|-operated|-k8s)?')],
    images: [image('prom/prometheus'), image('prometheus/prometheus'), image('bitnami/prometheus')],
  },
  { ui: 'Alertmanager', names: [named('alertmanager(?:-operated|-main)?')], images: [image('prom/alertmanager'), image('prometheus/alertmanager')] },
  { ui: 'Kibana', names: [named('kibana(?:-kb-http)?')], images: [image('kibana(?:/kibana)?(?:-oss)?'), image('bitnami/kibana')], ports: [5601] },
  { ui: 'Jenkins', names: [named('jenkins')], images: [image('jenkins/jenkins'), image('jenkinsci/jenkins'), image('bitnami/jenkins')] },
  { ui: 'RabbitMQ management', ports: [15672] },
  { ui: 'Kiali', names: [named('kiali')], images: [image('kiali/kiali')], ports: [20001] },
  { ui: 'Jaeger UI', names: [named('jaeger-(?:query|ui)')], images: [image('jaegertracing/jaeger-query')], ports: [16686] },
  { ui: 'pgAdmin', names: [named('pgadmin4?')], images: [image('dpage/pgadmin4'), image('bitnami/pgadmin4?')] },
  { ui: 'phpMyAdmin', names: [named('phpmyadmin')], images: [image('phpmyadmin(?:/phpmyadmin)?'), image('bitnami/phpmyadmin')] },
  { ui: 'Traefik dashboard', names: [named('traefik-dashboard')], images: [image('traefik')], imagePorts: [8080, 9000] },
  { ui: 'Consul UI', names: [named('consul-ui')], images: [image('(?:hashicorp/)?consul(?:-enterprise)?')], imagePorts: [8500, 8501] },
  { ui: 'Vault UI', names: [named('vault-ui')], images: [image('(?:hashicorp/)?vault(?:-enterprise)?')], imagePorts: [8200] },
  { ui: 'MinIO Console', names: [named('minio-console')], images: [image('minio/console')] },
  { ui: 'MinIO Console', images: [image('minio/minio'), image('bitnami/minio')], imagePorts: [9001] },
  {
    ui: 'Elasticsearch API',
    names: [named('elasticsearch(?:-master|-es-http)?')],
    images: [image('elasticsearch(?:/elasticsearch)?(?:-oss)?'), image('bitnami/elasticsearch')],
    imagePorts: [9200],
    ports: [9200],
  },
  { ui: 'Weave Scope', names: [named('weave-scope-app')], images: [image('weaveworks/scope')] },
  { ui: 'Portainer', names: [named('portainer')], images: [image('portainer/portainer(?:-ce|-ee)?')] },
  { ui: 'Headlamp', names: [named('headlamp')], images: [image('headlamp-k8s/headlamp')] },
];
