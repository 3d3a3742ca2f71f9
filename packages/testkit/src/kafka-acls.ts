/**
 * The Kafka ACLs the chart renders (its Kafka ConfigMap's `acls`: one `kafka-acls.sh --add`
 * argument list a line), read as single entries, and created on a broker of a test's own as the
 * chart's run.sh creates them.
 */
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
} from 'kafkajs';

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

const operations: Record<string, AclOperationTypes> = {
  Read: AclOperationTypes.READ,
  Write: AclOperationTypes.WRITE,
  Create: AclOperationTypes.CREATE,
  Delete: AclOperationTypes.DELETE,
  Alter: AclOperationTypes.ALTER,
  Describe: AclOperationTypes.DESCRIBE,
  DescribeConfigs: AclOperationTypes.DESCRIBE_CONFIGS,
  AlterConfigs: AclOperationTypes.ALTER_CONFIGS,
  IdempotentWrite: AclOperationTypes.IDEMPOTENT_WRITE,
};

const resourceTypes: Record<AclEntry['resourceType'], AclResourceTypes> = {
  Topic: AclResourceTypes.TOPIC,
  Group: AclResourceTypes.GROUP,
  Cluster: AclResourceTypes.CLUSTER,
};

/** Creates the entries through `admin` (a super user's), literal patterns from any host. */
export async function createAcls(admin: Admin, entries: readonly AclEntry[]): Promise<void> {
  await admin.createAcls({
    acl: entries.map((entry) => {
      const operation = operations[entry.operation];
      if (operation === undefined) throw new Error(`unknown ACL operation ${entry.operation}`);
      return {
        principal: entry.principal,
        host: '*',
        operation,
        permissionType: AclPermissionTypes.ALLOW,
        resourceType: resourceTypes[entry.resourceType],
        resourceName: entry.resourceName,
        resourcePatternType: ResourcePatternTypes.LITERAL,
      };
    }),
  });
}
