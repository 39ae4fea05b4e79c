/*
 * Acceptance, the scaffolder's part of the secret-leak test: no password, connection string, admin
 * password or admin URL in the task log of a template that creates a postgres-sandbox (pgcrypto),
 * of one that destroys it through environment:destroy, or of one whose create fails after its
 * password exists. The last runs postgres-leaky (__testUtils__/leakyBlueprint.ts), a careless
 * module that prints them all and exits non-zero, so that only the runner's redaction stands
 * between them and the task log. The real scaffolder and catalog, the environments plugin, the
 * permission backend with the OPA policy (a real OPA), the real OpenTofu and PostgreSQL (an admin
 * role made for the test, with a password). The stores and the backend log are searched in
 * plugins/environments-backend/src/secretLeak.test.ts.
 */
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scaffolderModuleEnvironments } from './module';
import { as, repo, startEnvironmentsBackend } from './__testUtils__/backend';
import { leakyFixtures } from './__testUtils__/leakyBlueprint';
import { catalogTemplate, runTask } from './__testUtils__/tasks';
import { leakyTemplate, writeTemplates } from './__testUtils__/templates';

const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const adminRole = `tasklog_admin_${randomBytes(4).toString('hex')}`;
const adminPassword = randomBytes(18).toString('base64url');
const adminUrl = `postgresql://${adminRole}:${adminPassword}@127.0.0.1:5432/postgres`;

/** SQL through psql's stdin (not argv: it may hold a password); its unaligned output. */
const sql = (statement: string) =>
  execFileSync(
    'psql',
    ['--no-psqlrc', '-tA', '-v', 'ON_ERROR_STOP=1', `${PG}/postgres`],
    { input: statement, stdio: ['pipe', 'pipe', 'pipe'] },
  )
    .toString()
    .trim();

// Once more on a failure, with the first attempt's errors logged: CI run 6 saw the first create's
// task fail within seconds on a loaded machine, which no local run (alone or beside module.test.ts)
// reproduced; the assertion above now prints that task's log.
jest.retryTimes(1, { logErrorsBeforeRetry: true });

describe('secret leak: the scaffolder task logs of a create, a destroy and a failed create', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'task-log-leak-'));
  const fixtures = leakyFixtures(root);
  /** The roles (and databases) of the environments, dropped after the test whatever happened. */
  const roles: string[] = [];
  let env: Awaited<ReturnType<typeof startEnvironmentsBackend>>;
  const api = () => env.api();
  const idOf = async (name: string) =>
    (
      (
        await api()
          .get('/api/environments/environments?scope=mine')
          .set('Authorization', as('dev'))
      ).body.items as any[]
    ).find(e => e.name === name)?.id as string;

  beforeAll(async () => {
    sql(`CREATE ROLE ${adminRole} SUPERUSER LOGIN PASSWORD '${adminPassword}'`);
    env = await startEnvironmentsBackend({
      environments: {
        blueprintsDir: fixtures.blueprints,
        postgres: { adminUrl },
      },
      config: work => ({
        opa: { local: { policyDir: fixtures.policies }, cache: { ttlMs: 0 } },
        catalog: {
          rules: [{ allow: ['Template', 'Group', 'User'] }],
          locations: [
            ...writeTemplates(work, [leakyTemplate]),
            { type: 'file', target: path.join(repo, 'catalog/org.yaml') },
          ],
        },
      }),
      features: [
        catalogPlugin,
        catalogModuleTemplates,
        scaffolderPlugin,
        scaffolderModuleEnvironments,
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await env?.stop();
    for (const role of roles)
      sql(
        `DROP DATABASE IF EXISTS ${role} WITH (FORCE); DROP ROLE IF EXISTS ${role}`,
      );
    sql(`DROP ROLE IF EXISTS ${adminRole}`);
    fs.rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('creates a postgres-sandbox, destroys it through environment:destroy, fails a create after its password exists, and no task log holds a secret', async () => {
    // names of this attempt's own (jest.retryTimes below runs the test again in the same backend)
    const attempt = Math.random().toString(36).slice(2, 6);
    const createdName = `leak-created-${attempt}`;
    const failsName = `leak-fails-${attempt}`;
    await catalogTemplate(api, 'environment-pg');
    await catalogTemplate(api, 'environment-lifecycle');
    await catalogTemplate(api, 'environment-pg-leaky');

    // (1) a create that succeeds; its secrets as dev sees them
    const created = await runTask(api, 'template:default/environment-pg', {
      name: createdName,
    });
    // the task log when it did not complete (CI run 6 saw one fail after 9 s, not reproduced)
    expect({
      status: created.status,
      log: created.status === 'completed' ? '' : created.log.slice(-4000),
    }).toEqual({ status: 'completed', log: '' });
    expect(created.log).toMatch(
      /\[apply\] terraform_data.extension\[0\]: Creation complete/,
    );
    const id = await idOf(createdName);
    const { secrets } = (
      await api()
        .get(`/api/environments/environments/${id}/secrets`)
        .set('Authorization', as('dev'))
    ).body;
    expect(secrets.password).toMatch(/^[0-9a-f]{32}$/);
    const role = new URL(secrets.connection_string).username;
    roles.push(role);

    // (2) its destroy, through environment:extend then environment:destroy
    const destroyed = await runTask(
      api,
      'template:default/environment-lifecycle',
      { id, hours: 1 },
    );
    expect(destroyed).toMatchObject({ status: 'completed' });
    expect(destroyed.log).toContain(`environment ${createdName} is destroyed`);
    expect(destroyed.log).toMatch(/\[destroy\] Destroy complete!/);

    // (3) a create that fails after its role, database and password exist
    const failed = await runTask(api, 'template:default/environment-pg-leaky', {
      name: failsName,
    });
    expect(failed.status).toBe('failed');
    expect(failed.log).toMatch(
      /\[apply\] apply failed: tofu apply failed[^]*local-exec provisioner error[^]*; destroying what was created/,
    );
    expect(failed.log).toContain(
      `environment ${failsName} is destroying, not active`,
    );
    // the careless module's lines reached the task log, redacted
    expect(failed.log).toMatch(
      /role password \[redacted\] admin password \[redacted\]/,
    );
    expect(failed.log).toMatch(/admin url \[redacted\]/);
    // its password, from the file the careless step wrote
    const leaked = fixtures.leaked();
    expect(leaked.password).toMatch(/^[0-9a-f]{32}$/);
    roles.push(leaked.role);
    const failedId = await idOf(failsName);
    expect(await env.until(failedId, 'destroyed')).toMatchObject({
      state: 'destroyed',
    });

    const searched = {
      password: secrets.password,
      'connection string': secrets.connection_string,
      'failed create password': leaked.password,
      'failed create connection string': `postgresql://${leaked.role}:${leaked.password}@127.0.0.1:5432/${leaked.role}`,
      'admin password': adminPassword,
      'admin URL': adminUrl,
    };
    const logs = {
      create: created,
      destroy: destroyed,
      'failed create': failed,
    };
    const hits = Object.entries(logs).flatMap(([task, { log, events }]) =>
      Object.entries(searched)
        .filter(([, secret]) =>
          `${log}\n${JSON.stringify(events)}`.includes(secret),
        )
        .map(([what]) => `the ${task} task log contains the ${what}`),
    );
    expect(hits).toEqual([]);

    // nothing of either environment is left on the server
    expect(
      sql(
        `select count(*) from pg_roles where rolname in ('${role}', '${leaked.role}')`,
      ),
    ).toBe('0');
    expect(
      sql(
        `select count(*) from pg_database where datname in ('${role}', '${leaked.role}')`,
      ),
    ).toBe('0');
  }, 300_000);
});
