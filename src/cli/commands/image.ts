/**
 * `palisade image` (what an image holds) and `palisade sbom` (the same as CycloneDX or SPDX).
 */
import { writeFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { parseSize } from '../../config/config.js';
import { PalisadeError } from '../../core/errors.js';
import { DEFAULT_CACHE_LIMIT, defaultCacheDir, LayerCache } from '../../images/cache.js';
import { type ImageScanOptions, scanImage } from '../../images/image.js';
import { renderImageTable } from '../../images/render.js';
import { renderSbom, SBOM_FORMATS, type SbomFormat } from '../../images/sbom.js';
import { collectRaw } from '../flags.js';

/** Flags shared by the commands that read images. */
export interface ImageFlags {
  platform?: string;
  cache?: boolean;
  cacheDir?: string;
  cacheSize: string;
  maxFileSize: string;
  maxLayerSize: string;
  insecureRegistry: string[];
  dockerConfig?: string;
}

/** Adds the image source flags to a command. */
export function addImageOptions(cmd: Command): Command {
  return cmd
    .option('--platform <os/arch[/variant]>', "platform to pick from a multi-platform image (default: this machine's, e.g. linux/amd64)")
    .option('--cache-dir <dir>', `layer cache directory (default: ${defaultCacheDir().replace(process.env.HOME ?? '\0', '~')})`)
    .option('--no-cache', 'do not read or write the layer cache')
    .option('--cache-size <size>', 'evict least recently used cache entries beyond this size', `${DEFAULT_CACHE_LIMIT >> 20}MB`)
    .option('--max-file-size <size>', 'largest file kept in memory for an analyser (jars, executables, rpmdb)', '128MB')
    .option('--max-layer-size <size>', 'largest uncompressed layer read (decompression bomb guard)', '16GB')
    .addOption(
      new Option('--insecure-registry <host>', 'reach this registry over plain HTTP (loopback registries always are); repeatable')
        .argParser(collectRaw)
        .default([]),
    )
    .option('--docker-config <file>', 'docker config.json with registry credentials (default: $DOCKER_CONFIG/config.json or ~/.docker/config.json)');
}

function size(flag: string, value: string): number {
  const n = parseSize(value);
  if (n === undefined) throw new PalisadeError('usage', `${flag}: "${value}" is not a size such as 128MB`);
  return n;
}

/** Scan options from the shared flags. */
export function imageOptionsFromFlags(flags: ImageFlags): ImageScanOptions {
  const cacheLimit = size('--cache-size', flags.cacheSize);
  return {
    ...(flags.platform ? { platform: flags.platform } : {}),
    ...(flags.cache === false ? {} : { cache: new LayerCache(flags.cacheDir ?? defaultCacheDir(), cacheLimit) }),
    maxFileBytes: size('--max-file-size', flags.maxFileSize),
    maxLayerBytes: size('--max-layer-size', flags.maxLayerSize),
    insecureRegistries: flags.insecureRegistry,
    ...(flags.dockerConfig ? { dockerConfig: flags.dockerConfig } : {}),
  };
}

const SOURCES_HELP = `
Images are read from:
  DIR, oci:DIR[:name]            an OCI image layout (name = org.opencontainers.image.ref.name)
  FILE.tar, oci-archive:FILE     an OCI layout in a tar
  FILE.tar, docker-archive:FILE  a \`docker save\` tar (FILE:repo:tag when it holds several)
  REF, docker://REF              a registry reference: registry/repo:tag or repo@sha256:...
Registry credentials come from docker's config.json (auths, credHelpers, credsStore).
Every blob is checked against its digest; layers are cached by diff-id.`;

interface ImageCmdFlags extends ImageFlags {
  format: string;
}

interface SbomFlags extends ImageFlags {
  format: string;
  output?: string;
}

/** Registers `palisade image` and `palisade sbom`. */
export function registerImage(program: Command): void {
  const image = program
    .command('image')
    .description('list what container images hold: distribution and installed packages (OS and language)')
    .argument('<images...>', 'image references, OCI layout directories or image tars')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'));
  addImageOptions(image).addHelpText(
    'after',
    `${SOURCES_HELP}

Exit codes:
  0  every image was read
  2  usage error (unknown platform, image or tag not found)
  3  an image could not be read (network, authentication, digest mismatch, corrupt layer)

Examples:
  palisade image 127.0.0.1:5000/app:1.0
  palisade image ./app-oci --platform linux/arm64 -f json
  palisade image app.tar`,
  );
  image.action(async (targets: string[], flags: ImageCmdFlags) => {
    const options = imageOptionsFromFlags(flags);
    const results = [];
    // One unreadable image does not hide the others: its error is printed, the exit code kept.
    let failure: PalisadeError | undefined;
    for (const t of targets) {
      try {
        results.push(await scanImage(t, options));
      } catch (e) {
        if (!(e instanceof PalisadeError) || targets.length === 1) throw e;
        process.stderr.write(`palisade: ${e.message}\n`);
        if (failure === undefined || e.exitCode > failure.exitCode) failure = e;
      }
    }
    if (failure !== undefined) process.exitCode = failure.exitCode;
    if (flags.format === 'json') {
      const docs = results.map((r) => ({ ...r.inventory, ...(r.skipped.length > 0 ? { skipped: r.skipped } : {}) }));
      process.stdout.write(`${JSON.stringify(docs.length === 1 ? docs[0] : docs, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      results
        .map((r) =>
          renderImageTable(
            r.inventory,
            r.skipped.length > 0 ? [`${r.skipped.length} file(s) over --max-file-size not analysed: ${r.skipped.map((s) => s.path).join(', ')}`] : [],
          ),
        )
        .join('\n'),
    );
  });

  const sbom = program
    .command('sbom')
    .description('write a software bill of materials of a container image (CycloneDX 1.5 or SPDX 2.3 JSON)')
    .argument('<image>', 'image reference, OCI layout directory or image tar')
    .addOption(new Option('-f, --format <format>', 'SBOM format').choices([...SBOM_FORMATS]).default('cyclonedx'))
    .option('-o, --output <file>', 'write to a file instead of stdout');
  addImageOptions(sbom).addHelpText(
    'after',
    `${SOURCES_HELP}

Every component has its package URL (pkg:deb/debian/libcurl4@...?upstream=curl for dpkg,
with the source package). Exit codes as for palisade image.

Examples:
  palisade sbom 127.0.0.1:5000/app:1.0 > app.cdx.json
  palisade sbom ./app-oci -f spdx -o app.spdx.json`,
  );
  sbom.action(async (target: string, flags: SbomFlags) => {
    const { inventory } = await scanImage(target, imageOptionsFromFlags(flags));
    const text = renderSbom(inventory, flags.format as SbomFormat);
    if (flags.output) writeFileSync(flags.output, text);
    else process.stdout.write(text);
  });
}
