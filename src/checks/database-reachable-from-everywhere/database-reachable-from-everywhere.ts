import { defineCheck } from '../../core/check.js';
import { hasPort } from '../../network/conn.js';

/** Well-known ports of datastores. */
const DB_PORTS: Readonly<Record<number, string>> = {
  5432: 'PostgreSQL',
  3306: 'MySQL/MariaDB',
  27017: 'MongoDB',
  6379: 'Redis',
  9200: 'Elasticsearch',
  9042: 'Cassandra',
  11211: 'Memcached',
  5984: 'CouchDB',
  7687: 'Neo4j',
  26257: 'CockroachDB',
  8086: 'InfluxDB',
  9000: 'ClickHouse',
  1433: 'SQL Server',
  1521: 'Oracle',
};

/** A datastore any pod can connect to is one compromised pod away from a data breach. */
export default defineCheck({
  id: 'PAL-0602',
  name: 'database-reachable-from-everywhere',
  title: 'Database is reachable from every pod of the cluster',
  severity: 'high',
  category: 'network',
  frameworks: ['nsa:NSA-14', 'ms:MS-TA9034', 'mitre:T1046'],
  docs: {
    description:
      'The workload declares a well-known database port (PostgreSQL 5432, MySQL 3306, MongoDB 27017, Redis 6379, ' +
      'Elasticsearch 9200, Cassandra 9042, Memcached 11211, ...) and its ingress lets any pod connect to it: a pod with no ' +
      'labels in a namespace with no labels passes the policies in force (no policy isolates it, or a rule admits every ' +
      'namespace). A single compromised workload anywhere in the cluster can then reach the data directly, whatever the ' +
      'database authentication is worth.',
    remediation:
      "Isolate the database's ingress and admit only its clients by pod and namespace labels on the database port, e.g. " +
      '`from: [{podSelector: {matchLabels: {app: api}}}]`, `ports: [{port: 5432}]`.',
    references: ['https://kubernetes.io/docs/concepts/services-networking/network-policies/'],
  },
  target: { kind: 'pod' },
  needs: ['NetworkPolicy', 'AdminNetworkPolicy', 'Namespace'],
  uses: ['network'],
  evaluate({ models, resource, pod }) {
    const model = models.network;
    const w = model.workloadOf(resource);
    if (!w || model.clusterWideUnmodelled || model.unmodelledNamespaces.has(w.namespace)) return undefined;
    const db = w.ports.filter((p) => p.protocol === 'TCP' && DB_PORTS[p.port] !== undefined);
    if (db.length === 0) return undefined;
    const allowed = model.reach(model.anyPod(), { kind: 'workload', node: w }).allowed;
    const open = db.filter((p) => hasPort(allowed, 'TCP', p.port));
    if (open.length === 0) return undefined;
    const first = open[0] as (typeof open)[number];
    return {
      pointer: pod.metadataPointer,
      message: `${w.kind} ${w.namespace}/${w.name} serves ${DB_PORTS[first.port]} on port ${first.port} and any pod of any namespace can connect to it`,
      evidence: { ports: open.map((p) => p.port) },
    };
  },
});
