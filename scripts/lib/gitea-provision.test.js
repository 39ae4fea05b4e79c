// Tests of gitea-provision.js against an in-memory fake of Gitea's API, in plain Node:
//   node --test scripts/lib/gitea-provision.test.js
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { test } = require('node:test');

const {
  DEV_PASSWORD,
  giteaApi,
  parseCatalog,
  provision,
  readCatalogFile,
} = require('./gitea-provision');

const ORG_YAML = path.join(__dirname, '../../catalog/org.yaml');
const TOKEN = 'test-token';

/** A fake of the parts of Gitea's API that provisioning uses; `writes` records every change. */
function fakeGitea() {
  const users = new Map([
    [
      'portal-admin',
      {
        login: 'portal-admin',
        email: 'portal-admin@acme.example',
        full_name: '',
        is_admin: true,
      },
    ],
  ]);
  const passwords = new Map();
  const orgs = new Map();
  const teams = [];
  const writes = [];
  let nextId = 1;

  const json = (status, body) =>
    new Response(body === undefined ? null : JSON.stringify(body), { status });
  const page = (items, url) => {
    const p = Number(url.searchParams.get('page') ?? 1);
    const limit = Number(url.searchParams.get('limit') ?? 30);
    return json(200, items.slice((p - 1) * limit, p * limit));
  };

  async function fetchImpl(href, init = {}) {
    const url = new URL(href);
    const method = init.method ?? 'GET';
    if (init.headers?.Authorization !== `token ${TOKEN}`)
      return json(401, { message: 'unauthorized' });
    const body = init.body ? JSON.parse(init.body) : undefined;
    const p = url.pathname.replace(/^\/api\/v1/, '');
    if (method !== 'GET') writes.push(`${method} ${p}`);
    let m;
    if (method === 'GET' && p === '/user')
      return json(200, users.get('portal-admin'));
    if ((m = p.match(/^\/users\/([^/]+)$/)) && method === 'GET') {
      const u = users.get(decodeURIComponent(m[1]));
      return u ? json(200, u) : json(404, { message: 'not found' });
    }
    if (p === '/admin/users' && method === 'POST') {
      if (users.has(body.username))
        return json(422, { message: 'user already exists' });
      users.set(body.username, {
        login: body.username,
        email: body.email,
        full_name: body.full_name,
        is_admin: false,
      });
      passwords.set(body.username, {
        password: body.password,
        mustChange: body.must_change_password,
      });
      return json(201, users.get(body.username));
    }
    if ((m = p.match(/^\/admin\/users\/([^/]+)$/)) && method === 'PATCH') {
      const u = users.get(m[1]);
      if (body.email) u.email = body.email;
      if (body.full_name !== undefined) u.full_name = body.full_name;
      if (body.password)
        passwords.set(m[1], {
          password: body.password,
          mustChange: body.must_change_password,
        });
      return json(200, u);
    }
    if ((m = p.match(/^\/orgs\/([^/]+)$/)) && method === 'GET') {
      return orgs.has(m[1])
        ? json(200, orgs.get(m[1]))
        : json(404, { message: 'not found' });
    }
    if (p === '/orgs' && method === 'POST') {
      orgs.set(body.username, {
        username: body.username,
        visibility: body.visibility,
      });
      return json(201, orgs.get(body.username));
    }
    if ((m = p.match(/^\/orgs\/([^/]+)\/teams$/))) {
      if (!orgs.has(m[1])) return json(404, { message: 'not found' });
      if (method === 'GET')
        return page(
          teams.map(({ members, ...t }) => t),
          url,
        );
      if (teams.some(t => t.name.toLowerCase() === body.name.toLowerCase()))
        return json(422, { message: 'team exists' });
      const team = {
        id: nextId++,
        name: body.name,
        description: body.description,
        permission: body.permission,
        units_map: body.units_map,
        members: new Set(),
      };
      teams.push(team);
      const { members, ...t } = team;
      return json(201, t);
    }
    if ((m = p.match(/^\/teams\/(\d+)$/)) && method === 'PATCH') {
      const team = teams.find(t => t.id === Number(m[1]));
      team.description = body.description;
      return json(200, {});
    }
    if ((m = p.match(/^\/teams\/(\d+)\/members$/)) && method === 'GET') {
      const team = teams.find(t => t.id === Number(m[1]));
      return page(
        [...team.members].map(login => users.get(login)),
        url,
      );
    }
    if ((m = p.match(/^\/teams\/(\d+)\/members\/([^/]+)$/))) {
      const team = teams.find(t => t.id === Number(m[1]));
      const login = decodeURIComponent(m[2]);
      if (!users.has(login)) return json(404, { message: 'no such user' });
      if (method === 'PUT') team.members.add(login);
      else if (method === 'DELETE') team.members.delete(login);
      return json(204);
    }
    return json(404, { message: `fake: no route ${method} ${p}` });
  }
  return { fetchImpl, users, passwords, orgs, teams, writes };
}

const api = gitea => giteaApi('http://127.0.0.1:3300/', TOKEN, gitea.fetchImpl);
const tmpFile = () =>
  path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitea-provision-')), 'pw');

test('reads users and teams from catalog/org.yaml', () => {
  const catalog = parseCatalog(readCatalogFile(ORG_YAML));
  const names = catalog.users.map(u => u.name);
  for (const n of [
    'ana',
    'ben',
    'chloe',
    'dev',
    'eli',
    'fatima',
    'vic',
    'guest',
  ]) {
    assert.ok(names.includes(n), `user ${n}`);
  }
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

test('provisions the organisation once; a second run changes nothing', async () => {
  const gitea = fakeGitea();
  const catalog = parseCatalog(readCatalogFile(ORG_YAML));
  const pwFile = tmpFile();

  const first = await provision({
    api: api(gitea),
    catalog,
    adminPasswordFile: pwFile,
  });
  assert.ok(first.length > 0);
  assert.ok(gitea.orgs.has('acme'));
  assert.deepEqual(gitea.teams.map(t => t.name).sort(), [
    'payments',
    'platform',
    'storefront',
  ]);
  assert.deepEqual(
    [...gitea.teams.find(t => t.name === 'platform').members].sort(),
    ['ana', 'ben'],
  );
  assert.equal(gitea.users.get('vic').email, 'vic@acme.example');
  assert.deepEqual(gitea.passwords.get('ana'), {
    password: DEV_PASSWORD,
    mustChange: false,
  });
  assert.equal(fs.statSync(pwFile).mode & 0o777, 0o600);
  const adminPassword = gitea.passwords.get('portal-admin').password;
  assert.equal(fs.readFileSync(pwFile, 'utf8').trim(), adminPassword);

  const writesBefore = gitea.writes.length;
  const second = await provision({
    api: api(gitea),
    catalog,
    adminPasswordFile: pwFile,
  });
  assert.deepEqual(second, []);
  assert.equal(
    gitea.writes.length,
    writesBefore,
    'no write requests on the second run',
  );
  assert.equal(gitea.passwords.get('portal-admin').password, adminPassword);
});

test('a user moved to another team in the catalog moves in Gitea', async () => {
  const gitea = fakeGitea();
  const entities = readCatalogFile(ORG_YAML);
  await provision({ api: api(gitea), catalog: parseCatalog(entities) });

  const ana = entities.find(
    e => e.kind === 'User' && e.metadata.name === 'ana',
  );
  ana.spec.memberOf = ['payments'];
  ana.spec.profile.email = 'ana.alvarez@acme.example';
  const changes = await provision({
    api: api(gitea),
    catalog: parseCatalog(entities),
  });
  assert.deepEqual(changes.sort(), [
    'added ana to team acme/payments',
    'removed ana from team acme/platform',
    'updated user ana <ana.alvarez@acme.example>',
  ]);
  assert.equal(gitea.users.get('ana').email, 'ana.alvarez@acme.example');
});

test("refuses a token that is not the admin's", async () => {
  const gitea = fakeGitea();
  gitea.users.get('portal-admin').is_admin = false;
  await assert.rejects(
    provision({ api: api(gitea), catalog: { users: [], teams: [] } }),
    /must be portal-admin's/,
  );
});
