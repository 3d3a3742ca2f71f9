/**
 * The Kafka ACLs the chart renders (its Kafka ConfigMap's `acls`: one `kafka-acls.sh --add`
 * argument list a line), read as single entries.
 */

export interface AclEntry {
  principal: string;
  operation: string;
  resourceType: 'Topic' | 'Group' | 'Cluster';
  resourceName: string;
}

/** Every (principal, operation, resource) the lines allow. */
export function parseAcls(text: string): AclEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .flatMap((line) => {
      const words = line.trim().split(/\s+/);
      const valuesOf = (flag: string) =>
        words.flatMap((word, index) => (word === flag ? [words[index + 1] ?? ''] : []));
      const [principal = ''] = valuesOf('--allow-principal');
      const resources = [
        ...valuesOf('--topic').map((name) => ({ resourceType: 'Topic' as const, name })),
        ...valuesOf('--group').map((name) => ({ resourceType: 'Group' as const, name })),
        ...(words.includes('--cluster')
          ? [{ resourceType: 'Cluster' as const, name: 'kafka-cluster' }]
          : []),
      ];
      return valuesOf('--operation').flatMap((operation) =>
        resources.map(({ resourceType, name }) => ({
          principal,
          operation,
          resourceType,
          resourceName: name,
        })),
      );
    });
}
