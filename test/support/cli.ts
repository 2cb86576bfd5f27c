/**
 * The built CLI, as users run it: end-to-end tests spawn `node dist/cli/main.js`, never the
 * TypeScript sources. `npm test` builds first when dist/ is older than src/.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of the built entry point. */
export const CLI = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));

if (!existsSync(CLI)) throw new Error(`${CLI} does not exist: run npm run build (npm test does it when dist/ is stale)`);
