/**
 * The network analyser: NetworkPolicy (and AdminNetworkPolicy tiers) reachability between
 * workloads and external address ranges, the full matrix, and exposure to the internet.
 * Attack paths build on {@link NetworkModel.reach}, {@link NetworkModel.exposures} and
 * {@link NetworkModel.externals}.
 */
export * from './conn.js';
export * from './exposure.js';
export * from './ip.js';
export * from './model.js';
export * from './policies.js';
export { networkModelProvider } from './provider.js';
export * from './selectors.js';
