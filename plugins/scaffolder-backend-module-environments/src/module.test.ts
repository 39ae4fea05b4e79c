/*
 * The golden path "Request a sandbox environment" (templates/sandbox-environment) run by the real
 * scaffolder: catalog, scaffolder with these actions, the environments plugin, the permission
 * backend with the OPA policy (a real OPA) and the real OpenTofu on the workspace blueprint.
 * Each action's own behaviour (checkpoints, failures, dry runs) is tested in src/actions/.
 */
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleTemplates from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { scaffolderModuleEnvironments } from './module';
import { as, repo, startEnvironmentsBackend } from './__testUtils__/backend';
import { catalogTemplate, runTask as runTemplate } from './__testUtils__/tasks';
import { writeTemplates } from './__testUtils__/templates';

/** The postgres-sandbox admin connection: a role made for the test, with a password. */
const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const adminRole = `scaffolder_admin_${randomBytes(4).toString('hex')}`;
const adminPassword = randomBytes(18).toString('base64url');
const adminUrl = `postgresql://${adminRole}:${adminPassword}@127.0.0.1:5432/postgres`;

describe('the environment actions in the real scaffolder', () => {
  /** SQL through psql's stdin (not argv: it holds a password). */
  const sql = (statement: string) =>
    execFileSync(
      'psql',
      ['--no-psqlrc', '-v', 'ON_ERROR_STOP=1', `${PG}/postgres`],
      { input: statement, stdio: ['pipe', 'ignore', 'inherit'] },
    );
  let env: Awaited<ReturnType<typeof startEnvironmentsBackend>>;
  const api = () => env.api();
  const mine = async () =>
    (
      await api()
        .get('/api/environments/environments?scope=mine')
        .set('Authorization', as('dev'))
    ).body.items as any[];

  const runTask = (templateRef: string, values: object) =>
    runTemplate(api, templateRef, values);
  const template = (name: string) => catalogTemplate(api, name);

  beforeAll(async () => {
    sql(`CREATE ROLE ${adminRole} SUPERUSER LOGIN PASSWORD '${adminPassword}'`);
    env = await startEnvironmentsBackend({
      environments: { postgres: { adminUrl } },
      config: work => ({
        catalog: {
          rules: [{ allow: ['Template', 'Group', 'User'] }],
          locations: [
            {
              type: 'file',
              target: path.join(
                repo,
                'templates/sandbox-environment/template.yaml',
              ),
            },
            ...writeTemplates(work),
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
    sql(`DROP ROLE IF EXISTS ${adminRole}`);
  });

  it('dry-runs the sandbox template (the template editor, for the platform team): the blueprint is checked and nothing is requested', async () => {
    const sandbox = await template('sandbox-environment');
    const values = {
      name: 'dry-one',
      blueprint: 'workspace',
      owner: 'group:default/payments',
      size: 'small',
      ttlHours: 24,
      wait: true,
    };
    const dry = await api()
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', as('ana'))
      .send({ template: sandbox, values, directoryContents: [] });
    expect(dry.status).toBe(200);
    const log = dry.body.log.map((l: any) => l.body?.message ?? '').join('\n');
    expect(log).toMatch(
      /dry run: would request dry-one from workspace for group:default\/payments/,
    );
    expect(dry.body.output.text).toEqual([
      expect.objectContaining({ content: 'The environment is **dry-run**.' }),
    ]);
    // developers run templates but do not dry-run them (the policy keeps the template editor to the platform team)
    const denied = await api()
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', as('dev'))
      .send({ template: sandbox, values, directoryContents: [] });
    expect(denied.status).toBe(403);
    // a blueprint that does not exist fails the dry run with the blueprints there are
    const bad = await api()
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', as('ana'))
      .send({
        template: { ...sandbox, spec: { ...sandbox.spec, parameters: [] } },
        values: { ...values, blueprint: 'no-such-thing' },
        directoryContents: [],
      });
    const badLog = JSON.stringify(bad.body);
    expect(badLog).toMatch(
      /blueprint: 'no-such-thing' is not a blueprint that can be requested \(blueprints: [^)]*workspace/,
    );
    const all = (
      await api()
        .get('/api/environments/environments?scope=all')
        .set('Authorization', as('ana'))
    ).body.items as any[];
    expect(all.map(e => e.name)).not.toContain('dry-one');
  }, 60_000);

  it('runs the sandbox template: the environment becomes active and the task log shows OpenTofu', async () => {
    await template('sandbox-environment');
    const { status, log, events } = await runTask(
      'template:default/sandbox-environment',
      {
        name: 'from-template',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        size: 'small',
        ttlHours: 24,
        wait: true,
      },
    );
    expect({ status, log }).toMatchObject({ status: 'completed' });
    expect(log).toMatch(/environment from-template is active/);
    expect(log).toMatch(/\[apply\] Apply complete!/);
    expect(await mine()).toContainEqual(
      expect.objectContaining({
        name: 'from-template',
        state: 'active',
        requestedBy: 'user:default/dev',
      }),
    );
    const completion = events.find((e: any) => e.type === 'completion');
    const id = (await mine()).find(e => e.name === 'from-template').id;
    expect(JSON.stringify(completion?.body ?? {})).toContain(
      `/environments/${id}`,
    );
  }, 90_000);

  it('extends, then destroys, an environment through environment:extend and environment:destroy; their dry runs change nothing', async () => {
    const lifecycle = await template('environment-lifecycle');
    const before = (await mine()).find(e => e.name === 'from-template');
    expect(before).toMatchObject({ state: 'active' });

    const dry = await api()
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', as('ana'))
      .send({
        template: lifecycle,
        values: { id: before.id, hours: 12 },
        directoryContents: [],
      });
    expect(dry.status).toBe(200);
    const dryLog = dry.body.log
      .map((l: any) => l.body?.message ?? '')
      .join('\n');
    expect(dryLog).toContain(`dry run: would extend ${before.id} by 12 hours`);
    expect(dryLog).toContain(`dry run: would destroy ${before.id}`);
    expect((await mine()).find(e => e.id === before.id)).toMatchObject({
      state: 'active',
      expiresAt: before.expiresAt,
    });

    const { status, log } = await runTask(
      'template:default/environment-lifecycle',
      { id: before.id, hours: 12 },
    );
    expect({ status, log }).toMatchObject({ status: 'completed' });
    const expected = new Date(
      new Date(before.expiresAt).getTime() + 12 * 3600_000,
    ).toISOString();
    expect(log).toContain(`from-template now expires at ${expected}`);
    expect(log).toMatch(/environment from-template is destroyed/);
    expect(log).toMatch(/\[destroy\] Destroy complete!/);
    const after = (
      await api()
        .get(`/api/environments/environments/${before.id}`)
        .set('Authorization', as('dev'))
    ).body.environment;
    expect(after).toMatchObject({ state: 'destroyed', expiresAt: expected });
  }, 90_000);

  it('keeps the password, the connection string and the admin URL out of the task log of a postgres-sandbox with pgcrypto', async () => {
    await template('environment-pg');
    const { status, log } = await runTask('template:default/environment-pg', {
      name: 'pg-from-template',
    });
    expect({ status, log }).toMatchObject({ status: 'completed' });
    expect(log).toMatch(
      /\[apply\] terraform_data.extension\[0\]: Creation complete/,
    );
    const id = (await mine()).find(e => e.name === 'pg-from-template').id;
    const { secrets } = (
      await api()
        .get(`/api/environments/environments/${id}/secrets`)
        .set('Authorization', as('dev'))
    ).body;
    expect(secrets.password).toMatch(/^[0-9a-f]{32}$/);
    for (const secret of [
      secrets.password,
      secrets.connection_string,
      adminPassword,
      adminUrl,
    ])
      expect(log).not.toContain(secret);

    expect(
      (
        await api()
          .post(`/api/environments/environments/${id}/destroy`)
          .set('Authorization', as('dev'))
      ).status,
    ).toBe(202);
    const deadline = Date.now() + 60_000;
    while (
      (await mine()).find(e => e.id === id)?.state !== 'destroyed' &&
      Date.now() < deadline
    )
      await new Promise(r => setTimeout(r, 250));
    expect((await mine()).find(e => e.id === id)).toMatchObject({
      state: 'destroyed',
    });
  }, 120_000);
});
