/** Reads the mail the local SMTP sink (tools/smtp-sink) received. */
import assert from 'node:assert/strict';
import { eventually } from '../eventually.js';
import { call, urls } from './auth-api.js';

interface SinkMessage {
  to: string[];
  subject: string;
  text: string;
}

export async function mailsTo(address: string): Promise<SinkMessage[]> {
  const reply = await call<{ items: SinkMessage[] }>(
    'GET',
    `${urls.smtpSink}/messages?to=${encodeURIComponent(address)}`,
  );
  assert.equal(reply.status, 200, 'the SMTP sink is not answering');
  return reply.body.items;
}

/** The verification token of the `count`-th mail to the address, once it has arrived. */
export async function verificationToken(address: string, count = 1): Promise<string> {
  const mails = await eventually(
    async () => {
      const received = await mailsTo(address);
      return received.length >= count ? received : undefined;
    },
    10_000,
    `verification mail #${count} to ${address}`,
  );
  const mail = mails[count - 1];
  assert.ok(mail);
  assert.equal(mail.subject, 'Confirm your email address');
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  assert.ok(token, `no link in: ${mail.text}`);
  return token;
}
