/**
 * The books of one run: every message sent, whom it should reach, and every receipt. From them:
 * lost (acknowledged, expected, never received), duplicated (received twice by one device),
 * out of order (received after a later message of the same sender) and per-delivery latency.
 */
interface Sent {
  sender: number;
  /** The sender's own count, to tell order by. */
  number: number;
  sentAt: number;
  expected: ReadonlySet<number>;
  state: 'pending' | 'acked' | 'failed';
  receivedBy: Map<number, number>;
}

export interface Tally {
  sent: number;
  acked: number;
  /** Sends the system refused or did not acknowledge within its timeout. */
  failed: number;
  /** Deliveries owed: each acknowledged message times the devices that should receive it. */
  expected: number;
  /** Deliveries of acknowledged messages. */
  delivered: number;
  /** Deliveries of messages whose send failed (the system stored it, but said so too late). */
  deliveredOfFailed: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  late: number;
  /** Milliseconds from send to receipt, one per delivery (of acknowledged and failed sends). */
  latencies: number[];
}

export class Ledger {
  private readonly messages = new Map<string, Sent>();
  private readonly countBySender = new Map<number, number>();
  /** The highest sender number each (device, sender) stream has received. */
  private readonly highest = new Map<string, number>();
  private duplicated = 0;
  private outOfOrder = 0;
  private outstanding = 0;

  constructor(private readonly tag: string) {}

  /** Records a send by device `sender` that devices `expected` should receive; returns its body. */
  send(sender: number, expected: Iterable<number>): string {
    const number = (this.countBySender.get(sender) ?? 0) + 1;
    this.countBySender.set(sender, number);
    const body = `${this.tag}:${sender}:${number}`;
    this.messages.set(body, {
      sender,
      number,
      sentAt: performance.now(),
      expected: new Set(expected),
      state: 'pending',
      receivedBy: new Map(),
    });
    return body;
  }

  settle(body: string, acked: boolean): void {
    const sent = this.messages.get(body);
    if (!sent || sent.state !== 'pending') return;
    sent.state = acked ? 'acked' : 'failed';
    if (acked) this.outstanding += [...sent.expected].filter((d) => !sent.receivedBy.has(d)).length;
  }

  receive(device: number, body: string): void {
    const sent = this.messages.get(body);
    if (!sent?.expected.has(device)) return; // another run's, or the sender's own copy
    if (sent.receivedBy.has(device)) {
      this.duplicated += 1;
      return;
    }
    sent.receivedBy.set(device, performance.now());
    if (sent.state === 'acked') this.outstanding -= 1;
    const stream = `${device}:${sent.sender}`;
    if (sent.number < (this.highest.get(stream) ?? 0)) this.outOfOrder += 1;
    else this.highest.set(stream, sent.number);
  }

  /** Deliveries of acknowledged messages still owed. */
  owed(): number {
    return this.outstanding;
  }

  /** Whether every acknowledged message has reached every device in `devices` that it should. */
  reached(devices: ReadonlySet<number>): boolean {
    for (const sent of this.messages.values()) {
      if (sent.state !== 'acked') continue;
      for (const device of sent.expected)
        if (devices.has(device) && !sent.receivedBy.has(device)) return false;
    }
    return true;
  }

  tally(lateMs: number): Tally {
    const all = [...this.messages.values()];
    const acked = all.filter((m) => m.state === 'acked');
    const latencies = all.flatMap((m) => [...m.receivedBy.values()].map((at) => at - m.sentAt));
    const expected = acked.reduce((sum, m) => sum + m.expected.size, 0);
    const deliveredOfAcked = acked.reduce((sum, m) => sum + m.receivedBy.size, 0);
    return {
      sent: all.length,
      acked: acked.length,
      failed: all.filter((m) => m.state !== 'acked').length,
      expected,
      delivered: deliveredOfAcked,
      deliveredOfFailed: latencies.length - deliveredOfAcked,
      lost: expected - deliveredOfAcked,
      duplicated: this.duplicated,
      outOfOrder: this.outOfOrder,
      late: latencies.filter((ms) => ms > lateMs).length,
      latencies,
    };
  }
}
