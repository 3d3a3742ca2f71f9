// Protocol-level readiness probes for the local stack, with Node's standard library only.
//   node probe.mjs kafka 127.0.0.1:59092[,host:port...]  -> a Metadata answer naming >= 1 live broker
//   node probe.mjs mongo mongodb://127.0.0.1:57017/db     -> {ping: 1} answered with ok: 1
// Exit code 0 when the server answered as expected, 1 otherwise (reason on stderr).
import { Buffer } from 'node:buffer';
import net from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';

const TIMEOUT_MS = Number(process.env.PROBE_TIMEOUT_MS ?? 3000);

function hostPort(target) {
  let s = target.replace(/^[a-z+]+:\/\//i, '');
  s = s
    .slice(s.lastIndexOf('@') + 1)
    .split(/[/?]/)[0]
    .split(',')[0];
  const i = s.lastIndexOf(':');
  return i < 0 ? { host: s, port: 27017 } : { host: s.slice(0, i), port: Number(s.slice(i + 1)) };
}

// Sends one length-prefixed frame and resolves with the first complete answer frame.
function exchange({ host, port }, request, frameLength) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(
      () => socket.destroy(new Error(`no answer within ${TIMEOUT_MS}ms`)),
      TIMEOUT_MS,
    );
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      const len = buf.length >= 4 ? frameLength(buf) : Infinity;
      if (buf.length >= len) {
        clearTimeout(timer);
        socket.end();
        resolve(buf.subarray(0, len));
      }
    });
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      reject(new Error('connection closed before an answer'));
    });
  });
}

// Kafka Metadata v4 (supported by 1.0 .. 4.x) for no topics: the answer lists the live brokers.
async function kafka(target) {
  const clientId = Buffer.from('stack-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(4, o); // api version
  o = body.writeInt32BE(1, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(0, o); // topics: none
  body.writeInt8(0, o); // allow_auto_topic_creation: false
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  const frame = await exchange(
    hostPort(target),
    Buffer.concat([size, body]),
    (b) => 4 + b.readInt32BE(0),
  );
  // size, correlation id, throttle_time_ms, brokers[]
  if (frame.readInt32BE(4) !== 1) throw new Error('unexpected correlation id');
  const brokers = frame.readInt32BE(12);
  if (brokers < 1) throw new Error('the cluster has no live (unfenced) broker yet');
  return `${brokers} broker(s)`;
}

function bsonDoc(elements) {
  const size = 4 + elements.reduce((n, e) => n + e.length, 0) + 1;
  const head = Buffer.alloc(4);
  head.writeInt32LE(size);
  return Buffer.concat([head, ...elements, Buffer.from([0])]);
}
const cstr = (s) => Buffer.from(`${s}\0`);
function int32El(name, v) {
  const b = Buffer.alloc(4);
  b.writeInt32LE(v);
  return Buffer.concat([Buffer.from([0x10]), cstr(name), b]);
}
function strEl(name, v) {
  const s = cstr(v);
  const b = Buffer.alloc(4);
  b.writeInt32LE(s.length);
  return Buffer.concat([Buffer.from([0x02]), cstr(name), b, s]);
}

// Reads the top-level "ok" field of a BSON document.
function bsonOk(doc) {
  const fixed = {
    0x01: 8,
    0x07: 12,
    0x08: 1,
    0x09: 8,
    0x0a: 0,
    0x10: 4,
    0x11: 8,
    0x12: 8,
    0x13: 16,
  };
  let o = 4;
  while (o < doc.length - 1) {
    const type = doc[o++];
    const end = doc.indexOf(0, o);
    const name = doc.toString('utf8', o, end);
    o = end + 1;
    if (name === 'ok') {
      if (type === 0x01) return doc.readDoubleLE(o);
      if (type === 0x10) return doc.readInt32LE(o);
      if (type === 0x08) return doc[o];
      return Number.NaN;
    }
    if (type in fixed) o += fixed[type];
    else if (type === 0x02 || type === 0x0d || type === 0x0e) o += 4 + doc.readInt32LE(o);
    else if (type === 0x03 || type === 0x04) o += doc.readInt32LE(o);
    else if (type === 0x05) o += 5 + doc.readInt32LE(o);
    else throw new Error(`unsupported BSON type ${type} in the answer`);
  }
  return Number.NaN;
}

// MongoDB OP_MSG {ping: 1, $db: "admin"}.
async function mongo(target) {
  const doc = bsonDoc([int32El('ping', 1), strEl('$db', 'admin')]);
  const header = Buffer.alloc(16 + 4 + 1);
  header.writeInt32LE(header.length + doc.length, 0);
  header.writeInt32LE(1, 4); // request id
  header.writeInt32LE(0, 8); // response to
  header.writeInt32LE(2013, 12); // OP_MSG
  header.writeUInt32LE(0, 16); // flag bits
  header.writeUInt8(0, 20); // section kind 0: body
  const frame = await exchange(hostPort(target), Buffer.concat([header, doc]), (b) =>
    b.readInt32LE(0),
  );
  if (frame.readInt32LE(12) !== 2013) throw new Error('the answer is not an OP_MSG');
  const ok = bsonOk(frame.subarray(21));
  if (ok !== 1) throw new Error(`ping answered ok: ${ok}`);
  return 'ping ok';
}

const [kind, target] = process.argv.slice(2);
const probes = { kafka, mongo };
if (!probes[kind] || !target) {
  console.error('usage: probe.mjs kafka|mongo <target>');
  process.exit(2);
}
probes[kind](target).then(
  (msg) => console.log(`${kind} ${target}: ${msg}`),
  (err) => {
    console.error(`${kind} ${target}: ${err.message}`);
    process.exit(1);
  },
);
