import { internalOperations, type SigningKeyRotation } from '@messenger/contracts';
import { ServiceClient, type Logger } from '@messenger/platform';
import type { SigningKeysStatus } from './spec.js';

const UNITS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000 };

/** A duration as Kubernetes writes them (`720h`, `1h30m`, `90s`) in milliseconds. */
export function parseDuration(text: string): number | undefined {
  if (!/^(\d+(\.\d+)?[hms])+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)([hms])/g)) {
    total += Number(amount) * (UNITS[unit ?? ''] ?? 0);
  }
  return total;
}

/** The status an SRE reads: which key signs, which is published to sign next. */
export function signingKeysStatus(rotation: SigningKeyRotation): SigningKeysStatus {
  const active = rotation.keys.find((key) => key.state === 'active');
  const next = rotation.keys.find((key) => key.state === 'next');
  return {
    ...(active ? { activeKeyId: active.kid, activeSince: active.activatesAt } : {}),
    ...(next ? { nextKeyId: next.kid, nextKeySignsFrom: next.activatesAt } : {}),
    publishedKeys: rotation.keys.length,
  };
}

export interface KeyRotator {
  /** Where the keys live, for messages. */
  readonly target: string;
  /** Asks session to schedule the successor when the active key is due (idempotent). */
  rotate(rotationSeconds: number): Promise<SigningKeyRotation>;
}

/** Session's internal rotateSigningKeys operation, through the contract's client. */
export class SessionKeyRotator implements KeyRotator {
  private readonly client: ServiceClient;

  constructor(
    readonly target: string,
    logger: Logger,
    timeoutMs: number,
  ) {
    this.client = new ServiceClient({ service: 'session', baseUrl: target, timeoutMs, logger });
  }

  async rotate(rotationSeconds: number): Promise<SigningKeyRotation> {
    const result = await this.client.call(internalOperations.rotateSigningKeys, {
      body: { rotationSeconds },
    });
    return result.body;
  }
}
