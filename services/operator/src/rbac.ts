import type { V1PolicyRule } from '@kubernetes/client-node';

/**
 * Everything the operator may do, all in its own namespace (a Role, no ClusterRole). The chart's
 * operator Role holds these rules; the tests run the operator with a token bound to them alone.
 */
export function operatorRules(leaseName: string): V1PolicyRule[] {
  return [
    {
      apiGroups: ['platform.messenger.dev'],
      resources: ['messengerplatforms'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['platform.messenger.dev'],
      resources: ['messengerplatforms/status'],
      verbs: ['get', 'patch'],
    },
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets'],
      verbs: ['get', 'list', 'watch'],
    },
    // spec.replicas of the messaging Deployment (server-side apply is a patch)
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['patch'] },
    // deletion costs of the messaging pods
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'patch'] },
    { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
    // create cannot be limited by name; the rest is limited to the operator's own Lease
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
    {
      apiGroups: ['coordination.k8s.io'],
      resources: ['leases'],
      resourceNames: [leaseName],
      verbs: ['get', 'update'],
    },
  ];
}
