/**
 * The attack-path analyser: one graph joining exposure, network reachability, workloads,
 * identities and RBAC; the most likely path from each entry to each sink; choke points.
 */
export * from './graph.js';
export { graphOptionsOf, pathsModelProvider } from './provider.js';
export * from './techniques.js';
export * from './risks.js';
