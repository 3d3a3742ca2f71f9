// A local SMTP sink for development and tests: accepts every mail on SMTP_SINK_PORT and serves
// what it received as JSON on SMTP_SINK_HTTP_PORT (GET /messages?to=<address>). Nothing is
// relayed anywhere. Start: node --import tsx tools/smtp-sink/main.ts
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SMTPServer } from 'smtp-server';
import { parseMessage } from './parse-message.js';

interface StoredMessage {
  id: string;
  from: string | null;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

const host = process.env['SMTP_SINK_HOST'] ?? '127.0.0.1';
const smtpPort = Number(process.env['SMTP_SINK_PORT'] ?? 51025);
const httpPort = Number(process.env['SMTP_SINK_HTTP_PORT'] ?? 51080);
const KEEP = 1_000;
const MAX_MESSAGE_BYTES = 1024 * 1024;
const messages: StoredMessage[] = [];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  size: MAX_MESSAGE_BYTES,
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      const { subject, text } = parseMessage(Buffer.concat(chunks).toString('utf8'));
      const from = session.envelope.mailFrom;
      messages.push({
        id: randomUUID(),
        from: from ? from.address : null,
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
        subject,
        text,
        receivedAt: new Date().toISOString(),
      });
      messages.splice(0, Math.max(0, messages.length - KEEP));
      callback();
    });
  },
});

const http = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://sink');
  res.setHeader('content-type', 'application/json');
  if (req.method === 'GET' && url.pathname === '/healthz') {
    res.end(JSON.stringify({ status: 'ok' }));
  } else if (req.method === 'GET' && url.pathname === '/messages') {
    const to = url.searchParams.get('to')?.toLowerCase();
    const items = to ? messages.filter((m) => m.to.some((a) => a.toLowerCase() === to)) : messages;
    res.end(JSON.stringify({ items }));
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: 'not found' }));
  }
});

smtp.listen(smtpPort, host, () => {
  http.listen(httpPort, host, () => {
    process.stdout.write(`smtp-sink: SMTP on ${host}:${smtpPort}, HTTP on ${host}:${httpPort}\n`);
  });
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    http.close();
    smtp.close(() => process.exit(0));
  });
}
