/**
 * Commits state changes with their outbox events, rolls one back, then dies by SIGKILL before
 * any relay could publish: the crash the outbox exists for.
 * Run as its own process: `writeThenDieScript` is its path.
 */
import pg from 'pg';
import { enqueueEvent, withTransaction } from '@messenger/platform';

const [databaseUrl, producer, count] = process.argv.slice(2) as [string, string, string];

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: databaseUrl });
  for (let i = 0; i < Number(count); i += 1) {
    await withTransaction(pool, async (client) => {
      await client.query('INSERT INTO things (id) VALUES ($1)', [`thing-${i}`]);
      await enqueueEvent(client, producer, {
        type: 'user.email_verified',
        key: `thing-${i}`,
        data: { userId: `thing-${i}` },
      });
    });
  }
  await withTransaction(pool, async (client) => {
    await client.query('INSERT INTO things (id) VALUES ($1)', ['rolled-back']);
    await enqueueEvent(client, producer, {
      type: 'user.email_verified',
      key: 'rolled-back',
      data: { userId: 'rolled-back' },
    });
    throw new Error('the state change fails, so its event must vanish too');
  }).catch(() => undefined);
  process.kill(process.pid, 'SIGKILL');
}

void main();
