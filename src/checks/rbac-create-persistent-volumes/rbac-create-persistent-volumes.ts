import { defineRoleCheck } from '../../rbac/role-checks.js';

// What the rule must grant, its severity by reach, wording and framework references are the
// catalogue's (src/rbac/capabilities.ts), shared with the subject-level check.
/** A PersistentVolume can be a hostPath: mounting it bypasses pod-level hostPath restrictions. */
export default defineRoleCheck({
  id: 'PAL-0311',
  name: 'rbac-create-persistent-volumes',
  title: 'Role can create PersistentVolumes',
  severity: 'medium',
  docs: {
    description:
      'Whoever can create PersistentVolumes can create one of type `hostPath` pointing at any host directory, then claim and mount it from a pod: ' +
      "Pod Security Admission forbids hostPath volumes in pods but not in PersistentVolumes, so this is a way to the node's files. " +
      'A Role cannot grant it (PersistentVolumes are cluster-scoped), so only ClusterRoles are reported. ' +
      "Kubernetes' own bootstrap roles (names starting with `system:` or labelled `kubernetes.io/bootstrapping: rbac-defaults`) are not reported.",
    remediation: 'Let users create PersistentVolumeClaims against StorageClasses instead; keep PersistentVolume creation to storage provisioners.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation'],
  },
  capabilities: ['create-persistent-volumes'],
});
