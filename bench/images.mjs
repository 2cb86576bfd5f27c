/**
 * Image scanning benchmark: generates OCI image layouts of 100 MB and 1 GB uncompressed (gzip
 * layers, realistic text-like content, a dpkg database, node_modules and Python packages), then
 * scans each with a cold layer cache and again warm, every scan in its own process so peak RSS
 * is the scan's own.
 *
 * Targets (issue 12): 1 GB in under 4 s cold and under 0.5 s warm; peak RSS under 300 MB
 * whatever the size. Runs against the built package (dist/): `npm run build` first.
 * Writes bench-results/images.json. Generated images are kept in $TMPDIR/palisade-bench-images
 * (delete it to regenerate).
 * Usage: node --expose-gc bench/images.mjs [--sizes 100,1024] [--runs 1] [--strict] [--out file]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { prng } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const { values: opts } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1024' },
    runs: { type: 'string', default: '1' },
    strict: { type: 'boolean', default: false },
    out: { type: 'string', default: join(root, 'bench-results', 'images.json') },
  },
});
const TARGETS = { coldMs1G: 4000, warmMs1G: 500, rssMb: 300 };

const WORDS =
  'the of and to in is for on that with as by from at this are be or an it not which have has was were can will if use data file value return function const error type string number list map node package version library module install system user config build'.split(
    ' ',
  );
function textPool(bytes, rand) {
  const parts = [];
  let n = 0;
  while (n < bytes) {
    const w = rand() < 0.15 ? Math.floor(rand() * 1e6).toString(36) : WORDS[Math.floor(rand() * WORDS.length)];
    parts.push(w);
    n += w.length + 1;
  }
  return Buffer.from(parts.join(' '));
}

function octal(n, len) {
  return `${n.toString(8).padStart(len - 1, '0')}\0`;
}
function tarHeader(name, size, mode = 0o644) {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(0, 12), 136);
  h.write('        ', 148);
  h.write('0', 156);
  h.write('ustar\x0000', 257);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7), 148);
  return h;
}

/** Writes one gzip layer to blobs/, returning its descriptor and diff-id. */
async function writeLayer(dir, files) {
  const tmp = join(dir, 'blobs', 'sha256', `tmp-${process.pid}`);
  const out = createWriteStream(tmp);
  const gz = createGzip({ level: 1 });
  const blobHash = createHash('sha256');
  const diffHash = createHash('sha256');
  let size = 0;
  gz.on('data', (c) => {
    blobHash.update(c);
    size += c.length;
  });
  gz.pipe(out);
  const write = (b) => {
    diffHash.update(b);
    if (!gz.write(b)) return new Promise((r) => gz.once('drain', r));
  };
  for (const f of files) {
    await write(tarHeader(f.path, f.data.length, f.mode));
    await write(f.data);
    const pad = (512 - (f.data.length % 512)) % 512;
    if (pad) await write(Buffer.alloc(pad));
  }
  await write(Buffer.alloc(1024));
  await new Promise((r) => {
    out.once('finish', r);
    gz.end();
  });
  const digest = `sha256:${blobHash.digest('hex')}`;
  renameSync(tmp, join(dir, 'blobs', 'sha256', digest.slice(7)));
  return { desc: { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, size }, diffId: `sha256:${diffHash.digest('hex')}` };
}

/** Lazily generated files of a layer: text files from the pool plus package metadata. */
function* layerFiles(index, bytes, pool, rand) {
  let n = 0;
  if (index === 0) {
    yield { path: 'etc/os-release', data: Buffer.from('ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n') };
    const status = [];
    for (let i = 0; i < 400; i++)
      status.push(
        `Package: pkg${i}\nStatus: install ok installed\nArchitecture: amd64\nSource: src${i % 150}\nVersion: 1.${i}.0-1+deb12u1\nDescription: generated\n long description line\n`,
      );
    yield { path: 'var/lib/dpkg/status', data: Buffer.from(status.join('\n')) };
  }
  if (index === 2)
    for (let i = 0; i < 1500; i++)
      yield {
        path: `srv/app/node_modules/mod${i}/package.json`,
        data: Buffer.from(JSON.stringify({ name: `mod${i}`, version: `1.0.${i}`, license: 'MIT', description: 'x'.repeat(200) })),
      };
  if (index === 3)
    for (let i = 0; i < 200; i++)
      yield {
        path: `usr/lib/python3/dist-packages/pkg${i}-2.${i}.dist-info/METADATA`,
        data: Buffer.from(`Metadata-Version: 2.1\nName: pkg${i}\nVersion: 2.${i}\n\n${'d'.repeat(500)}`),
      };
  let i = 0;
  while (n < bytes) {
    const size = Math.min(bytes - n, 4096 + Math.floor(rand() * rand() * 512 * 1024));
    const off = Math.floor(rand() * (pool.length - size));
    const exec = i % 50 === 0;
    yield { path: `usr/share/layer${index}/dir${i % 97}/file${i}${exec ? '.sh' : '.txt'}`, data: pool.subarray(off, off + size), mode: exec ? 0o755 : 0o644 };
    n += size + 512;
    i++;
  }
}

async function generate(dir, totalMb) {
  if (existsSync(join(dir, 'index.json'))) return;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  // Deterministic (mulberry32), so every run builds the same image.
  const rand = prng(totalMb);
  const pool = textPool(8 << 20, rand);
  const total = totalMb * 1024 * 1024;
  const shares = [0.4, 0.2, 0.2, 0.2];
  const layers = [];
  for (let i = 0; i < shares.length; i++) layers.push(await writeLayer(dir, layerFiles(i, Math.floor(total * shares[i]), pool, rand)));
  const config = Buffer.from(
    JSON.stringify({ created: '2026-11-01T00:00:00Z', os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } }),
  );
  const configDigest = `sha256:${createHash('sha256').update(config).digest('hex')}`;
  writeFileSync(join(dir, 'blobs', 'sha256', configDigest.slice(7)), config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: layers.map((l) => l.desc),
    }),
  );
  const md = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
  writeFileSync(join(dir, 'blobs', 'sha256', md.slice(7)), manifest);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: md, size: manifest.length }] }),
  );
}

function scan(image, cacheDir) {
  const rusage = join(tmpdir(), `palisade-bench-images-rusage-${process.pid}.jsonl`);
  rmSync(rusage, { force: true });
  const r = spawnSync(process.execPath, ['--import', join(here, 'rusage.mjs'), join(here, 'images-child.mjs'), image, cacheDir], {
    encoding: 'utf8',
    env: { ...process.env, BENCH_RUSAGE_FILE: rusage },
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`scan of ${image} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout.trim());
  const u = JSON.parse(readFileSync(rusage, 'utf8').trim().split('\n').pop());
  rmSync(rusage, { force: true });
  return { ...out, rssMb: u.maxRssKb / 1024, cpuMs: u.userMs + u.systemMs };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = join(tmpdir(), 'palisade-bench-images');
const runs = Number(opts.runs);
const results = [];
for (const mb of opts.sizes.split(',').map(Number)) {
  const dir = join(base, `${mb}MB`);
  const g0 = performance.now();
  await generate(dir, mb);
  const genMs = performance.now() - g0;
  const cold = [];
  const warm = [];
  for (let i = 0; i < runs; i++) {
    const cacheDir = join(base, `cache-${mb}-${process.pid}`);
    rmSync(cacheDir, { recursive: true, force: true });
    cold.push(scan(dir, cacheDir));
    warm.push(scan(dir, cacheDir));
    rmSync(cacheDir, { recursive: true, force: true });
  }
  if (warm.some((w) => w.cachedLayers !== w.layers)) throw new Error('warm scan did not use the cache');
  results.push({
    image: `${mb} MB`,
    packages: cold[0].packages,
    coldMs: median(cold.map((c) => c.ms)),
    coldRssMb: Math.max(...cold.map((c) => c.rssMb)),
    coldCpuMs: median(cold.map((c) => c.cpuMs)),
    warmMs: median(warm.map((c) => c.ms)),
    warmRssMb: Math.max(...warm.map((c) => c.rssMb)),
    ...(genMs > 1000 ? { generatedMs: genMs } : {}),
  });
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(
  `\nImage scan (${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}; median of ${runs} run(s), each scan in its own process)\n`,
);
console.log('| image (uncompressed) | packages | cold ms | cold CPU ms | cold peak RSS MB | warm ms | warm peak RSS MB |');
console.log('|:--|--:|--:|--:|--:|--:|--:|');
for (const r of results)
  console.log(`| ${r.image} | ${fmt(r.packages)} | ${fmt(r.coldMs)} | ${fmt(r.coldCpuMs)} | ${fmt(r.coldRssMb)} | ${fmt(r.warmMs)} | ${fmt(r.warmRssMb)} |`);
const big = results.find((r) => r.image === '1024 MB');
const misses = [];
if (big && big.coldMs > TARGETS.coldMs1G) misses.push(`1 GB cold ${fmt(big.coldMs)} ms > ${TARGETS.coldMs1G}`);
if (big && big.warmMs > TARGETS.warmMs1G) misses.push(`1 GB warm ${fmt(big.warmMs)} ms > ${TARGETS.warmMs1G}`);
for (const r of results)
  if (Math.max(r.coldRssMb, r.warmRssMb) > TARGETS.rssMb) misses.push(`${r.image} peak RSS ${fmt(Math.max(r.coldRssMb, r.warmRssMb))} MB > ${TARGETS.rssMb}`);
console.log(misses.length ? `\nTargets missed: ${misses.join('; ')}` : '\nAll targets met.');
mkdirSync(dirname(opts.out), { recursive: true });
writeFileSync(opts.out, JSON.stringify({ node: process.version, cpus: cpus().length, targets: TARGETS, results, misses }, null, 2));
if (opts.strict && misses.length) process.exit(1);
