/**
 * One Palisade scan of one path, in a fresh process, for peak memory: runs the full scan
 * (all built-in checks) and renders the JSON report, then prints one JSON line:
 * { maxRssKb, scanMs, resources, findings, reportBytes }.
 *
 * Usage: node bench/scan-once.mjs <path>
 */
import { reporters, scan } from '../dist/index.js';

const path = process.argv[2];
if (!path) {
  console.error('usage: node bench/scan-once.mjs <path>');
  process.exit(2);
}
const t0 = performance.now();
const report = await scan([path]);
let reportBytes = 0;
for (const chunk of reporters.json.chunks(report, { color: false })) reportBytes += chunk.length;
const scanMs = performance.now() - t0;
// resourceUsage().maxRSS is in kilobytes (getrusage ru_maxrss on Linux).
const { maxRSS } = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ maxRssKb: maxRSS, scanMs: Math.round(scanMs), resources: report.resources, findings: report.findings.length, reportBytes })}\n`,
);
