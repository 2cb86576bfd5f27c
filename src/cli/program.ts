/**
 * The `palisade` command line: a thin shell that parses flags and calls the library.
 */
import type { Command } from 'commander';
import { registerAdmission } from './commands/admission.js';
import { registerAgent } from './commands/agent.js';
import { registerAudit } from './commands/audit.js';
import { registerChecks } from './commands/checks.js';
import { registerFix } from './commands/fix.js';
import { registerImage } from './commands/image.js';
import { registerDb } from './commands/db.js';
import { registerCompliance } from './commands/compliance.js';
import { registerInventory } from './commands/inventory.js';
import { registerNetwork } from './commands/network.js';
import { registerNode } from './commands/node.js';
import { registerPaths } from './commands/paths.js';
import { registerPss } from './commands/pss.js';
import { registerRbac } from './commands/rbac.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerSnapshot } from './commands/snapshot.js';
import { registerVuln } from './commands/vuln.js';
import { rootProgram } from './root.js';

/** The program with every command (`palisade scan` alone takes `buildScanProgram`, which loads less). */
export function buildProgram(): Command {
  const program = rootProgram();
  registerScan(program);
  registerFix(program);
  registerInventory(program);
  registerSnapshot(program);
  registerChecks(program);
  registerPss(program);
  registerRbac(program);
  registerNetwork(program);
  registerImage(program);
  registerAudit(program);
  registerDb(program);
  registerVuln(program);
  registerCompliance(program);
  registerNode(program);
  registerAdmission(program);
  registerPaths(program);
  registerServe(program);
  registerAgent(program);
  return program;
}
