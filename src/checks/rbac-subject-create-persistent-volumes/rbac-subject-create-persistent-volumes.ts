import { defineSubjectCheck } from '../../rbac/subject-checks.js';

// Wording, severity by reach and framework references are the catalogue's (src/rbac/capabilities.ts).
/** Subject can create persistent volumes: evaluated on effective permissions, reported per subject. */
export default defineSubjectCheck({
  id: 'PAL-0417',
  name: 'rbac-subject-create-persistent-volumes',
  title: 'Subject can create persistent volumes',
  severity: 'medium',
  docs: {
    description:
      "Creating PersistentVolumes lets a subject define a `hostPath` volume on any node path; whoever can then claim it in a pod reads or writes the node's filesystem (kubelet credentials, other pods' data). Admission policies on pods do not see PersistentVolume sources.",
    remediation: 'Leave PersistentVolume creation to storage provisioners; users should create PersistentVolumeClaims against StorageClasses.',
    references: ['https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation'],
  },
  capability: 'create-persistent-volumes',
});
