/**
 * The RBAC model as an engine-owned model: checks declare `uses: ['rbac']` and read
 * `ctx.models.rbac`.
 */
import type { ModelProvider } from '../core/models.js';
import { buildRbacModel, type RbacModel } from './model.js';

declare module '../core/models.js' {
  interface Models {
    /** Subjects, bindings, roles and effective permissions (`rbac/model.ts`). */
    rbac: RbacModel;
  }
}

/**
 * Builds the RBAC model once per scan.
 *
 * @example
 * runChecks(inventory, { checks, models: [rbacModelProvider] });
 */
export const rbacModelProvider: ModelProvider<'rbac'> = {
  name: 'rbac',
  reads: ['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ServiceAccount'],
  build: (inventory) => buildRbacModel(inventory),
};
