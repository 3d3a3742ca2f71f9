import { createRequire } from 'node:module';

interface RequestQueue {
  pending: unknown[];
  scheduleCheckPendingRequests: () => void;
}

const KAFKAJS_VERSION = '2.2.4';

/**
 * kafkajs 2.2.4 re-arms a timer of about 1 ms on every broker connection for as long as it lives:
 * after each response its request queue schedules the next check of pending requests even when
 * none is pending, and with no throttle the delay is negative. Each producer, consumer and admin
 * connection of an idle service so wakes a thousand times a second. A check with nothing pending
 * does nothing: a request that cannot go out at once is queued by `push`, which schedules its own
 * check, so skipping the timer then changes nothing but the idle CPU. Applied once per process,
 * and only to the version whose code this was read from.
 */
export function stopIdleRequestQueueTimers(): void {
  const require = createRequire(__filename);
  const { version } = require('kafkajs/package.json') as { version: string };
  if (version !== KAFKAJS_VERSION) return;
  const RequestQueue = require('kafkajs/src/network/requestQueue/index.js') as {
    prototype: RequestQueue & { idleTimersStopped?: boolean };
  };
  const { prototype } = RequestQueue;
  if (prototype.idleTimersStopped) return;
  const schedule = prototype.scheduleCheckPendingRequests;
  prototype.scheduleCheckPendingRequests = function (this: RequestQueue) {
    if (this.pending.length > 0) schedule.call(this);
  };
  prototype.idleTimersStopped = true;
}
