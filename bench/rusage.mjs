/**
 * Preloaded (`node --import ./bench/rusage.mjs ...`) into both child processes of the
 * whole-process comparison: at exit, appends the process' own CPU time and peak RSS as one
 * JSON line to the file named by BENCH_RUSAGE_FILE. Both children carry the same preload, so
 * its cost (one tiny module) is on both sides.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_RUSAGE_FILE;
if (file) {
  process.on('exit', () => {
    // resourceUsage(): CPU times in microseconds, maxRSS in kilobytes (getrusage).
    const u = process.resourceUsage();
    appendFileSync(file, `${JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKb: u.maxRSS })}\n`);
  });
}
