// Registers the portal as an OAuth2 application (an OIDC client) on the local Gitea, so that the
// people of catalog/org.yaml sign in to the portal with their Gitea accounts. Owned by portal-admin;
// confidential; the consent page is skipped (the portal is the company's own application).
// The client id and secret go to CLIENT_FILE (JSON, mode 600), which scripts/lib/gitea.sh reads into
// AUTH_OIDC_CLIENT_ID and AUTH_OIDC_CLIENT_SECRET for app-config.yaml's auth.providers.oidc.
// Idempotent: with the file present, its client id registered and the redirect URIs unchanged, it
// changes nothing and says so. Gitea shows a client secret only when it makes one, so a lost file, or
// a change of redirect URIs, gets a new secret. Run by provision_gitea:
//
//   GITEA_URL=http://127.0.0.1:3300 GITEA_TOKEN_FILE=.data/gitea/portal-token \
//     node scripts/lib/gitea-oauth-app.js .data/gitea/oidc-client.json \
//     http://localhost:7007/api/auth/oidc/handler/frame [more redirect URIs...]
//
// No secret is ever printed.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { giteaApi } = require('./gitea-provision');

const APP_NAME = 'Acme Developer Portal';

function readClientFile(file) {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    return typeof parsed.clientId === 'string' &&
      typeof parsed.clientSecret === 'string'
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

function writeClientFile(file, app, redirectUris) {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(
    tmp,
    `${JSON.stringify(
      {
        clientId: app.client_id,
        clientSecret: app.client_secret,
        redirectUris,
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  fs.renameSync(tmp, file);
}

const sameList = (a, b) =>
  a.length === b.length &&
  [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Makes sure the application `name` exists with exactly `redirectUris`, and that `clientFile` holds
 * its client id and a secret Gitea accepts. Returns 'created', 'updated' or 'unchanged'.
 */
async function ensureOAuthApp({
  api,
  clientFile,
  redirectUris,
  name = APP_NAME,
  log = () => {},
}) {
  if (!redirectUris.length) throw new Error('no redirect URI given');
  for (const uri of redirectUris) new URL(uri); // throws, naming the URI, when it is not one
  const body = {
    name,
    redirect_uris: redirectUris,
    confidential_client: true,
    skip_secondary_authorization: true,
  };
  const apps = await api.list('/user/applications/oauth2');
  const existing = apps.filter(a => a.name === name);
  const saved = readClientFile(clientFile);
  const current = existing.find(a => a.client_id === saved?.clientId);
  if (current && sameList(current.redirect_uris ?? [], redirectUris)) {
    log(`OAuth2 application "${name}" already registered (skipped)`);
    return 'unchanged';
  }
  // One application of this name: the one kept, or none. Gitea makes a new secret on every edit.
  const keep = current ?? existing[0];
  for (const stale of existing.filter(a => a !== keep)) {
    await api.call('DELETE', `/user/applications/oauth2/${stale.id}`);
  }
  const app = keep
    ? await api.call('PATCH', `/user/applications/oauth2/${keep.id}`, body)
    : await api.call('POST', '/user/applications/oauth2', body);
  if (!app?.client_secret) {
    throw new Error(`Gitea returned no client secret for "${name}"`);
  }
  writeClientFile(clientFile, app, redirectUris);
  const what = keep ? 'updated' : 'created';
  log(
    `${what} OAuth2 application "${name}" (redirect ${redirectUris.join(
      ', ',
    )}); client id and secret in ${path.basename(clientFile)} (mode 600)`,
  );
  return what;
}

async function main() {
  const [clientFile, ...redirectUris] = process.argv.slice(2);
  const { GITEA_URL, GITEA_TOKEN_FILE } = process.env;
  if (!clientFile || !redirectUris.length || !GITEA_URL || !GITEA_TOKEN_FILE) {
    throw new Error(
      'usage: GITEA_URL=... GITEA_TOKEN_FILE=... node gitea-oauth-app.js <client-file.json> <redirect-uri>...',
    );
  }
  const token = fs.readFileSync(GITEA_TOKEN_FILE, 'utf8').trim();
  await ensureOAuthApp({
    api: giteaApi(GITEA_URL, token),
    clientFile,
    redirectUris,
    log: msg => console.log(`gitea: ${msg}`),
  });
}

module.exports = { ensureOAuthApp, readClientFile, APP_NAME };

if (require.main === module) {
  main().catch(e => {
    console.error(`gitea: error: ${e.message}`);
    process.exit(1);
  });
}
