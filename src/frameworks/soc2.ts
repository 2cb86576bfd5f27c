/**
 * SOC 2 (AICPA Trust Services Criteria 2017): the common criteria a Kubernetes posture scan
 * gives evidence for. SOC 2 has no Kubernetes-level controls, so this is a mapping: each
 * criterion lists the checks that support it (by name, or framework references such as
 * `cis:5.1.*`). An auditor still judges the criterion; the report is evidence, not a verdict.
 */
import type { Framework } from './types.js';

export const soc2: Framework = {
  id: 'soc2',
  names: ['soc-2'],
  prefix: 'soc2',
  title: 'SOC 2 Trust Services Criteria (Kubernetes evidence)',
  version: 'TSC 2017',
  url: 'https://www.aicpa-cima.com/resources/download/2017-trust-services-criteria-with-revised-points-of-focus-2022',
  description: 'Common criteria of SOC 2 mapped to the Palisade checks that give evidence for them.',
  controls: [
    {
      id: 'CC6.1',
      section: 'Logical and physical access',
      title: 'Logical access security: authentication and authorisation to the cluster',
      checks: ['cis:1.2.1', 'cis:1.2.6', 'cis:1.2.8', 'cis:4.2.1', 'cis:4.2.2', 'cis:5.1.1', 'cis:5.1.3', 'rbac-anonymous-binding'],
    },
    {
      id: 'CC6.2',
      section: 'Logical and physical access',
      title: 'User provisioning: only intended identities hold access',
      checks: ['rbac-dangling-binding', 'cis:5.1.5', 'cis:1.2.2'],
    },
    {
      id: 'CC6.3',
      section: 'Logical and physical access',
      title: 'Role-based access and least privilege',
      checks: ['cis:5.1.2', 'cis:5.1.4', 'cis:5.1.8', 'cis:5.1.13'],
    },
    {
      id: 'CC6.6',
      section: 'Logical and physical access',
      title: 'Boundary protection against threats from outside the system',
      checks: ['cis:5.3.2', 'ingress-without-tls', 'service-loadbalancer-open', 'exposed-dashboard', 'ms:MS-TA9005'],
    },
    {
      id: 'CC6.7',
      section: 'Logical and physical access',
      title: 'Protection of data in transit and at rest',
      checks: ['ingress-without-tls', 'cis:1.2.24', 'cis:1.2.27', 'cis:1.2.28', 'cis:1.2.29', 'cis:2.1', 'cis:4.2.12'],
    },
    {
      id: 'CC6.8',
      section: 'Logical and physical access',
      title: 'Prevention of unauthorised or malicious software',
      checks: ['cis:5.2.*', 'untrusted-registry', 'image-digest-missing', 'image-latest-tag'],
    },
    {
      id: 'CC7.1',
      section: 'System operations',
      title: 'Detection of configuration changes that introduce vulnerabilities',
      checks: ['deprecated-api-version', 'removed-api-version', 'cis:5.6.*'],
    },
    {
      id: 'CC7.2',
      section: 'System operations',
      title: 'Monitoring of system components for anomalies (audit logging)',
      checks: ['cis:1.2.16', 'cis:1.2.17', 'cis:3.2.1', 'cis:3.2.2'],
    },
    {
      id: 'CC8.1',
      section: 'Change management',
      title: 'Changes are authorised, tested and approved (admission control)',
      checks: ['cis:5.2.1', 'webhook-fails-open-on-security-resources', 'cis:5.1.12'],
    },
  ],
};
