import type { Profile } from './run.js';

/** `make chaos`: every fault of issue 13, at least 2,000 messages from 20 senders. */
export const full: Profile = {
  name: 'full',
  senders: 20,
  ratePerSender: 1,
  baselineSeconds: 20,
  floodSeconds: 20,
  floodRate: 2000,
  faults: [
    'messaging-2 SIGKILL',
    'messaging-2 restart',
    'messaging-2 wedged 15 s',
    'kafka stopped 20 s',
    'redis paused 5 s',
    'ferretdb restart',
    'postgres restart',
  ],
  settleSeconds: 10,
  maxAttempts: 10,
  resendShare: 0.05,
};

/**
 * `make test`: every assertion, fewer messages and the faults others' tests on the shared stack
 * ride out (an instance's death and restart, a short Redis pause); Kafka, FerretDB and PostgreSQL
 * are stopped only by `make chaos`.
 */
export const short: Profile = {
  name: 'short',
  senders: 20,
  ratePerSender: 0.5,
  baselineSeconds: 10,
  floodSeconds: 10,
  floodRate: 1000,
  faults: ['messaging-2 SIGKILL', 'messaging-2 restart', 'redis paused 3 s'],
  settleSeconds: 3,
  maxAttempts: 10,
  resendShare: 0.05,
};
