/**
 * Faults injected into the local stack's own processes: each is found by its pid file under
 * .stack/run and checked to carry this stack's marker (MESSENGER_STACK_DIR, set by
 * scripts/stack/lib/common.sh on everything it spawns) before it is signalled, so nothing outside
 * this clone's stack is touched. What is stopped is started again with the stack's own scripts.
 */
import { execFile } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { repoRoot } from '@messenger/testkit/repo-root';

const run = promisify(execFile);
const stackDir = join(repoRoot, '.stack');
const marker = `MESSENGER_STACK_DIR=${stackDir}`;

/** The servers of scripts/stack/servers and the service instances of scripts/stack/services.sh. */
export type ServerName = 'postgres' | 'redis' | 'kafka' | 'mongo';
export type InstanceName = 'messaging' | 'messaging-2';
type ProcessName = ServerName | InstanceName;

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/**
 * The rule of is_ours in scripts/stack/lib/common.sh: the process carries the marker, names the
 * stack's data or configuration on its command line, or runs inside its data folder (Redis
 * rewrites its environment for its process title, so only its working folder tells).
 */
function isOurs(pid: number): boolean {
  const read = (file: string) => readFileSync(`/proc/${pid}/${file}`, 'utf8').split('\0');
  if (read('environ').includes(marker)) return true;
  const cmdline = read('cmdline').join(' ');
  if (cmdline.includes(`${stackDir}/data/`) || cmdline.includes(`${stackDir}/conf/`)) return true;
  return readlinkSync(`/proc/${pid}/cwd`).startsWith(`${stackDir}/data/`);
}

/** The live pid of one of this stack's processes; throws for anything that is not the stack's. */
export function stackPid(name: ProcessName): number {
  const pid = Number(readFileSync(join(stackDir, 'run', `${name}.pid`), 'utf8').trim());
  if (!Number.isInteger(pid) || !alive(pid))
    throw new Error(`${name}: no live process in its pid file`);
  if (!isOurs(pid)) throw new Error(`${name}: pid ${pid} is not this stack's (${stackDir})`);
  return pid;
}

export function signal(name: ProcessName, sig: NodeJS.Signals): number {
  const pid = stackPid(name);
  process.kill(pid, sig);
  return pid;
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} still runs after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Runs a stack script with this process's environment (STACK_PORT_OFFSET included). */
async function stackScript(script: string, ...args: string[]): Promise<void> {
  await run(join(repoRoot, 'scripts/stack', script), args, {
    cwd: repoRoot,
    env: { ...process.env, STACK_SKIP_BUILD: '1' },
    timeout: 180_000,
  });
}

export const startServer = (name: ServerName): Promise<void> =>
  stackScript(`servers/${name}.sh`, 'start');
export const startInstance = (name: InstanceName): Promise<void> =>
  stackScript('services.sh', 'start', name);
