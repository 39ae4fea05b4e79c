// The routes, through a real server on a free port (port 0), called with fetch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createServer, MAX_NAME_LENGTH, SERVICE_NAME } from '../src/server.js';

describe('server', () => {
  let server;
  let base;

  before(async () => {
    server = createServer();
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${server.address().port}`;
  });

  after(() => server.stop({ timeoutMs: 1000 }));

  it('answers GET /health with 200 {"status":"ok"}', async () => {
    const res = await fetch(`${base}/health`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    assert.deepEqual(await res.json(), { status: 'ok' });
  });

  it('says hello, to the world or to a name', async () => {
    const world = await fetch(`${base}/hello`);
    assert.equal(world.status, 200);
    assert.deepEqual(await world.json(), {
      message: 'Hello, world!',
      service: SERVICE_NAME,
    });
    const ada = await fetch(`${base}/hello?name=Ada`);
    assert.deepEqual(await ada.json(), {
      message: 'Hello, Ada!',
      service: SERVICE_NAME,
    });
  });

  it('answers a name that is too long with 400, naming the field and the rule', async () => {
    const res = await fetch(
      `${base}/hello?name=${'a'.repeat(MAX_NAME_LENGTH + 1)}`,
    );
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), {
      error: `name: must be 1 to ${MAX_NAME_LENGTH} characters`,
    });
  });

  it('answers an unknown path with 404 JSON', async () => {
    const res = await fetch(`${base}/nothing-here`);
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { error: 'no route for /nothing-here' });
  });

  it('answers another method on a known path with 405 and Allow', async () => {
    const res = await fetch(`${base}/health`, { method: 'POST' });
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'GET, HEAD');
    assert.deepEqual(await res.json(), {
      error: 'POST is not allowed on /health; use GET',
    });
  });
});

describe('stop', () => {
  it('answers the request it has, then refuses new connections', async () => {
    const server = createServer();
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${server.address().port}`;
    const inFlight = fetch(`${base}/health`);
    await new Promise(resolve => server.once('request', resolve));
    await server.stop({ timeoutMs: 1000 });
    const res = await inFlight;
    assert.ok(res.status === 200 || res.status === 503);
    await assert.rejects(fetch(`${base}/health`));
  });
});
