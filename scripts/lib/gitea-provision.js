// Provisions the local Gitea from the catalog's organisation (catalog/org.yaml), through its REST API:
//   - every User entity as a Gitea user (username = metadata.name, email = spec.profile.email) with
//     the development password acme-dev-password, which they need not change;
//   - the `acme` organisation, with a team per Group of spec.type `team`, whose members are the
//     group's spec.members and the users whose spec.memberOf names it (kept in step: a member the
//     catalog no longer names is removed);
//   - a password for portal-admin, written once to GITEA_ADMIN_PASSWORD_FILE (mode 600).
// Idempotent: a second run changes nothing and says so. Run by provision_gitea (scripts/lib/gitea.sh):
//
//   GITEA_URL=http://127.0.0.1:3300 GITEA_TOKEN_FILE=.data/gitea/portal-token \
//     node scripts/lib/gitea-provision.js catalog/org.yaml
//
// The token is read from its file and sent only in a request header; no secret is ever printed.
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const DEFAULT_ORG = 'acme';
const ADMIN = 'portal-admin';
// The development password of every catalog user: local development and tests only.
const DEV_PASSWORD = 'acme-dev-password';
// What a team may do in the organisation's repositories it is given.
const TEAM_UNITS = {
  'repo.code': 'write',
  'repo.issues': 'write',
  'repo.pulls': 'write',
  'repo.releases': 'write',
  'repo.wiki': 'write',
  'repo.projects': 'write',
  'repo.packages': 'write',
  'repo.actions': 'read',
  'repo.ext_issues': 'read',
  'repo.ext_wiki': 'read',
};

/** "group:default/platform", "default/platform" or "platform" -> "platform". */
function entityName(ref) {
  return String(ref)
    .replace(/^[^:/]*:/, '')
    .replace(/^.*\//, '')
    .toLowerCase();
}

/**
 * The users and teams in a list of catalog entities (the documents of org.yaml).
 * Returns { users: [{ name, email, fullName }], teams: [{ name, description, members }] }.
 */
function parseCatalog(entities) {
  const users = [];
  const groups = new Map();
  for (const e of entities) {
    if (!e || typeof e !== 'object' || !e.metadata?.name) continue;
    if (e.kind === 'User') {
      const profile = e.spec?.profile ?? {};
      if (!profile.email) {
        throw new Error(`user ${e.metadata.name} has no spec.profile.email`);
      }
      users.push({
        name: e.metadata.name,
        email: profile.email,
        fullName: profile.displayName ?? '',
        memberOf: (e.spec?.memberOf ?? []).map(entityName),
      });
    } else if (e.kind === 'Group') {
      groups.set(e.metadata.name.toLowerCase(), {
        name: e.metadata.name,
        type: e.spec?.type,
        description: String(
          e.metadata.description ?? e.metadata.title ?? '',
        ).slice(0, 255),
        members: new Set((e.spec?.members ?? []).map(entityName)),
      });
    }
  }
  const userNames = new Set(users.map(u => u.name.toLowerCase()));
  for (const u of users) {
    for (const g of u.memberOf)
      groups.get(g)?.members.add(u.name.toLowerCase());
  }
  const teams = [...groups.values()]
    .filter(g => g.type === 'team')
    .map(g => ({
      name: g.name,
      description: g.description,
      members: [...g.members].filter(m => userNames.has(m)).sort(),
    }));
  return {
    users: users.map(({ name, email, fullName }) => ({
      name,
      email,
      fullName,
    })),
    teams,
  };
}

/** A small client for Gitea's API: call(method, path, body) and list(path) (all pages). */
function giteaApi(baseUrl, token, fetchImpl = fetch) {
  const root = `${baseUrl.replace(/\/+$/, '')}/api/v1`;
  async function call(method, apiPath, body, { allow404 = false } = {}) {
    const headers = {
      Authorization: `token ${token}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetchImpl(`${root}${apiPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 404 && allow404) return undefined;
    const text = await res.text();
    if (!res.ok) {
      throw new Error(
        `${method} ${apiPath}: HTTP ${res.status} ${text.slice(0, 300)}`,
      );
    }
    return text ? JSON.parse(text) : null;
  }
  async function list(apiPath) {
    const all = [];
    for (let page = 1; ; page++) {
      const sep = apiPath.includes('?') ? '&' : '?';
      const items = await call('GET', `${apiPath}${sep}page=${page}&limit=50`);
      all.push(...items);
      if (items.length < 50) return all;
    }
  }
  return { call, list };
}

/**
 * Brings Gitea in step with the catalog. Returns the list of changes made (empty when none).
 * options: { api, catalog: parseCatalog(...) result, adminPasswordFile?, log?, org? } (org: the
 * organisation's name, `acme` unless given; the tests give another, to leave the shared one alone)
 */
async function provision({
  api,
  catalog,
  adminPasswordFile,
  log = () => {},
  org = DEFAULT_ORG,
}) {
  const changes = [];
  const changed = what => {
    changes.push(what);
    log(what);
  };
  const enc = encodeURIComponent;

  const me = await api.call('GET', '/user');
  if (me?.login !== ADMIN || !me.is_admin) {
    throw new Error(
      `the token must be ${ADMIN}'s (an admin), not ${me?.login}'s`,
    );
  }

  // portal-admin's password, set once, so that a person can sign in as the admin.
  if (adminPasswordFile && !fs.existsSync(adminPasswordFile)) {
    const password = crypto.randomBytes(18).toString('base64url');
    await api.call('PATCH', `/admin/users/${ADMIN}`, {
      login_name: ADMIN,
      source_id: 0,
      password,
      must_change_password: false,
    });
    fs.writeFileSync(adminPasswordFile, `${password}\n`, { mode: 0o600 });
    changed(
      `set ${ADMIN}'s password (in ${path.basename(
        adminPasswordFile,
      )}, mode 600)`,
    );
  }

  for (const u of catalog.users) {
    const existing = await api.call('GET', `/users/${enc(u.name)}`, undefined, {
      allow404: true,
    });
    if (!existing) {
      await api.call('POST', '/admin/users', {
        username: u.name,
        login_name: u.name,
        source_id: 0,
        email: u.email,
        full_name: u.fullName,
        password: DEV_PASSWORD,
        must_change_password: false,
        send_notify: false,
        visibility: 'public',
      });
      changed(`created user ${u.name} <${u.email}>`);
    } else if (
      existing.email.toLowerCase() !== u.email.toLowerCase() ||
      existing.full_name !== u.fullName
    ) {
      await api.call('PATCH', `/admin/users/${enc(existing.login)}`, {
        login_name: existing.login,
        source_id: 0,
        email: u.email,
        full_name: u.fullName,
      });
      changed(`updated user ${u.name} <${u.email}>`);
    }
  }

  const existingOrg = await api.call('GET', `/orgs/${org}`, undefined, {
    allow404: true,
  });
  if (!existingOrg) {
    await api.call('POST', '/orgs', {
      username: org,
      full_name: 'Acme',
      description:
        'The example organisation of the developer portal (catalog/org.yaml).',
      visibility: 'public',
      repo_admin_change_team_access: true,
    });
    changed(`created organisation ${org}`);
  }

  const teams = await api.list(`/orgs/${org}/teams`);
  for (const t of catalog.teams) {
    let team = teams.find(x => x.name.toLowerCase() === t.name.toLowerCase());
    if (!team) {
      team = await api.call('POST', `/orgs/${org}/teams`, {
        name: t.name,
        description: t.description,
        permission: 'write',
        units_map: TEAM_UNITS,
        includes_all_repositories: false,
        can_create_org_repo: true,
        visibility: 'public',
      });
      changed(`created team ${org}/${t.name}`);
    } else if ((team.description ?? '') !== t.description) {
      await api.call('PATCH', `/teams/${team.id}`, {
        name: team.name,
        description: t.description,
      });
      changed(`updated the description of team ${org}/${t.name}`);
    }

    const current = (await api.list(`/teams/${team.id}/members`)).map(m =>
      m.login.toLowerCase(),
    );
    for (const m of t.members.filter(x => !current.includes(x))) {
      await api.call('PUT', `/teams/${team.id}/members/${enc(m)}`);
      changed(`added ${m} to team ${org}/${t.name}`);
    }
    for (const m of current.filter(
      x => !t.members.includes(x) && x !== ADMIN,
    )) {
      await api.call('DELETE', `/teams/${team.id}/members/${enc(m)}`);
      changed(`removed ${m} from team ${org}/${t.name}`);
    }
  }
  return changes;
}

function readCatalogFile(file) {
  const YAML = require('yaml');
  const text = fs.readFileSync(file, 'utf8');
  return YAML.parseAllDocuments(text).map(doc => {
    if (doc.errors.length) throw new Error(`${file}: ${doc.errors[0].message}`);
    return doc.toJS();
  });
}

async function main() {
  const catalogFile = process.argv[2];
  const { GITEA_URL, GITEA_TOKEN_FILE, GITEA_ADMIN_PASSWORD_FILE } =
    process.env;
  if (!catalogFile || !GITEA_URL || !GITEA_TOKEN_FILE) {
    throw new Error(
      'usage: GITEA_URL=... GITEA_TOKEN_FILE=... [GITEA_ADMIN_PASSWORD_FILE=...] node gitea-provision.js <org.yaml>',
    );
  }
  const token = fs.readFileSync(GITEA_TOKEN_FILE, 'utf8').trim();
  const catalog = parseCatalog(readCatalogFile(catalogFile));
  const log = msg => console.log(`gitea: ${msg}`);
  const changes = await provision({
    api: giteaApi(GITEA_URL, token),
    catalog,
    adminPasswordFile: GITEA_ADMIN_PASSWORD_FILE,
    log,
  });
  const summary = `${catalog.users.length} users, organisation ${DEFAULT_ORG} and ${catalog.teams.length} teams`;
  if (changes.length === 0)
    log(`${summary} already in step with the catalog (skipped)`);
  else log(`${summary} in step with the catalog (${changes.length} changes)`);
}

module.exports = {
  parseCatalog,
  readCatalogFile,
  provision,
  giteaApi,
  entityName,
  DEV_PASSWORD,
};

if (require.main === module) {
  main().catch(e => {
    console.error(`gitea: error: ${e.message}`);
    process.exit(1);
  });
}
