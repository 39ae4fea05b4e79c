// Tests of gitea-oauth-app.js against the real local Gitea (GITEA_URL, GITEA_TOKEN: the portal-admin
// token; scripts/test provides both). Each test uses an application name of its own, deleted after.
//   node --test scripts/lib/gitea-oauth-app.test.js
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, test } = require('node:test');
const { giteaApi } = require('./gitea-provision');
const { ensureOAuthApp, readClientFile } = require('./gitea-oauth-app');

const { GITEA_URL, GITEA_TOKEN } = process.env;
const api = giteaApi(GITEA_URL ?? 'http://127.0.0.1:3300', GITEA_TOKEN ?? '');
const name = `portal-test-${crypto.randomBytes(4).toString('hex')}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitea-oauth-'));
const clientFile = path.join(dir, 'oidc-client.json');
const uris = ['http://localhost:7007/api/auth/oidc/handler/frame'];

const apps = async () =>
  (await api.list('/user/applications/oauth2')).filter(a => a.name === name);

after(async () => {
  for (const a of await apps())
    await api.call('DELETE', `/user/applications/oauth2/${a.id}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('creates the application once, then changes nothing', async () => {
  assert.equal(
    await ensureOAuthApp({ api, clientFile, redirectUris: uris, name }),
    'created',
  );
  const saved = readClientFile(clientFile);
  assert.equal(fs.statSync(clientFile).mode & 0o777, 0o600);
  const [app] = await apps();
  assert.equal(app.client_id, saved.clientId);
  assert.equal(app.confidential_client, true);
  assert.deepEqual(app.redirect_uris, uris);
  assert.equal(
    await ensureOAuthApp({ api, clientFile, redirectUris: uris, name }),
    'unchanged',
  );
  assert.deepEqual(readClientFile(clientFile), saved);
});

test('a lost client file, or new redirect URIs, get a new secret for the same application', async () => {
  const before = readClientFile(clientFile);
  fs.rmSync(clientFile);
  assert.equal(
    await ensureOAuthApp({ api, clientFile, redirectUris: uris, name }),
    'updated',
  );
  const regenerated = readClientFile(clientFile);
  assert.equal(regenerated.clientId, before.clientId);
  assert.notEqual(regenerated.clientSecret, before.clientSecret);
  const more = [...uris, 'http://127.0.0.1:7007/api/auth/oidc/handler/frame'];
  assert.equal(
    await ensureOAuthApp({ api, clientFile, redirectUris: more, name }),
    'updated',
  );
  const all = await apps();
  assert.equal(all.length, 1);
  assert.deepEqual([...all[0].redirect_uris].sort(), [...more].sort());
});

test('refuses a redirect URI that is not a URL, before asking Gitea', async () => {
  await assert.rejects(
    ensureOAuthApp({ api, clientFile, redirectUris: ['not a url'], name }),
    /Invalid URL/,
  );
});
