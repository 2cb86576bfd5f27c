/**
 * kube-palisade: the library API beside the `palisade` CLI.
 *
 * @example
 * import { scan } from 'kube-palisade';
 * const report = await scan(['deploy/']);
 */
export { fixLoaded, type FixRun, type FixRunOptions } from './fix-run.js';
export {
  gateVerdict,
  loadSource,
  mergeReports,
  prepareChecks,
  scan,
  scanCluster,
  scanInventory,
  scanLoaded,
  scanSource,
  scanSnapshot,
  selectChecks,
  validateCheckNames,
  validateCheckParams,
  targetKubernetesVersion,
  type ClusterSource,
  type GateOptions,
  type GateVerdict,
  type LoadedSource,
  type ScanOptions,
  type ScanSourceHooks,
  type SourceSpec,
} from './scan.js';
export { builtinChecks } from './checks/index.js';
export { fixPatchFor, type FixPatch, type FixPatchOptions } from './fix/patch.js';
export { planFixes, objectKey, type FileChange, type FixInput, type FixOutcome, type FixedSources, type NotFixed, type ObjectFix } from './fix/fix.js';
export { rebaseOperations, selectedForFix, type Fixable, type FixSelection } from './fix/plan.js';
export { detectStyle, EditError, editDocument, editStream, type EditStyle, type StreamEdit } from './fix/yaml-edit.js';
export { unifiedDiff } from './fix/diff.js';
export { kubectlPatches, kustomizeOverlay } from './fix/emit.js';
export { applyFixes, FIX_DEFAULTS } from './core/fix.js';
export { defineCheck, metaOf, NOT_APPLICABLE } from './core/check.js';
export type {
  AnyCheck,
  Check,
  CheckDocs,
  CheckMeta,
  CheckTarget,
  ClusterContext,
  ContainerContext,
  FixOperation,
  FixSafety,
  PodContext,
  ResourceContext,
  Violation,
} from './core/check.js';
export {
  FindingParts,
  kindsReadBy,
  missingInputs,
  runChecks,
  WORKLOAD_KINDS,
  type DataGap,
  type EngineOptions,
  type EngineResult,
  type SkippedCheck,
  type StatusCounts,
} from './core/engine.js';
export type { InputName, ModelInputs, ScanInputs } from './core/models.js';
export { ExceptionMatcher, type ExceptionRule } from './core/exceptions.js';
export { plainFinding } from './core/finding.js';
export { Inventory, isKubernetesObject, type InventoryOptions, UNSET_NAMESPACE } from './core/inventory.js';
export { secretFacts, type SecretFacts, type SecretValueFacts } from './credentials/secret-facts.js';
export { normalizeObject } from './sources/normalize.js';
export {
  computeCoverage,
  failsCoverageGate,
  failsGate,
  filterReport,
  gapsFromCoverage,
  groupFindings,
  sortFindings,
  type ClusterInfo,
  type Coverage,
  type Incomplete,
  type IncompleteReason,
  type HiddenFindings,
  type ScanReport,
  type SkippedCheckInfo,
  describeTopRisks,
  mergeTopRisks,
  riskChain,
  type RiskCut,
  type RiskEnd,
  type RiskFinding,
  type RiskHop,
  type RiskWhere,
  type TopRisk,
  type TopRisks,
} from './core/report.js';
export {
  countProblems,
  problemsOf,
  rankFindings,
  rankNamespaces,
  rankResources,
  SEVERITY_WEIGHT,
  type Problem,
  type ProblemCounts,
  type RankedTarget,
} from './core/grouping.js';
export { containersOf, podSpecsOf, type ContainerTarget, type PodSpecTarget } from './core/workloads.js';
export { PalisadeError } from './core/errors.js';
export type {
  CoverageStatus,
  Diagnostic,
  Finding,
  RelatedFinding,
  Resource,
  ResourceRef,
  ResourceTypeCoverage,
  Severity,
  SourceLocation,
  Status,
} from './core/types.js';
export { SEVERITIES } from './core/types.js';
export { loadConfig, validateConfig, type PalisadeConfig } from './config/config.js';
export { CONFIG_SCHEMA } from './config/schema.js';
export { resolveScanSettings, type ScanSettings, type SourcedValue, type ValueSource } from './config/settings.js';
export { loadManifests } from './sources/files.js';
export { loadCluster, loadClusters, resolveClusterTargets, type ClusterLoadOptions, type ListProgress, type LoadedCluster } from './sources/cluster/index.js';
export { readSnapshot, writeSnapshot, type Snapshot, type SnapshotCluster } from './sources/snapshot.js';
export { summarizeInventory, type InventorySummary } from './summary/inventory.js';
export { loadCustomChecks } from './custom/load.js';
export { reporters } from './reporters/index.js';
export {
  BUILTIN_FRAMEWORKS,
  checksFor,
  type Control,
  type ControlMethod,
  covers,
  FRAMEWORKS,
  findFramework,
  type Framework,
  matchesControlPattern,
  resolveReference,
  selectControls,
} from './frameworks/index.js';
export {
  type ComplianceInput,
  type ComplianceReport,
  type ComplianceSummary,
  complianceReport,
  type ControlResult,
  type ControlStatus,
  summarize as summarizeCompliance,
} from './frameworks/compliance.js';
export { detectPlatform, type Platform } from './frameworks/platform.js';
export { complianceReporters, type ComplianceReporter } from './reporters/compliance.js';
export { loadFrameworkFile, parseFramework } from './config/frameworks.js';
export { collectNodeFacts, type NodeFacts, type NodeProfile } from './node/collect.js';
export { VERSION } from './version.js';
export { evaluatePodSecurity, type PodSecurityPolicy, parsePolicyVersion, pssReport } from './pss/index.js';
export * from './rbac/index.js';
export {
  buildNetworkModel,
  type Connection,
  type ConnSet,
  connsToJson,
  type Decision,
  type DirectionVerdict,
  type Endpoint,
  endpointName,
  type Exposure,
  type ExposureVia,
  type ExternalNode,
  formatConns,
  formatRange,
  hasPort,
  type IpRange,
  type Matrix,
  NetworkModel,
  networkModelProvider,
  parseCidr,
  type PodTarget,
  type Reachability,
  type WorkloadNode,
} from './network/index.js';
export type { ImageInventory, InstalledPackage, OsRelease, PackageLocation, PackageVulnerability, VulnerabilityStatus } from './packages/packages.js';
export { analyzeImage, openImage, scanImage, type ImageScanOptions, type ImageScanResult } from './images/image.js';
export { LayerCache, defaultCacheDir } from './images/cache.js';
export { imageInputs, imageUses, scanImages, type ImageInputOptions, type ImageUse, type ScanImagesOptions, type ScannedImage } from './images/join.js';
export {
  buildImagesModel,
  ImagesModel,
  imagesModelProvider,
  type ImageFacts,
  type ImageScanResults,
  type VulnerabilityMatches,
} from './image-scan/model.js';
export { renderSbom, toCycloneDx, toSpdx, type SbomFormat } from './images/sbom.js';
export { purlOf, osEcosystem } from './images/purl.js';
export {
  AuditEngine,
  type AuditAlert,
  type AuditEngineOptions,
  type AuditEvent,
  type AuditRule,
  type AuditRuleMeta,
  builtinAuditRules,
  celAuditRule,
  defineAuditRule,
} from './audit-rules/index.js';
// Vulnerability matching: comparators, the matcher, VEX, CVSS, and the local database.
export { compareVersions, comparatorFor, SUPPORTED_ECOSYSTEMS, type Comparator } from './vuln/versions.js';
export { evaluateAffected, evaluateRange, type RangeVerdict } from './vuln/ranges.js';
export { matchPackages, type AdvisoryLookup, type Enrichment, type KevEntry, type MatchOptions, type MatchResult, type Unmatched } from './vuln/match.js';
export type { AdvisoryRecord, AffectedPackage, AffectedRange, RangeEvent, SeverityScore } from './vuln/advisory.js';
export { applyVex, parseVex, type VexStatement } from './vuln/vex.js';
export { parseCvss, severityFromScore, type CvssScore } from './vuln/cvss.js';
export { parsePurl, purlCovers, type PackageUrl } from './vuln/purl.js';
export { ecosystemKey, lookupKeyOf, packageFromPurl } from './vuln/ecosystem.js';
export { buildVulnDb, type BuildOptions, type BuildSummary } from './vulndb/build.js';
export { VulnDb, STALE_AFTER_DAYS, type DbStatus } from './vulndb/db.js';
export { defaultDbPath } from './vulndb/location.js';
export { loadPackageList, loadSbom, loadVex } from './vulndb/inputs.js';
export { renderVulnReport, type VulnFormat, type VulnReport } from './reporters/vulnerabilities.js';
export {
  AttackGraph,
  type AttackGraphOptions,
  type AttackPath,
  buildAttackGraph,
  type ChokePoint,
  comparePaths,
  EDGE_SPECS,
  type EdgeKind as AttackEdgeKind,
  type EdgeSpec,
  ENTRY_KINDS,
  ENTRY_LIKELIHOOD,
  type EntryKind,
  type Evidence as AttackEvidence,
  type GraphEdge,
  type Hop,
  type PathQuery,
  pathsModelProvider,
  DEFAULT_TOP_RISKS,
  graphOptionsOf,
  topRisksOf,
  topRisksOfScan,
  type ScanTopRisksOptions,
  type TopPaths,
  SINK_IMPACT,
  SINK_KINDS,
  type SinkKind,
  type TechniqueRef,
  type Vertex,
} from './paths/index.js';
