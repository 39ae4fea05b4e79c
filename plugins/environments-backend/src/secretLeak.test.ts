/*
 * Acceptance: no secret reaches a stored run log, run error, history row, audit event or the
 * backend log. The environments plugin in a test backend (permission backend, OPA policy module,
 * a real OPA on the repository's policies, the real OpenTofu, the plugin's database and OpenTofu's
 * state on the local PostgreSQL), driven through its REST API:
 *   - postgres-sandbox with every extension its blueprint.yaml allows (none, pgcrypto, citext today),
 *     then destroyed;
 *   - postgres-leaky, postgres-sandbox plus a step that fails after the password exists and prints
 *     it, the admin password and the admin URL (a careless module), so that only the runner's
 *     redaction stands between them and the stores;
 *   - an admin URL with a password (a role made for the test).
 * Then every row of run_logs, runs.error and environment_history, every log line the backend
 * wrote (audit events included: the auditor writes them through the logger) and OpenTofu's state
 * rows are searched for the passwords, the connection strings, the admin URL and its password.
 * The scaffolder task log is checked in plugins/scaffolder-backend-module-environments.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { safeId } from './runner/TofuRunner';
import { SecretBox } from './secrets/SecretBox';
import { parse as parseYaml } from 'yaml';
import {
  capturingRootLogger,
  leakFixtures,
} from './__testUtils__/secretLeakFixtures';
import {
  as,
  EnvironmentsTestBackend,
  startEnvironmentsBackend,
} from './__testUtils__/testBackend';
import { PG, REPO_BLUEPRINTS } from './__testUtils__/tofuFixtures';

const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

/** The `extensions` variable's allowed values in the repository's postgres-sandbox blueprint. */
function allowedExtensions(): string[] {
  const file = path.join(REPO_BLUEPRINTS, 'postgres-sandbox/blueprint.yaml');
  const spec = parseYaml(fs.readFileSync(file, 'utf8')).spec;
  return spec.variables.find((v: { name: string }) => v.name === 'extensions')
    .allowed;
}

describe('secret leak: no password or admin URL in any stored or logged text', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'secret-leak-'));
  const logger = capturingRootLogger();
  const logged = logger.logged;
  const adminRole = `leak_admin_${randomBytes(4).toString('hex')}`;
  const adminPassword = randomBytes(18).toString('base64url'); // URL-safe, 24 characters
  const adminUrl = `postgresql://${adminRole}:${adminPassword}@127.0.0.1:5432/postgres`;
  const key = { id: 'leaktest', secret: randomBytes(32).toString('hex') };
  const passphrase = randomBytes(24).toString('hex');
  let env: EnvironmentsTestBackend;
  let db: Knex;
  let admin: Knex;
  const api = () => env.request();

  beforeAll(async () => {
    admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
    await admin.raw(
      `CREATE ROLE ${adminRole} SUPERUSER LOGIN PASSWORD '${adminPassword}'`,
    );
    db = await databases.init('POSTGRES_15');
    const { blueprints, policies } = leakFixtures(root);
    env = await startEnvironmentsBackend({
      name: 'secret-leak-work-',
      rootLogger: logger.feature,
      database: mockServices.database.factory({ knex: db }),
      environments: {
        blueprintsDir: blueprints,
        postgres: { adminUrl },
        state: {
          pgConnectionString: `${PG}/postgres?sslmode=disable`,
          encryption: { passphrase },
        },
        secrets: { keys: [key] },
      },
      opa: { local: { policyDir: policies } },
    });
  }, 120_000);

  afterAll(async () => {
    await env?.stop();
    const names = (await db?.('environments').select('id')) ?? [];
    for (const { id } of names) {
      const name = `env_${safeId(id)}`;
      await admin
        .raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
        .catch(() => {});
      await admin.raw(`DROP ROLE IF EXISTS ${name}`).catch(() => {});
      await admin.raw(`DROP SCHEMA IF EXISTS ${name} CASCADE`).catch(() => {});
    }
    await admin?.raw(`DROP ROLE IF EXISTS ${adminRole}`);
    await admin?.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);

  /** Works the run queue until every environment in `ids` is in one of `states`. */
  async function settle(ids: string[], states: string[]) {
    const deadline = Date.now() + 240_000;
    for (;;) {
      await env.runQueue();
      const now = await Promise.all(
        ids.map(async id => {
          const res = await api()
            .get(`/api/environments/environments/${id}`)
            .set('Authorization', as('dev'));
          return (res.body.environment?.state ??
            `HTTP ${res.status}`) as string;
        }),
      );
      if (now.every(s => states.includes(s))) return now;
      if (Date.now() > deadline)
        throw new Error(`environments still ${now.join(', ')}`);
      await new Promise(r => setTimeout(r, 500));
    }
  }

  const secretName = (s: string) => {
    if (s === adminPassword) return 'the admin password';
    if (s === adminUrl) return 'the admin URL';
    return 'a password or connection string';
  };

  /** Everything stored or logged about the environments; fails on any text with a secret in it. */
  async function searchAll(envs: string[], secrets: string[]) {
    const texts: Array<[string, string]> = [
      ...(await db('run_logs').select('message')).map(
        r => ['run log', r.message] as [string, string],
      ),
      ...(await db('runs').whereNotNull('error').select('error')).map(
        r => ['run error', r.error] as [string, string],
      ),
      ...(await db('environment_history').select('reason'))
        .filter(r => r.reason)
        .map(r => ['history', r.reason] as [string, string]),
      ...logged.map(l => ['backend log', l] as [string, string]),
    ];
    for (const id of envs) {
      const runs = (
        await api()
          .get(`/api/environments/environments/${id}/runs`)
          .set('Authorization', as('dev'))
      ).body.items as any[];
      for (const run of runs) {
        const logs = await api()
          .get(`/api/environments/environments/${id}/runs/${run.id}/logs`)
          .set('Authorization', as('dev'));
        texts.push(
          ['run log (API)', JSON.stringify(logs.body)],
          ['run (API)', JSON.stringify(run)],
        );
      }
      texts.push([
        'environment (API)',
        JSON.stringify(
          (
            await api()
              .get(`/api/environments/environments/${id}`)
              .set('Authorization', as('dev'))
          ).body,
        ),
      ]);
    }
    const hits = texts.flatMap(([where, text]) =>
      secrets
        .filter(s => text.includes(s))
        .map(
          s =>
            `${where} contains ${secretName(s)}: ${secrets
              .reduce((t, x) => t.split(x).join('<SECRET>'), text)
              .slice(0, 300)}`,
        ),
    );
    expect(hits).toEqual([]);
    return texts;
  }

  async function create(name: string, blueprint: string, extensions: string) {
    const res = await api()
      .post('/api/environments/environments')
      .set('Authorization', as('dev'))
      .send({
        name,
        blueprint,
        owner: 'group:default/payments',
        variables: { extensions },
      });
    expect(res.status).toBe(201);
    return res.body.environment.id as string;
  }

  it('creates postgres-sandbox with every extension, fails a create after its password exists, destroys, and leaks nothing', async () => {
    // every extension the blueprint allows, as the repository's blueprint.yaml lists them
    const allowed = allowedExtensions();
    expect(allowed).toContain('pgcrypto');
    const ids = [];
    for (const extensions of allowed)
      ids.push(
        await create(`leak-${extensions}`, 'postgres-sandbox', extensions),
      );
    expect(await settle(ids, ['active'])).toEqual(allowed.map(() => 'active'));

    // The secrets as their owners see them; each connects, with its extension.
    const secrets: string[] = [adminUrl, adminPassword];
    for (const [i, id] of ids.entries()) {
      const res = await api()
        .get(`/api/environments/environments/${id}/secrets`)
        .set('Authorization', as('dev'));
      const { password, connection_string: url } = res.body.secrets;
      expect(password).toMatch(/^[0-9a-f]{32}$/);
      secrets.push(password, url);
      const app = knexFactory({ client: 'pg', connection: url });
      try {
        const ext = await app.raw(
          'select extname from pg_extension where extname <> ?',
          ['plpgsql'],
        );
        expect(ext.rows.map((r: any) => r.extname)).toEqual(
          allowed[i] === 'none' ? [] : [allowed[i]],
        );
      } finally {
        await app.destroy();
      }
      // OpenTofu's state row is encrypted: no password in it.
      const state = await admin.raw(
        `select data from env_${safeId(id)}.states where name = 'default'`,
      );
      expect(state.rows[0].data).toContain('encrypted_data');
      expect(state.rows[0].data).not.toContain(password);
      // The plugin's row: encrypted too.
      const row = await db('environments').where({ id }).first();
      expect(row.secret_outputs).toMatch(/^enc:v1:leaktest:/);
      expect(JSON.stringify(row)).not.toContain(password);
    }

    // Nothing leaked by the three creates (this fails first when the module puts a secret in argv).
    await searchAll(ids, secrets);

    // The failed create: its password was generated and used before it failed.
    const leaky = await create('leak-fails', 'postgres-leaky', 'pgcrypto');
    expect(await settle([leaky], ['destroyed'])).toEqual(['destroyed']);
    const leakyRow = await db('environments').where({ id: leaky }).first();
    const leakyPassword = JSON.parse(
      new SecretBox([key]).decrypt(
        leakyRow.generated_secrets,
        `generated_secrets:${leaky}`,
      ),
    ).password as string;
    expect(leakyPassword).toMatch(/^[0-9a-f]{32}$/);
    secrets.push(leakyPassword);

    for (const id of ids)
      expect(
        (
          await api()
            .post(`/api/environments/environments/${id}/destroy`)
            .set('Authorization', as('dev'))
        ).status,
      ).toBe(202);
    expect(await settle(ids, ['destroyed'])).toEqual([
      'destroyed',
      'destroyed',
      'destroyed',
    ]);

    const texts = await searchAll([...ids, leaky], secrets);

    // The search saw what it should have: the careless module's lines (redacted), the failure in
    // the run error and the history, audit events, and the redaction marker.
    const runLogs = texts
      .filter(([w]) => w === 'run log')
      .map(([, t]) => t)
      .join('\n');
    expect(runLogs).toMatch(
      /role password \[redacted\] admin password \[redacted\]/,
    );
    expect(runLogs).toMatch(
      /admin url \[redacted\] app postgresql:\/\/env_[0-9a-f]+:\[redacted\]@127\.0\.0\.1/,
    );
    expect(runLogs).toMatch(/CREATE EXTENSION|Creation complete/);
    expect(
      texts.filter(
        ([w, t]) => w === 'run error' && /local-exec provisioner error/.test(t),
      ),
    ).not.toHaveLength(0);
    expect(
      texts.filter(
        ([w, t]) => w === 'history' && /provisioning failed/.test(t),
      ),
    ).not.toHaveLength(0);
    expect(
      logged.filter(l => l.includes('environment-state-change')).length,
    ).toBeGreaterThanOrEqual(4 * 5);
    // And nothing of postgres-sandbox's is left.
    for (const id of ids) {
      const name = `env_${safeId(id)}`;
      const left = await admin.raw(
        'select (select count(*) from pg_database where datname = ?)::int as dbs, (select count(*) from pg_roles where rolname = ?)::int as roles',
        [name, name],
      );
      expect(left.rows[0]).toEqual({ dbs: 0, roles: 0 });
    }
  }, 600_000);
});
