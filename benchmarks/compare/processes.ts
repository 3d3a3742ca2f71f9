/**
 * What the server processes of a system cost, read from /proc: CPU time and resident memory of a
 * set of processes and all their descendants (PostgreSQL's backends, Kafka's JVM under its
 * launcher), and starting and stopping the processes the harness runs itself.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const TICKS_PER_SECOND = 100;
const PAGE_BYTES = 4096;

interface Stat {
  pid: number;
  ppid: number;
  /** user + system time of the process and of its children it has waited for, in ticks */
  ticks: number;
  rssPages: number;
}

function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after it start at the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const field = (n: number) => Number(fields[n - 3]);
  return {
    pid,
    ppid: field(4),
    ticks: field(14) + field(15) + field(16) + field(17),
    rssPages: field(24),
  };
}

function allStats(): Stat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => readStat(Number(name)) ?? []);
}

/** The processes `roots` and every descendant of them that is alive now. */
export function processTree(roots: readonly number[]): Stat[] {
  const stats = allStats();
  const children = new Map<number, Stat[]>();
  for (const stat of stats) children.set(stat.ppid, [...(children.get(stat.ppid) ?? []), stat]);
  const byPid = new Map(stats.map((stat) => [stat.pid, stat]));
  const found = new Map<number, Stat>();
  const queue = roots.flatMap((pid) => byPid.get(pid) ?? []);
  while (queue.length > 0) {
    const next = queue.pop();
    if (!next || found.has(next.pid)) continue;
    found.set(next.pid, next);
    queue.push(...(children.get(next.pid) ?? []));
  }
  return [...found.values()];
}

export function cpuSeconds(roots: readonly number[]): number {
  return processTree(roots).reduce((sum, stat) => sum + stat.ticks, 0) / TICKS_PER_SECOND;
}

export function rssBytes(roots: readonly number[]): number {
  return processTree(roots).reduce((sum, stat) => sum + stat.rssPages * PAGE_BYTES, 0);
}

const LISTEN = '0A';

/** The socket inodes listening on `ports` (IPv4 and IPv6), from /proc/net/tcp*. */
function listeningInodes(ports: ReadonlySet<number>): Set<string> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const port = parseInt(fields[1]?.split(':')[1] ?? '', 16);
      if (fields[3] === LISTEN && ports.has(port) && fields[9]) inodes.add(fields[9]);
    }
  }
  return inodes;
}

/** The processes that listen on any of `ports`, whoever started them. */
export function listenerPids(ports: Iterable<number>): number[] {
  const inodes = listeningInodes(new Set(ports));
  const pids: number[] = [];
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${name}/fd`);
    } catch {
      continue;
    }
    const holds = fds.some((fd) => {
      try {
        const target = readlinkSync(`/proc/${name}/fd/${fd}`);
        return target.startsWith('socket:[') && inodes.has(target.slice(8, -1));
      } catch {
        return false;
      }
    });
    if (holds) pids.push(Number(name));
  }
  return pids;
}

export interface Server {
  name: string;
  process: ChildProcess;
  pid: number;
  /** The last lines it wrote, for the error when it does not come up. */
  output: () => string;
}

const running = new Set<Server>();

/** Kills every server still running at once, for a harness that is being interrupted. */
export function killServers(): void {
  for (const server of running) server.process.kill('SIGKILL');
}

/** Starts a server process whose output is kept (the last 4 KiB) rather than shown. */
export function startServer(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Server {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4096);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  if (child.pid === undefined) throw new Error(`${name}: ${command} did not start`);
  const server = { name, process: child, pid: child.pid, output: () => tail };
  running.add(server);
  child.once('exit', () => running.delete(server));
  return server;
}

/** Waits until `ready` holds, failing with the server's output when it exits or times out. */
export async function waitForServer(
  server: Server,
  ready: () => Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (server.process.exitCode !== null)
      throw new Error(`${server.name} exited (${server.process.exitCode}): ${server.output()}`);
    if (await ready().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${server.name} not ready within ${timeoutMs} ms: ${server.output()}`);
}

export async function stopServer(server: Server): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  server.process.kill('SIGTERM');
  const timer = setTimeout(() => server.process.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
