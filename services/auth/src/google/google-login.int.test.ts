import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { uniqueName } from '@messenger/testkit/stack';
import {
  assertAuthResult,
  assertProblem,
  auth,
  call,
  login,
  register,
  sessionAccepts,
  uniqueEmail,
  urls,
  type AuthResult,
  type Reply,
} from '@messenger/testkit/auth/auth-api';
import {
  GoogleProviderDouble,
  type GoogleUserinfo,
} from '@messenger/testkit/auth/google-provider-double';
import { startAuthInstance, type AuthInstance } from '@messenger/testkit/auth/auth-instance';
import { verificationToken } from '@messenger/testkit/auth/mailbox';

const CLIENT = 'http://client.test/auth/callback';
const google = new GoogleProviderDouble();
let instance: AuthInstance;

before(async () => {
  await google.start();
  instance = await startAuthInstance((url) => ({
    GOOGLE_CLIENT_ID: 'test-client-id',
    GOOGLE_CLIENT_SECRET: 'test-client-secret',
    GOOGLE_AUTH_URL: `${google.url}/authorize`,
    GOOGLE_TOKEN_URL: `${google.url}/token`,
    GOOGLE_USERINFO_URL: `${google.url}/userinfo`,
    GOOGLE_CALLBACK_URL: `${url}/api/v1/auth/google/callback`,
    CLIENT_REDIRECT_URL: CLIENT,
  }));
});

after(async () => {
  await instance.stop();
  await google.stop();
});

const JSON_ACCEPT = { accept: 'application/json' };

function location(reply: Reply): URL {
  assert.equal(reply.status, 302, JSON.stringify(reply.body));
  const target = reply.headers.get('location');
  assert.ok(target);
  return new URL(target);
}

/** GET /auth/google: the redirect to the provider. */
async function start(): Promise<URL> {
  return location(await call('GET', `${instance.url}/api/v1/auth/google`));
}

/** The provider's consent step: its redirect back to our callback with code and state. */
async function consent(authorizeUrl: URL): Promise<URL> {
  return location(await call('GET', authorizeUrl.toString()));
}

function callback(url: URL, headers: Record<string, string> = JSON_ACCEPT) {
  return call<AuthResult>('GET', url.toString(), { headers });
}

async function googleLogin(userinfo: GoogleUserinfo): Promise<AuthResult> {
  google.userinfo = userinfo;
  const reply = await callback(await consent(await start()));
  assert.equal(reply.status, 200, JSON.stringify(reply.body));
  assertAuthResult(reply.body);
  return reply.body;
}

function identity(name = `Test ${uniqueName('g')}`): GoogleUserinfo {
  return {
    sub: randomBytes(10).toString('hex'),
    email: uniqueEmail('google'),
    email_verified: true,
    name,
  };
}

async function sessionCount(token: string): Promise<number> {
  const reply = await call<{ items: unknown[] }>('GET', `${urls.session}/api/v1/sessions`, {
    token,
  });
  assert.equal(reply.status, 200);
  return reply.body.items.length;
}

test('without client credentials the Google routes answer 503', async () => {
  assertProblem(await call('GET', auth('google')), 503, 'google_not_configured');
  assertProblem(
    await call('GET', auth('google/callback?code=x&state=y')),
    503,
    'google_not_configured',
  );
});

test('the start redirects to the provider with state and PKCE S256', async () => {
  const authorize = await start();
  assert.equal(`${authorize.origin}${authorize.pathname}`, `${google.url}/authorize`);
  const params = authorize.searchParams;
  assert.equal(params.get('response_type'), 'code');
  assert.equal(params.get('client_id'), 'test-client-id');
  assert.equal(params.get('redirect_uri'), `${instance.url}/api/v1/auth/google/callback`);
  assert.deepEqual(params.get('scope')?.split(' ').sort(), ['email', 'openid', 'profile']);
  assert.match(params.get('state') ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.equal(params.get('code_challenge_method'), 'S256');
  assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
});

test('a new Google user gets an account, a profile with a nickname from the name, a session', async () => {
  const person = identity();
  const result = await googleLogin(person);
  assert.equal(result.user.email, person.email);
  assert.equal(result.user.emailVerified, true);
  const expected = (person.name ?? '').toLowerCase().replace(/ /g, '_');
  assert.equal(result.user.nickname, expected);
  const profile = await call<{ nickname: string }>('GET', `${urls.profile}/api/v1/profiles/me`, {
    token: result.accessToken,
  });
  assert.equal(profile.body.nickname, expected);
  assert.equal(await sessionCount(result.accessToken), 1);

  const namesake = await googleLogin(identity(person.name));
  assert.match(namesake.user.nickname, new RegExp(`^${expected}_\\d{4}$`));

  google.userinfo = person;
  const browser = await callback(await consent(await start()), { accept: 'text/html' });
  const landing = location(browser);
  assert.equal(`${landing.origin}${landing.pathname}`, CLIENT);
  assert.equal(landing.search, '', 'tokens must not travel in the query string');
  const fragment = new URLSearchParams(landing.hash.slice(1));
  assert.equal(fragment.get('tokenType'), 'Bearer');
  assert.equal(fragment.get('expiresIn'), '900');
  const accessToken = fragment.get('accessToken') ?? '';
  assert.ok(fragment.get('refreshToken'));
  assert.equal(await sessionCount(accessToken), 2, 'the same user logged in again');
});

test('missing, forged and replayed state and a bad code verifier create no session', async () => {
  const person = identity();
  google.userinfo = person;
  const returned = await consent(await start());

  const withoutState = new URL(returned);
  withoutState.searchParams.delete('state');
  assertProblem(await callback(withoutState), 400, 'invalid_state');
  const forged = new URL(returned);
  forged.searchParams.set('state', randomBytes(32).toString('base64url'));
  assertProblem(await callback(forged), 400, 'invalid_state');
  const browser = location(await callback(withoutState, { accept: 'text/html' }));
  assert.equal(new URLSearchParams(browser.hash.slice(1)).get('error'), 'invalid_state');

  // PKCE: a code issued for flow A, presented with the state (so the verifier) of flow B.
  const flowA = await consent(await start());
  const flowB = await consent(await start());
  const crossed = new URL(flowA);
  crossed.searchParams.set('state', flowB.searchParams.get('state') ?? '');
  assertProblem(await callback(crossed), 401, 'oauth_failed');

  const success = await callback(returned);
  assert.equal(success.status, 200);
  assertProblem(await callback(returned), 400, 'invalid_state');
  assert.equal(
    await sessionCount(success.body.accessToken),
    1,
    'only the genuine callback logged in',
  );
});

test('the provider refusing, or a callback without a code, is an error, not a login', async () => {
  const start = await call(
    'GET',
    `${instance.url}/api/v1/auth/google/callback?error=access_denied`,
    {
      headers: JSON_ACCEPT,
    },
  );
  assertProblem(start, 401, 'oauth_denied');
  const noCode = await call('GET', `${instance.url}/api/v1/auth/google/callback?state=abc`, {
    headers: JSON_ACCEPT,
  });
  assertProblem(noCode, 400, 'validation_failed');
});

test('an account whose email was verified is linked, keeping its password', async () => {
  const local = await register();
  const token = await verificationToken(local.email);
  assert.equal((await call('POST', auth('verify-email'), { body: { token } })).status, 204);
  const result = await googleLogin({ ...identity(), email: local.email.toUpperCase() });
  assert.equal(result.user.id, local.result.user.id);
  assert.equal((await login(local.email, local.password)).status, 200);
});

test('an unverified account is taken over by the verified Google owner of the address', async () => {
  const squatter = await register();
  const result = await googleLogin({ ...identity(), email: squatter.email });
  assert.equal(result.user.id, squatter.result.user.id);
  assert.equal(result.user.emailVerified, true);
  assert.equal(await sessionAccepts(squatter.result.accessToken), false);
  assertProblem(await login(squatter.email, squatter.password), 401, 'invalid_credentials');
  assert.equal(await sessionCount(result.accessToken), 1);
});

test('an unverified Google email never links to an existing account', async () => {
  const local = await register();
  google.userinfo = { ...identity(), email: local.email, email_verified: false };
  const reply = await callback(await consent(await start()));
  assertProblem(reply, 409, 'email_taken');
  assert.equal(await sessionCount(local.result.accessToken), 1);
});
