/**
 * Worker thread of the parse pool (parse-pool.ts): reads and parses the files it is sent,
 * one message per file, and answers with plain data.
 */
import { parentPort } from 'node:worker_threads';
import { readAndParse } from './parse-pool.js';

parentPort?.on('message', (job: { id: number; path: string; keepText: boolean }) => {
  parentPort?.postMessage({ id: job.id, result: readAndParse(job.path, job.keepText) });
});
