/**
 * Sends as a client does under faults: one message at a time per sender, over its socket or
 * REST through the gateway, retried with the same clientMsgId after a timeout, a retryable error
 * or a lost connection, until it is acknowledged or the attempts run out.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { api } from '@messenger/testkit/gateway/app-client';
import type { Message } from '@messenger/testkit/races/race-kit';
import type { Device } from './device.js';

export type Transport = 'socket' | 'rest';

export interface SendRecord {
  clientMsgId: string;
  chatId: string;
  senderId: string;
  transport: Transport;
  content: string;
  startedAt: number;
  attempts: number;
  /** acked: stored and confirmed; failed: never confirmed; rejected: a final 4xx (a bug here). */
  outcome: 'pending' | 'acked' | 'failed' | 'rejected';
  message?: Message;
  lastError?: string;
}

const ATTEMPT_TIMEOUT_MS = 6_000;
/** Errors after which the same send may succeed: the platform's retryable answers. */
const RETRYABLE = new Set([
  'timeout',
  'rate_limited',
  'unavailable',
  'upstream_unavailable',
  'upstream_timeout',
  'bad_gateway',
  'internal',
]);

type Attempt = { message: Message } | { retry: string } | { reject: string };

async function overSocket(device: Device, record: SendRecord): Promise<Attempt> {
  if (!device.socket.connected) return { retry: 'disconnected' };
  try {
    const answer = (await device.socket.timeout(ATTEMPT_TIMEOUT_MS).emitWithAck('message:send', {
      chatId: record.chatId,
      clientMsgId: record.clientMsgId,
      content: record.content,
    })) as { message?: Message; error?: { code: string } };
    if (answer.message) return { message: answer.message };
    const code = answer.error?.code ?? 'no message';
    return RETRYABLE.has(code) ? { retry: code } : { reject: code };
  } catch {
    return { retry: 'ack timeout' };
  }
}

async function overRest(token: string, record: SendRecord): Promise<Attempt> {
  try {
    const response = await fetch(`${api}/chats/${record.chatId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientMsgId: record.clientMsgId, content: record.content }),
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS * 2),
    });
    const text = await response.text();
    if (response.status === 200 || response.status === 201)
      return { message: JSON.parse(text) as Message };
    if (response.status >= 500 || response.status === 429) return { retry: `${response.status}` };
    return { reject: `${response.status} ${text.slice(0, 200)}` };
  } catch (error) {
    return { retry: error instanceof Error ? error.name : 'fetch failed' };
  }
}

export interface SendOptions {
  device: Device;
  token: string;
  chatId: string;
  transport: Transport;
  content: string;
  maxAttempts: number;
  /** Called before each attempt, so a run can count them. */
  onAttempt?: () => void;
}

export async function send(options: SendOptions, record = newRecord(options)): Promise<SendRecord> {
  for (let attempt = 0; attempt < options.maxAttempts; attempt += 1) {
    record.attempts += 1;
    options.onAttempt?.();
    const result =
      options.transport === 'socket'
        ? await overSocket(options.device, record)
        : await overRest(options.token, record);
    if ('message' in result) {
      record.outcome = 'acked';
      record.message = result.message;
      return record;
    }
    if ('reject' in result) {
      record.outcome = 'rejected';
      record.lastError = result.reject;
      return record;
    }
    record.lastError = result.retry;
    await sleep(Math.min(3_000, 200 * 2 ** attempt));
  }
  record.outcome = 'failed';
  return record;
}

export function newRecord(options: SendOptions): SendRecord {
  return {
    clientMsgId: randomUUID(),
    chatId: options.chatId,
    senderId: options.device.userId,
    transport: options.transport,
    content: options.content,
    startedAt: performance.now(),
    attempts: 0,
    outcome: 'pending',
  };
}
