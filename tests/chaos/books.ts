/**
 * What a run owes and what clients were shown, settled at the end against each chat's stored
 * history (read through the gateway): messages acknowledged but lost, shown twice, seq gaps, and
 * sends never confirmed that were stored all the same.
 */
import type { Message } from '@messenger/testkit/races/race-kit';
import type { Device } from './device.js';
import type { SendRecord } from './sender.js';

export interface Settlement {
  sends: number;
  acked: number;
  /** Never confirmed after every retry. */
  unacked: number;
  /** Of those, stored all the same (the sender was told nothing, the chat has it). */
  storedButUnacked: number;
  /** A final 4xx to a well-formed send: a bug. */
  rejected: number;
  /** Acknowledged and missing from the chat's history. */
  lostFromStore: number;
  /** (device, acknowledged message of its chat) pairs the device never got, live or by sync. */
  lostAtDevices: number;
  /** One send (sender, clientMsgId) stored, or shown to a device, as more than one message. */
  duplicates: number;
  /** An acknowledged retry of the same clientMsgId that answered another message. */
  retryMismatches: number;
  /** Missing seqs: in a chat's history (1..lastSeq), and in what each device holds of it. */
  seqGapsInStore: number;
  seqGapsAtDevices: number;
  seqConflicts: number;
  /** The same message pushed again and absorbed by id (allowed: at-least-once push). */
  redeliveries: number;
  reconnects: number;
  syncFailures: number;
  errorsSeen: Record<string, number>;
}

const key = (m: { senderId: string; clientMsgId: string }) => `${m.senderId}|${m.clientMsgId}`;

export function settle(
  records: SendRecord[],
  devices: Device[],
  histories: Map<string, Message[]>,
  members: Map<string, string[]>,
  retryMismatches: number,
): Settlement {
  const stored = new Map<string, Message[]>();
  let seqGapsInStore = 0;
  for (const history of histories.values()) {
    for (const m of history) stored.set(key(m), [...(stored.get(key(m)) ?? []), m]);
    const last = history.at(-1)?.seq ?? 0;
    seqGapsInStore += last - new Set(history.map((m) => m.seq)).size;
  }
  let duplicates = [...stored.values()].filter((copies) => copies.length > 1).length;

  const acked = records.filter((r) => r.outcome === 'acked');
  const unacked = records.filter((r) => r.outcome === 'failed');
  const errorsSeen: Record<string, number> = {};
  for (const r of records)
    if (r.lastError) errorsSeen[r.lastError] = (errorsSeen[r.lastError] ?? 0) + 1;

  const byUser = new Map(devices.map((d) => [d.userId, d]));
  let lostAtDevices = 0;
  for (const r of acked) {
    const id = r.message?.id ?? '';
    for (const userId of members.get(r.chatId) ?? []) {
      if (!byUser.get(userId)?.byId.has(id)) lostAtDevices += 1;
    }
  }
  let seqGapsAtDevices = 0;
  for (const device of devices) {
    const shown = new Map<string, Set<string>>();
    for (const { message } of device.byId.values()) {
      const ids = shown.get(key(message)) ?? new Set();
      shown.set(key(message), ids.add(message.id));
    }
    duplicates += [...shown.values()].filter((ids) => ids.size > 1).length;
    for (const chatId of device.chatIds) {
      const last = histories.get(chatId)?.at(-1)?.seq ?? 0;
      seqGapsAtDevices += last - device.seqs(chatId).filter((seq) => seq <= last).length;
    }
  }

  return {
    sends: records.length,
    acked: acked.length,
    unacked: unacked.length,
    storedButUnacked: unacked.filter((r) => stored.has(key(r))).length,
    rejected: records.filter((r) => r.outcome === 'rejected').length,
    lostFromStore: acked.filter((r) => !stored.has(key(r))).length,
    lostAtDevices,
    duplicates,
    retryMismatches,
    seqGapsInStore,
    seqGapsAtDevices,
    seqConflicts: devices.reduce((n, d) => n + d.seqConflicts, 0),
    redeliveries: devices.reduce((n, d) => n + d.redeliveries, 0),
    reconnects: devices.reduce((n, d) => n + Math.max(0, d.connects - 1), 0),
    syncFailures: devices.reduce((n, d) => n + d.syncFailures, 0),
    errorsSeen,
  };
}

/** The q-quantile (0..1) of a list of numbers, NaN when it is empty. */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
