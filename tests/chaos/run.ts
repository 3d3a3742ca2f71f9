/**
 * The chaos run: users with one device each through the gateway, direct chats and groups, senders
 * over socket and REST at a steady rate, probes that time live delivery, and the faults of a
 * profile one after the other, then the books settled against the stored histories.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { call } from '@messenger/testkit/gateway/app-client';
import { gatewayUrl } from '@messenger/testkit/service-urls';
import { api, type Message } from '@messenger/testkit/races/race-kit';
import { befriend } from '@messenger/testkit/social';
import { newUser, newUsers, type TestUser } from '@messenger/testkit/users';
import { quantile, settle, type Settlement } from './books.js';
import { Device, type Seen } from './device.js';
import { faults, type FaultName } from './faults.js';
import { send, type SendRecord, type Transport } from './sender.js';

export interface Profile {
  name: string;
  senders: number;
  /** Messages per second of each sender. */
  ratePerSender: number;
  /** Seconds of traffic measured without any fault, then under the flood. */
  baselineSeconds: number;
  floodSeconds: number;
  /** Events per second the abusive client emits. */
  floodRate: number;
  faults: FaultName[];
  /** Quiet seconds after each fault's recovery. */
  settleSeconds: number;
  maxAttempts: number;
  /** Share of acknowledged sends sent again with the same clientMsgId. */
  resendShare: number;
}

export interface Recovery {
  fault: FaultName;
  /** Seconds from the end of the fault until a probe reached every device live. */
  seconds: number;
  /** Until a probe reached any device live (the delivery chain works, not yet every socket). */
  firstSeconds: number;
}

export interface Report {
  profile: string;
  settlement: Settlement;
  recoveries: Recovery[];
  latency: { baselineP50: number; baselineP99: number; floodP50: number; floodP99: number };
  flood: Record<string, number>;
  durationSeconds: number;
}

const PROBE_INTERVAL_MS = 250;
const RECOVERY_WAIT_MS = 60_000;
const groupSize = 10;

interface Probe {
  sentAt: number;
  arrivals: Map<string, number>;
}

export async function runChaos(profile: Profile, log: (line: string) => void): Promise<Report> {
  const started = performance.now();
  const users = await newUsers(profile.senders, 'chaos');
  const [hub, abuser] = [await newUser('chaos_hub'), await newUser('chaos_abuser')];
  await inBatches(users, (u) => befriend(hub, u));
  await inBatches(users, (u, i) => befriend(u, users[(i + 1) % users.length] as TestUser));

  const createChat = async (owner: TestUser, body: unknown): Promise<string> => {
    const answer = await call<{ id: string }>('POST', '/chats', { token: owner.token, body });
    if (answer.status !== 201 && answer.status !== 200)
      throw new Error(`create chat: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  };
  const members = new Map<string, string[]>();
  const readers = new Map<string, TestUser>();
  const group = async (memberUsers: TestUser[], name: string) => {
    const id = await createChat(hub, {
      type: 'group',
      name,
      memberIds: memberUsers.map((u) => u.id),
    });
    members.set(id, [hub.id, ...memberUsers.map((u) => u.id)]);
    readers.set(id, hub);
    return id;
  };
  const probeChat = await group(users, 'probes');
  const groups: string[] = [];
  for (let i = 0; i < users.length; i += groupSize)
    groups.push(await group(users.slice(i, i + groupSize), `group ${i / groupSize + 1}`));
  const directs: string[] = [];
  for (const [i, user] of users.entries()) {
    const next = users[(i + 1) % users.length] as TestUser;
    const id = await createChat(user, { type: 'direct', userId: next.id });
    directs.push(id);
    members.set(id, [user.id, next.id]);
    readers.set(id, user);
  }
  const floodChat = await createChat(abuser, { type: 'group', name: 'flood', memberIds: [] });

  const probes = new Map<string, Probe>();
  const onFirstSight = (device: Device, seen: Seen) => {
    const probe = seen.live ? probes.get(seen.message.content) : undefined;
    if (probe && seen.message.chatId === probeChat) probe.arrivals.set(device.userId, seen.at);
  };
  const chatsOf = (userId: string) =>
    [...members.entries()].filter(([, ids]) => ids.includes(userId)).map(([id]) => id);
  const devices = users.map((u) => new Device(u.id, u.token, chatsOf(u.id), onFirstSight));
  const hubDevice = new Device(hub.id, hub.token, chatsOf(hub.id));
  const allDevices = [...devices, hubDevice];
  await Promise.all(allDevices.map((d) => d.ready()));
  log(
    `${profile.name}: ${users.length} senders, ${groups.length} groups, ${directs.length} direct chats, ` +
      `ready in ${seconds(performance.now() - started)} s`,
  );

  // Traffic: each sender alternates its direct chat and its group, socket and REST.
  const records: SendRecord[] = [];
  let retryMismatches = 0;
  const traffic = new AbortController();
  const senders = users.map(async (user, i) => {
    const device = devices[i] as Device;
    const chats = [directs[i] as string, groups[Math.floor(i / groupSize)] as string];
    const interval = 1000 / profile.ratePerSender;
    await sleep(Math.random() * interval);
    for (let n = 0; !traffic.signal.aborted; n += 1) {
      const t0 = performance.now();
      const transport: Transport = (n + i) % 2 === 0 ? 'socket' : 'rest';
      const options = {
        device,
        token: user.token,
        chatId: chats[n % 2] as string,
        transport,
        content: `m ${i}:${n}`,
        maxAttempts: profile.maxAttempts,
      };
      const record = await send(options);
      records.push(record);
      if (record.outcome === 'acked' && Math.random() < profile.resendShare) {
        const again = await send(
          { ...options, transport: transport === 'socket' ? 'rest' : 'socket' },
          { ...record, attempts: 0, outcome: 'pending' },
        );
        if (again.outcome === 'acked' && again.message?.id !== record.message?.id)
          retryMismatches += 1;
      }
      await sleep(Math.max(0, interval - (performance.now() - t0)));
    }
  });

  // Probes: the hub writes to the chat of every device, four times a second.
  const probing = new AbortController();
  const prober = (async () => {
    for (let n = 0; !probing.signal.aborted; n += 1) {
      const content = `probe ${n}`;
      probes.set(content, { sentAt: performance.now(), arrivals: new Map() });
      hubDevice.socket
        .timeout(10_000)
        .emitWithAck('message:send', {
          chatId: probeChat,
          clientMsgId: crypto.randomUUID(),
          content,
        })
        .catch(() => undefined);
      await sleep(PROBE_INTERVAL_MS);
    }
  })();

  const recoveredAfter = async (healedAt: number): Promise<Omit<Recovery, 'fault'>> => {
    const deadline = healedAt + RECOVERY_WAIT_MS;
    const after = () => [...probes.values()].filter((probe) => probe.sentAt >= healedAt);
    while (performance.now() < deadline) {
      const full = after().find((probe) => probe.arrivals.size === devices.length);
      if (full) {
        const first = Math.min(...after().flatMap((probe) => [...probe.arrivals.values()]));
        return {
          seconds: (Math.max(...full.arrivals.values()) - healedAt) / 1000,
          firstSeconds: (first - healedAt) / 1000,
        };
      }
      await sleep(100);
    }
    return { seconds: Number.POSITIVE_INFINITY, firstSeconds: Number.POSITIVE_INFINITY };
  };

  const window = async (secondsLong: number) => {
    const from = performance.now();
    await sleep(secondsLong * 1000);
    return [from, performance.now()] as const;
  };
  const baseline = await window(profile.baselineSeconds);
  log(`baseline: ${profile.baselineSeconds} s`);
  const flooder = floodProcess(abuser.token, floodChat, profile.floodRate, profile.floodSeconds);
  const flooded = await window(profile.floodSeconds);
  const flood = await flooder;
  log(`flood: ${JSON.stringify(flood)}`);
  await sleep(profile.settleSeconds * 1000);

  const recoveries: Recovery[] = [];
  for (const fault of profile.faults) {
    const t0 = performance.now();
    await faults[fault]();
    const healedAt = fault === 'messaging-2 SIGKILL' ? t0 : performance.now();
    const recovery = await recoveredAfter(healedAt);
    recoveries.push({ fault, ...recovery });
    log(
      `${fault}: fault ${seconds(healedAt - t0)} s, live delivery back after ` +
        `${recovery.seconds.toFixed(1)} s (to a first device after ${recovery.firstSeconds.toFixed(1)} s)`,
    );
    await sleep(profile.settleSeconds * 1000);
  }

  traffic.abort();
  await Promise.all(senders);
  probing.abort();
  await prober;
  // Every device catches up as a client would, then the books are settled.
  // One that cannot connect or sync by then shows in the books as what it never got.
  const unready = await Promise.all(
    allDevices.map((d) =>
      d.ready(30_000).then(
        () => d.syncAll().then(() => false),
        () => true,
      ),
    ),
  );
  if (unready.some(Boolean))
    log(`${unready.filter(Boolean).length} device(s) could not connect again for the books`);
  const histories = new Map<string, Message[]>();
  for (const [chatId, reader] of readers)
    histories.set(chatId, await patiently(() => api(gatewayUrl, reader.token).history(chatId)));
  for (const d of allDevices) d.close();

  const userRecords = records.filter((r) => r.chatId !== probeChat);
  const latencies = ([from, to]: readonly [number, number]) =>
    userRecords
      .filter((r) => r.outcome === 'acked' && r.startedAt >= from && r.startedAt < to)
      .flatMap((r) =>
        devices
          .filter(
            (d) => d.userId !== r.senderId && (members.get(r.chatId) ?? []).includes(d.userId),
          )
          .map((d) => d.byId.get(r.message?.id ?? ''))
          .filter((seen): seen is Seen => seen?.live === true)
          .map((seen) => seen.at - r.startedAt),
      );
  const base = latencies(baseline);
  const underFlood = latencies(flooded);
  return {
    profile: profile.name,
    settlement: settle(userRecords, allDevices, histories, members, retryMismatches),
    recoveries,
    latency: {
      baselineP50: quantile(base, 0.5),
      baselineP99: quantile(base, 0.99),
      floodP50: quantile(underFlood, 0.5),
      floodP99: quantile(underFlood, 0.99),
    },
    flood,
    durationSeconds: (performance.now() - started) / 1000,
  };
}

/** The books' reads, tried again for a minute while the stack is still recovering (a 504). */
async function patiently<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 12) throw error;
      await sleep(5_000);
    }
  }
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

async function inBatches<T>(items: T[], work: (item: T, index: number) => Promise<void>) {
  for (let i = 0; i < items.length; i += 5)
    await Promise.all(items.slice(i, i + 5).map((item, j) => work(item, i + j)));
}

function floodProcess(
  token: string,
  chatId: string,
  rate: number,
  secondsLong: number,
): Promise<Record<string, number>> {
  const child = spawn(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      join(__dirname, 'flood-client.ts'),
      token,
      chatId,
      String(rate),
      String(secondsLong),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim()) as Record<string, number>);
      else reject(new Error(`the flood client exited with ${code}`));
    });
  });
}
