/**
 * The whole-process reference: a node process that reads the same manifest files as
 * Palisade's loader and parses each with js-yaml's `loadAll`, nothing else. `bench/run.mjs`
 * times it against `palisade scan DIR -o json=/dev/null` as child processes.
 *
 * Usage: node bench/reference-once.mjs <path>
 */
import yaml from 'js-yaml';
import { listManifests, readTexts } from './lib.mjs';

const path = process.argv[2];
if (!path) {
  console.error('usage: node bench/reference-once.mjs <path>');
  process.exit(2);
}
let docs = 0;
for (const text of readTexts(listManifests(path))) {
  try {
    docs += yaml.loadAll(text).length;
  } catch {
    // A file that does not parse as a whole is parsed as far as it goes, as by any scanner.
  }
}
process.stdout.write(`${docs}\n`);
