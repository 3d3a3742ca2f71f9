/** The operator run as its own process (out-of-cluster kubeconfig), as `make up` would. */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from '../repo-root.js';
import { eventually, uniqueName } from './control-plane.js';

export interface OperatorProcess {
  child: ChildProcess;
  port: number;
  identity: string;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

let nextPort = 18_090 + (process.pid % 500) * 4;

/** Runs the operator as its own process (out-of-cluster kubeconfig), as `make up` would. */
export async function startOperator(env: Record<string, string>): Promise<OperatorProcess> {
  const port = nextPort++;
  const identity = env.POD_NAME ?? uniqueName('operator');
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', join(repoRoot, 'services/operator/src/main.ts')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        POD_NAME: identity,
        LOG_LEVEL: 'info',
        RESYNC_SECONDS: '2',
        LEASE_DURATION_SECONDS: '4',
        LEASE_RENEW_DEADLINE_SECONDS: '3',
        LEASE_RETRY_SECONDS: '1',
        KAFKA_TIMEOUT_MS: '3000',
        SHUTDOWN_TIMEOUT_MS: '5000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  try {
    await eventually(
      `operator ${identity} to answer /healthz`,
      async () => {
        if (child.exitCode !== null) throw new Error(`operator exited:\n${output}`);
        const response = await fetch(`http://127.0.0.1:${port}/healthz`);
        return response.ok;
      },
      60_000,
    );
  } catch (error) {
    // The test gets no handle to stop it with: a late starter must not outlive the test.
    child.kill('SIGKILL');
    throw error;
  }
  return {
    child,
    port,
    identity,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      await exited;
    },
  };
}

export async function isLeader(operator: OperatorProcess): Promise<boolean> {
  const response = await fetch(`http://127.0.0.1:${operator.port}/leader`);
  return ((await response.json()) as { leader: boolean }).leader;
}
