import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { apiDocs, securityHeaders } from './docs.js';

let server: Server;
let base: string;

before(async () => {
  const app = express();
  app.use(securityHeaders());
  apiDocs(app);
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

test('the docs page loads its Swagger UI over plain HTTP: no upgrade-insecure-requests', async () => {
  const page = await fetch(`${base}/docs/`);
  assert.equal(page.status, 200);
  const csp = page.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /upgrade-insecure-requests/);
  const html = await page.text();
  const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map(([, src]) => String(src));
  assert.ok(scripts.length > 0, 'the page loads no script');
  for (const src of scripts) {
    const asset = await fetch(new URL(src, `${base}/docs/`));
    assert.equal(asset.status, 200, src);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    await asset.arrayBuffer();
  }
});

test('everything else keeps helmet’s full policy', async () => {
  const response = await fetch(`${base}/api/v1/openapi.json`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-security-policy') ?? '', /upgrade-insecure-requests/);
  assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
  await response.arrayBuffer();
});
