// Tests of gitea-provision.js against the real local Gitea (GITEA_URL, GITEA_TOKEN: the portal-admin
// token), which scripts/test starts and provisions (ensure_forge) before running, in plain Node:
//   node --test scripts/lib/gitea-provision.test.js
// The shared `acme` organisation and people are left alone: provision() runs on a copy of
// catalog/org.yaml whose users carry a random suffix, into an organisation of its own; the `after`
// hook deletes both. Neither the token nor a password is ever printed.
'use strict';

const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { after, before, describe, test } = require('node:test');
const YAML = require('yaml');

const {
  DEV_PASSWORD,
  entityName,
  giteaApi,
  parseCatalog,
  provision,
  readCatalogFile,
} = require('./gitea-provision');

const ORG_YAML = path.join(__dirname, '../../catalog/org.yaml');
const SETUP_HINT =
  'run scripts/test, or `source scripts/lib/setup.sh && source scripts/lib/gitea.sh && ensure_forge` first';
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitea-provision-'));
after(() => fs.rmSync(tmpDir, { recursive: true, force: true }));

test('reads users and teams from catalog/org.yaml', () => {
  const catalog = parseCatalog(readCatalogFile(ORG_YAML));
  const names = catalog.users.map(u => u.name);
  for (const n of ['ana', 'ben', 'chloe', 'dev', 'eli', 'fatima', 'vic']) {
    assert.ok(names.includes(n), `user ${n}`);
  }
  assert.ok(names.includes('guest'), 'user guest');
  assert.equal(
    catalog.users.find(u => u.name === 'ana').email,
    'ana@acme.example',
  );
  // Only groups of type team: not the engineering department, not the external partners.
  assert.deepEqual(
    Object.fromEntries(catalog.teams.map(t => [t.name, t.members])),
    {
      platform: ['ana', 'ben'],
      payments: ['dev', 'fatima', 'guest'],
      storefront: ['chloe', 'eli'],
    },
  );
});

test('spec.members of a group and entity references count as membership', () => {
  const catalog = parseCatalog([
    {
      kind: 'Group',
      metadata: { name: 'core' },
      spec: { type: 'team', members: ['user:default/zoe'] },
    },
    {
      kind: 'User',
      metadata: { name: 'zoe' },
      spec: { profile: { email: 'zoe@acme.example' } },
    },
    {
      kind: 'User',
      metadata: { name: 'yan' },
      spec: {
        profile: { email: 'yan@acme.example' },
        memberOf: ['group:default/core'],
      },
    },
  ]);
  assert.deepEqual(catalog.teams, [
    { name: 'core', description: '', members: ['yan', 'zoe'] },
  ]);
});

test('a catalog file that does not parse, or a user without an email, is named', () => {
  const bad = path.join(tmpDir, 'broken.yaml');
  fs.writeFileSync(bad, 'kind: User\nmetadata: { name: [zoe\n');
  assert.throws(
    () => readCatalogFile(bad),
    e => e.message.startsWith(`${bad}: `),
  );
  assert.throws(
    () => parseCatalog([{ kind: 'User', metadata: { name: 'zoe' } }]),
    /user zoe has no spec\.profile\.email/,
  );
});

describe('provisioning the real Gitea', () => {
  const id = crypto.randomBytes(4).toString('hex');
  const org = `acme-test-${id}`;
  const renamed = name => `${entityName(name)}-${id}`;
  const catalogFile = path.join(tmpDir, 'org.yaml');
  // org.yaml with every user renamed (name and email), so that nothing collides with the shared ones.
  const entities = readCatalogFile(ORG_YAML).map(e => {
    if (e?.kind === 'User') {
      const [local, domain] = e.spec.profile.email.split('@');
      e.metadata.name = renamed(e.metadata.name);
      e.spec.profile.email = `${local}-${id}@${domain}`;
    } else if (e?.kind === 'Group' && e.spec?.members) {
      e.spec.members = e.spec.members.map(renamed);
    }
    return e;
  });
  const entity = name => entities.find(e => e?.metadata?.name === name);
  const userNames = entities
    .filter(e => e?.kind === 'User')
    .map(e => e.metadata.name);
  const loadCatalog = () => {
    fs.writeFileSync(
      catalogFile,
      entities.map(e => YAML.stringify(e)).join('---\n'),
    );
    return parseCatalog(readCatalogFile(catalogFile));
  };

  let url;
  let token;
  // Every write request provisioning sends (method and path), counted on the way to the real Gitea.
  const writes = [];
  const counted = (href, init = {}) => {
    const method = init.method ?? 'GET';
    if (method !== 'GET') writes.push(`${method} ${new URL(href).pathname}`);
    return fetch(href, init);
  };
  const api = () => giteaApi(url, token, counted);
  const admin = () => giteaApi(url, token);
  const run = (options = {}) =>
    provision({ api: api(), catalog: loadCatalog(), org, ...options });
  const teamMembers = async () => {
    const teams = await admin().list(`/orgs/${org}/teams`);
    const result = {};
    for (const t of teams.filter(x => x.name !== 'Owners')) {
      const members = await admin().list(`/teams/${t.id}/members`);
      result[t.name] = members.map(m => m.login).sort();
    }
    return result;
  };
  const basicAuth = (user, password) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

  before(async () => {
    url = process.env.GITEA_URL;
    token = process.env.GITEA_TOKEN;
    if (!url || !token) {
      throw new Error(`GITEA_URL and GITEA_TOKEN are not set: ${SETUP_HINT}`);
    }
    const version = await fetch(`${url}/api/v1/version`).catch(() => null);
    if (!version?.ok) {
      throw new Error(`Gitea does not answer on ${url}: ${SETUP_HINT}`);
    }
  });

  after(async () => {
    if (!url || !token) return;
    const failures = [];
    const remove = async apiPath => {
      try {
        await admin().call('DELETE', apiPath, undefined, { allow404: true });
      } catch (e) {
        failures.push(e.message);
      }
    };
    // The organisation first (its teams go with it), then its former members.
    await remove(`/orgs/${org}`);
    for (const name of userNames)
      await remove(`/admin/users/${name}?purge=true`);
    assert.deepEqual(
      failures,
      [],
      'clean-up of the test organisation and users',
    );
  });

  test("creates the catalog's users, the organisation and a team per catalog team", async () => {
    const changes = await run();
    assert.ok(
      changes.includes(`created organisation ${org}`),
      changes.join('\n'),
    );
    assert.ok(
      changes.includes(
        `created user ${renamed('ana')} <ana-${id}@acme.example>`,
      ),
    );

    for (const name of userNames) {
      const user = await admin().call('GET', `/users/${name}`);
      assert.equal(
        user.email,
        entity(name).spec.profile.email,
        `${name}'s email`,
      );
      assert.equal(user.full_name, entity(name).spec.profile.displayName);
      // Each can sign in with the development password, and need not change it first.
      const res = await fetch(`${url}/api/v1/user`, {
        headers: { Authorization: basicAuth(name, DEV_PASSWORD) },
      });
      assert.equal(
        res.status,
        200,
        `${name} signs in with the development password`,
      );
      assert.equal((await res.json()).login, name);
    }

    const found = await admin().call('GET', `/orgs/${org}`);
    assert.equal(found.visibility, 'public');
    const teams = await admin().list(`/orgs/${org}/teams`);
    assert.deepEqual(teams.map(t => t.name).sort(), [
      'Owners',
      'payments',
      'platform',
      'storefront',
    ]);
    const platform = teams.find(t => t.name === 'platform');
    assert.equal(platform.description, entity('platform').metadata.description);
    assert.equal(platform.units_map['repo.code'], 'write');
    assert.equal(platform.can_create_org_repo, true);
    assert.deepEqual(await teamMembers(), {
      platform: ['ana', 'ben'].map(renamed),
      payments: ['dev', 'fatima', 'guest'].map(renamed),
      storefront: ['chloe', 'eli'].map(renamed),
    });
  });

  test('a second run changes nothing and sends no write request', async () => {
    // An existing password file: portal-admin's password is set only when the file is missing.
    const passwordFile = path.join(tmpDir, 'portal-admin-password');
    fs.writeFileSync(passwordFile, 'unchanged\n', { mode: 0o600 });
    writes.length = 0;
    const changes = await run({ adminPasswordFile: passwordFile });
    assert.deepEqual(changes, []);
    assert.deepEqual(writes, [], 'no write requests on the second run');
    assert.equal(fs.readFileSync(passwordFile, 'utf8'), 'unchanged\n');
  });

  test('a member moved or removed in the catalog is moved or removed in Gitea', async () => {
    const [ana, chloe] = ['ana', 'chloe'].map(renamed);
    entity(ana).spec.memberOf = ['payments'];
    entity(ana).spec.profile.email = `ana.alvarez-${id}@acme.example`;
    entity(chloe).spec.memberOf = [];
    entity('platform').metadata.description = 'Builds the portal.';
    const changes = await run();
    assert.deepEqual(changes.sort(), [
      `added ${ana} to team ${org}/payments`,
      `removed ${ana} from team ${org}/platform`,
      `removed ${chloe} from team ${org}/storefront`,
      `updated the description of team ${org}/platform`,
      `updated user ${ana} <ana.alvarez-${id}@acme.example>`,
    ]);
    assert.deepEqual(await teamMembers(), {
      platform: [renamed('ben')],
      payments: [ana, ...['dev', 'fatima', 'guest'].map(renamed)].sort(),
      storefront: [renamed('eli')],
    });
    assert.equal(
      (await admin().call('GET', `/users/${ana}`)).email,
      `ana.alvarez-${id}@acme.example`,
    );
    const teams = await admin().list(`/orgs/${org}/teams`);
    assert.equal(
      teams.find(t => t.name === 'platform').description,
      'Builds the portal.',
    );

    writes.length = 0;
    assert.deepEqual(await run(), [], 'and then it is in step again');
    assert.deepEqual(writes, []);
  });

  test("refuses a token that is not the admin's", async () => {
    // A real token of a catalog user (not an admin), made with the user's own basic auth.
    const ben = renamed('ben');
    const res = await fetch(`${url}/api/v1/users/${ben}/tokens`, {
      method: 'POST',
      headers: {
        Authorization: basicAuth(ben, DEV_PASSWORD),
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name: `test-${id}`, scopes: ['read:user'] }),
    });
    assert.equal(res.status, 201, 'a token for a catalog user');
    const { sha1: userToken } = await res.json();
    writes.length = 0;
    await assert.rejects(
      provision({
        api: giteaApi(url, userToken, counted),
        catalog: loadCatalog(),
        org,
      }),
      new RegExp(`must be portal-admin's \\(an admin\\), not ${ben}'s`),
    );
    assert.deepEqual(writes, [], 'nothing written with the wrong token');
  });
});
