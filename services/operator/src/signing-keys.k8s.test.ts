// Signing-key rotation on spec.auth.keyRotationPeriod: the operator as a process against the real
// kube-apiserver, asking a real session service (its own process and database, keys published
// 3 s before they sign) to rotate; tokens are issued and checked throughout, as a client would.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { issuedTokensSchema, type IssuedTokens } from '@messenger/contracts';
import {
  condition,
  controlPlane,
  createNamespace,
  deleteNamespace,
  eventually,
  getPlatform,
  installCrd,
  KAFKA_BROKERS,
  uniqueName,
} from '@messenger/testkit/operator/control-plane';
import { startOperator, type OperatorProcess } from '@messenger/testkit/operator/operator-process';
import { startSession, type SessionProcess } from '@messenger/testkit/session/session-process';
import { applyPatch, connectKube } from './kube.js';
import { API_VERSION, GROUP, KIND, PLURAL, VERSION, type MessengerPlatform } from './spec.js';

const PUBLISH_LEAD_MS = 3_000;
const kube = connectKube(controlPlane());
const namespace = uniqueName('op-keys');
const name = 'messenger';
let session: SessionProcess;
let operator: OperatorProcess | undefined;

async function openSession(): Promise<IssuedTokens> {
  const response = await fetch(`${session.url}/internal/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: randomUUID() }),
  });
  assert.equal(response.status, 201);
  return issuedTokensSchema.parse(await response.json());
}

/** The key ids the JWKS lists now. */
async function publishedKids(): Promise<string[]> {
  const response = await fetch(`${session.url}/.well-known/jwks.json`);
  const { keys } = (await response.json()) as { keys: { kid: string }[] };
  return keys.map((key) => key.kid);
}

function kidOf(token: string): string {
  const header = token.split('.')[0] ?? '';
  return (JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string }).kid;
}

before(async () => {
  await installCrd(kube.config);
  await createNamespace(kube, namespace);
  session = await startSession({
    SIGNING_KEY_PUBLISH_LEAD_SECONDS: String(PUBLISH_LEAD_MS / 1000),
  });
});

after(async () => {
  await operator?.stop();
  await session.stop();
  await deleteNamespace(kube, namespace);
});

test('keys rotate on keyRotationPeriod, each published before it signs; earlier tokens still verify', async () => {
  const first = await openSession();
  await kube.custom.patchNamespacedCustomObject(
    {
      group: GROUP,
      version: VERSION,
      namespace,
      plural: PLURAL,
      name,
      fieldManager: 'tests',
      force: true,
      body: {
        apiVersion: API_VERSION,
        kind: KIND,
        metadata: { name, namespace },
        spec: {
          version: '0.1.0',
          auth: { keyRotationPeriod: '10s' },
          external: { kafka: { brokers: [KAFKA_BROKERS] } },
        },
      },
    },
    applyPatch,
  );
  operator = await startOperator({
    WATCH_NAMESPACE: namespace,
    LEADER_ELECTION: 'false',
    KAFKA_BROKERS,
    SESSION_URL: session.url,
  });

  // A client's view, sampled: the JWKS, then a new token. Every token must be signed by a key the
  // JWKS fetched before it already listed, and a new key must be listed well before it signs.
  const publishedAt = new Map<string, number>();
  const signsAt = new Map<string, number>();
  const deadline = Date.now() + 60_000;
  while (signsAt.size < 3 && Date.now() < deadline) {
    const listed = await publishedKids();
    const seen = Date.now();
    for (const kid of listed) if (!publishedAt.has(kid)) publishedAt.set(kid, seen);
    const kid = kidOf((await openSession()).accessToken);
    assert.ok(listed.includes(kid), `a token signed by ${kid} before the JWKS listed it`);
    if (!signsAt.has(kid)) signsAt.set(kid, Date.now());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(signsAt.size, 3, `keys that signed within 60 s: ${[...signsAt.keys()].join(', ')}`);
  const [firstKid, ...successors] = [...signsAt.keys()];
  assert.equal(firstKid, kidOf(first.accessToken));
  for (const kid of successors) {
    const lead = (signsAt.get(kid) ?? 0) - (publishedAt.get(kid) ?? Infinity);
    assert.ok(
      lead >= PUBLISH_LEAD_MS / 2,
      `key ${kid} was published only ${lead} ms before it signed`,
    );
  }

  // Not logged out: the first token, signed two keys ago, is still accepted (session verifies it
  // as every service does, against the JWKS), and its key is still published.
  const sessions = await fetch(`${session.url}/api/v1/sessions`, {
    headers: { authorization: `Bearer ${first.accessToken}` },
  });
  assert.equal(sessions.status, 200);
  assert.ok((await publishedKids()).includes(kidOf(first.accessToken)));

  const platform = await eventually('the status to name the signing key', async () => {
    const current = await getPlatform<MessengerPlatform>(kube, namespace, name);
    return current.status?.signingKeys?.activeKeyId === successors.at(-1) ? current : undefined;
  });
  assert.ok((platform.status?.signingKeys?.publishedKeys ?? 0) >= 3);
  const events = await kube.core.listNamespacedEvent({
    namespace,
    fieldSelector: `involvedObject.name=${name},involvedObject.kind=${KIND}`,
  });
  const scheduled = events.items.filter((event) => event.reason === 'SigningKeyScheduled');
  assert.ok(scheduled.length >= 2, `SigningKeyScheduled events: ${scheduled.length}`);
});

test('session unreachable: Degraded names the signing keys and where they are', async () => {
  await session.stop();
  const platform = await eventually(
    'Degraded naming the signing keys',
    async () => {
      const current = await getPlatform<MessengerPlatform>(kube, namespace, name);
      const degraded = condition(current, 'Degraded');
      return degraded?.status === 'True' &&
        degraded.message.includes(`signing keys at ${session.url}`)
        ? current
        : undefined;
    },
    30_000,
  );
  assert.equal(platform.status?.phase, 'Degraded');
});
