import { defineCheck } from '../../core/check.js';
import { addOperation, describeContainer, effectiveSetting, isWindowsPod } from '../../security-context/security-context.js';

/** A read-only root filesystem stops an intruder from dropping tools or changing the application's code in place. */
export default defineCheck({
  id: 'PAL-0106',
  name: 'writable-root-filesystem',
  title: 'Container root filesystem is writable',
  severity: 'medium',
  category: 'security-context',
  frameworks: ['nsa:NSA-02'],
  docs: {
    description:
      'Unless `securityContext.readOnlyRootFilesystem` is `true`, processes in the container can write to its root filesystem: ' +
      'an attacker who gets code execution can download tools, replace binaries or scripts of the application and persist until ' +
      'the container is recreated. The NSA/CISA guide asks for immutable container filesystems. Windows pods (`spec.os.name: windows`) ' +
      'do not support the setting and ephemeral (debug) containers are not checked.',
    remediation:
      'Set `securityContext.readOnlyRootFilesystem: true` on the container and mount an `emptyDir` volume at each path the ' +
      'application must write to (for example `/tmp` or a cache directory).',
    references: ['https://kubernetes.io/docs/tasks/configure-pod-container/security-context/', 'https://kubernetes.io/docs/concepts/storage/volumes/#emptydir'],
  },
  target: { kind: 'container' },
  fixSafety: 'review',
  evaluate({ container, resource }) {
    if (container.list === 'ephemeralContainers' || isWindowsPod(container.pod)) return undefined;
    const setting = effectiveSetting(container, 'readOnlyRootFilesystem');
    if (setting?.value === true) return undefined;
    const pointer = `${container.pointer}/securityContext/readOnlyRootFilesystem`;
    return {
      path: '/securityContext/readOnlyRootFilesystem',
      message:
        setting === undefined
          ? `${describeContainer(container)} does not set securityContext.readOnlyRootFilesystem, so its root filesystem is writable`
          : `${describeContainer(container)} sets securityContext.readOnlyRootFilesystem to ${JSON.stringify(setting.value)}, so its root filesystem is writable`,
      fix: [addOperation(resource.object, pointer, true)],
    };
  },
});
