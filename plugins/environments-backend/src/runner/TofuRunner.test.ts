/*
 * The runner with the real OpenTofu from tools/ on the repository's blueprints: the workspace
 * with local state (the SQLite mode), and postgres-sandbox against the local PostgreSQL with its
 * state in the pg backend (the PostgreSQL mode).
 */
import { ConfigReader } from '@backstage/config';
import { findTool } from '@internal/plugin-platform-node';
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LogLine } from './parseJsonLog';
import { tofuStateKey } from './stateEncryption';
import { safeId, TofuError, TofuRunner } from './TofuRunner';
import { TofuState } from './tofuState';

const blueprints = path.resolve(
  __dirname,
  '../../../../templates/environments',
);
const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

describe('TofuRunner with the real OpenTofu', () => {
  let tofu: string;
  let root: string;
  beforeAll(async () => {
    tofu = (await findTool(new ConfigReader({}), 'tofu')).path;
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'runner-test-'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('applies the workspace blueprint with local state, reports outputs and drift, and destroys it', async () => {
    const runner = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state: { type: 'local', dir: path.join(root, 'state') },
    });
    const logs: LogLine[] = [];
    const run = {
      environmentId: randomUUID(),
      moduleDir: path.join(blueprints, 'workspace/module'),
      variables: { service: 'orders', log_level: 'debug', seed_rows: 2 },
      onLog: (l: LogLine) => void logs.push(l),
    };
    const { outputs } = await runner.apply(run);
    const dir = outputs.path.value as string;
    expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toContain(
      'SERVICE=orders',
    );
    expect(outputs.api_token).toMatchObject({
      sensitive: true,
      value: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(logs.map(l => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Apply complete! Resources: 2 added/),
      ]),
    );
    expect(
      fs.existsSync(
        path.join(root, 'state', `${safeId(run.environmentId)}.tfstate`),
      ),
    ).toBe(true);

    // Outputs come from the state; a later command in the same folder does not init again.
    expect(
      logs.filter(l => /Initializing the backend/.test(l.message)),
    ).toHaveLength(1);
    expect(await runner.detectDrift(run)).toBe(false);
    expect(
      logs.filter(l => /Initializing the backend/.test(l.message)),
    ).toHaveLength(1);
    fs.rmSync(path.join(dir, 'config.json'));
    expect(await runner.detectDrift(run)).toBe(true);

    await runner.destroy(run);
    expect(fs.existsSync(dir)).toBe(false);
    await runner.clean(run.environmentId);
    expect(
      fs.existsSync(
        path.join(root, 'state', `${safeId(run.environmentId)}.tfstate`),
      ),
    ).toBe(false);
    expect(
      logs.some(l =>
        /Destroy complete! Resources: 2 destroyed/.test(l.message),
      ),
    ).toBe(true);
  }, 120_000);

  it('provisions postgres-sandbox with its state in PostgreSQL: the database and role exist and connect, then are gone', async () => {
    const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
    const runner = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state: { type: 'pg', connectionString: `${PG}/postgres?sslmode=disable` },
      platformEnv: { postgresAdminUrl: `${PG}/postgres` },
      stateEncryptionPassphrase: 'a-passphrase-for-the-runner-test',
    });
    const environmentId = randomUUID();
    const password = randomUUID().replace(/-/g, '');
    const logs: LogLine[] = [];
    const run = {
      environmentId,
      moduleDir: path.join(blueprints, 'postgres-sandbox/module'),
      variables: { connection_limit: 3, extensions: 'citext' },
      secretVariables: { password },
      envBundles: ['postgres-admin'],
      onLog: (l: LogLine) => void logs.push(l),
    };
    const name = `env_${safeId(environmentId)}`;
    try {
      const { outputs } = await runner.apply(run);
      expect(outputs.database.value).toBe(name);
      const app = knexFactory({
        client: 'pg',
        connection: outputs.connection_string.value as string,
      });
      try {
        const row = await app.raw(
          'select current_user as u, current_database() as d',
        );
        expect(row.rows[0]).toEqual({ u: name, d: name });
      } finally {
        await app.destroy();
      }
      expect(outputs.password.value).toBe(password);
      // the pg backend's state row, encrypted: neither the password nor the admin URL in it
      const state = await admin.raw(
        `select data from ${name}.states where name = 'default'`,
      );
      expect(state.rows[0].data).toContain('encrypted_data');
      expect(state.rows[0].data).not.toContain(password);
      expect(state.rows[0].data).not.toContain(`${PG}/postgres`);
      expect(logs.map(l => l.message).join('\n')).not.toContain(password);
      expect(
        logs.some(l =>
          /terraform_data.extension\[0\]: Creation complete/.test(l.message),
        ),
      ).toBe(true);

      await runner.destroy(run);
      const left = await admin.raw(
        'select (select count(*) from pg_database where datname = ?)::int as dbs, (select count(*) from pg_roles where rolname = ?)::int as roles',
        [name, name],
      );
      expect(left.rows[0]).toEqual({ dbs: 0, roles: 0 });
      // clean removes the working folder and the state's schema
      await runner.clean(environmentId);
      expect(fs.existsSync(runner.workdir(environmentId))).toBe(false);
      const schemas = await admin.raw(
        'select count(*)::int as n from information_schema.schemata where schema_name = ?',
        [name],
      );
      expect(schemas.rows[0].n).toBe(0);
    } finally {
      await runner.close();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.raw(`DROP ROLE IF EXISTS ${name}`);
      await admin.raw(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await admin.destroy();
    }
  }, 120_000);

  it("gives OpenTofu and its provisioners an allow-listed environment, not the backend's", async () => {
    const moduleDir = path.join(root, 'env-dump');
    fs.mkdirSync(moduleDir, { recursive: true });
    fs.writeFileSync(
      path.join(moduleDir, 'main.tf'),
      'variable "environment_id" {}\nvariable "workdir" {}\nvariable "token" {\n  sensitive = true\n}\n' +
        'resource "terraform_data" "dump" {\n  provisioner "local-exec" {\n    interpreter = ["node", "-e"]\n' +
        "    command     = \"require('fs').writeFileSync(require('path').join(process.env.DUMP_DIR, 'env.json'), JSON.stringify(process.env))\"\n" +
        '    environment = { DUMP_DIR = var.workdir }\n  }\n}\n',
    );
    const inheritEnv = {
      ...process.env,
      POSTGRES_PASSWORD: 'a-database-password-of-the-backend',
      BACKEND_SECRET: 'a-backend-secret-of-the-backend',
      AWS_SECRET_ACCESS_KEY: 'a-cloud-key-of-the-backend',
    };
    const runner = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state: { type: 'local', dir: path.join(root, 'state') },
      platformEnv: {
        postgresAdminUrl:
          'postgresql://admin:s3cr%2Fet@db.example:6543/postgres?sslmode=require',
      },
      stateEncryptionPassphrase: 'a-passphrase-for-the-runner-test',
      inheritEnv,
    });
    const environmentId = randomUUID();
    await runner.apply({
      environmentId,
      moduleDir,
      variables: {},
      secretVariables: { token: 'generated-token-value' },
      envBundles: ['postgres-admin'],
      onLog: () => {},
    });
    const seen = JSON.parse(
      fs.readFileSync(
        path.join(runner.workdir(environmentId), 'env.json'),
        'utf8',
      ),
    );
    expect(seen).not.toHaveProperty('POSTGRES_PASSWORD');
    expect(seen).not.toHaveProperty('BACKEND_SECRET');
    expect(seen).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(JSON.stringify(seen)).not.toContain('of-the-backend');
    expect(seen).toMatchObject({
      PATH: process.env.PATH,
      TF_IN_AUTOMATION: '1',
      TF_VAR_token: 'generated-token-value',
      // the bundle the blueprint declared: libpq's variables, decoded from the URL
      PGHOST: 'db.example',
      PGPORT: '6543',
      PGUSER: 'admin',
      PGPASSWORD: 's3cr/et',
      PGDATABASE: 'postgres',
      PGSSLMODE: 'require',
    });
    if (process.env.TF_CLI_CONFIG_FILE)
      expect(seen.TF_CLI_CONFIG_FILE).toBe(process.env.TF_CLI_CONFIG_FILE);
    // without the bundle, no admin connection
    expect(runner.environment({ envBundles: [] })).not.toHaveProperty(
      'PGPASSWORD',
    );
    expect(() =>
      new TofuRunner({
        binary: tofu,
        workRoot: root,
        state: { type: 'local', dir: root },
      }).environment({ envBundles: ['postgres-admin'] }),
    ).toThrow(
      /needs postgres-admin, but environments.postgres.adminUrl is not set/,
    );
  }, 60_000);

  it('encrypts local state, and reads and re-encrypts a state written before encryption', async () => {
    const state = { type: 'local' as const, dir: path.join(root, 'enc-state') };
    const plain = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state,
    });
    // a passphrase with what HCL would read as template sequences (it never reaches HCL: the key
    // derived from it does, through the environment)
    const passphrase = 'pass-${var.x}-%{if true}-"\\-phrase';
    const encrypted = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state,
      stateEncryptionPassphrase: passphrase,
    });
    const run = {
      environmentId: randomUUID(),
      moduleDir: path.join(blueprints, 'workspace/module'),
      variables: { service: 'orders', log_level: 'info', seed_rows: 0 },
      onLog: () => {},
    };
    const file = path.join(state.dir, `${safeId(run.environmentId)}.tfstate`);
    const { outputs } = await plain.apply(run);
    const token = outputs.api_token.value as string;
    expect(fs.readFileSync(file, 'utf8')).toContain(token); // before: in plain text
    // the same environment with encryption on: the old state is read, and written back encrypted
    const again = await encrypted.apply({
      ...run,
      variables: { ...run.variables, seed_rows: 3 },
    });
    expect(again.outputs.api_token.value).toBe(token);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('encrypted_data');
    expect(text).not.toContain(token);
    // the runner reads outputs from the encrypted state itself, with the same key; another key reads nothing
    expect(
      await new TofuState(state, tofuStateKey(passphrase)).outputs({ file }),
    ).toEqual(again.outputs);
    expect(
      await new TofuState(
        state,
        tofuStateKey('another-runner-passphrase'),
      ).outputs({ file }),
    ).toBeUndefined();
    expect(await new TofuState(state).outputs({ file })).toBeUndefined();
    // and OpenTofu with another passphrase cannot read it either
    const wrongKey = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state,
      stateEncryptionPassphrase: 'another-runner-passphrase',
    });
    await expect(wrongKey.apply(run)).rejects.toThrow(/tofu/);
    await encrypted.destroy(run);
    await encrypted.clean(run.environmentId);
  }, 120_000);

  it('destroys, with the current postgres-sandbox module, an environment created by the one before it (admin URL in state, unencrypted)', async () => {
    const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
    const state = { type: 'local' as const, dir: path.join(root, 'v1-state') };
    const environmentId = randomUUID();
    const name = `env_${safeId(environmentId)}`;
    try {
      const v1 = new TofuRunner({
        binary: tofu,
        workRoot: path.join(root, 'work'),
        state,
      });
      await v1.apply({
        environmentId,
        moduleDir: path.join(__dirname, '__fixtures__/postgres-sandbox-v1'),
        variables: { pg_admin_url: `${PG}/postgres`, extensions: 'citext' },
        onLog: () => {},
      });
      const current = new TofuRunner({
        binary: tofu,
        workRoot: path.join(root, 'work'),
        state,
        platformEnv: { postgresAdminUrl: `${PG}/postgres` },
        stateEncryptionPassphrase: 'a-passphrase-for-the-runner-test',
      });
      const logs: LogLine[] = [];
      await current.destroy({
        environmentId,
        moduleDir: path.join(blueprints, 'postgres-sandbox/module'),
        variables: { extensions: 'citext' },
        secretVariables: { password: randomUUID().replace(/-/g, '') }, // a new one: the old is only in its state
        envBundles: ['postgres-admin'],
        onLog: l => void logs.push(l),
      });
      expect(logs.map(l => l.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/Destroy complete! Resources: 4 destroyed/),
        ]),
      );
      const left = await admin.raw(
        'select (select count(*) from pg_database where datname = ?)::int as dbs, (select count(*) from pg_roles where rolname = ?)::int as roles',
        [name, name],
      );
      expect(left.rows[0]).toEqual({ dbs: 0, roles: 0 });
    } finally {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.raw(`DROP ROLE IF EXISTS ${name}`);
      await admin.destroy();
    }
  }, 120_000);

  it('fails a module whose apply fails, with its error in the log and the error', async () => {
    const moduleDir = path.join(root, 'failing');
    fs.mkdirSync(moduleDir, { recursive: true });
    fs.writeFileSync(
      path.join(moduleDir, 'main.tf'),
      'variable "environment_id" {}\nvariable "workdir" {}\nresource "terraform_data" "x" {\n  provisioner "local-exec" {\n    interpreter = ["node", "-e"]\n    command     = "process.exit(3)"\n  }\n}\n',
    );
    const runner = new TofuRunner({
      binary: tofu,
      workRoot: path.join(root, 'work'),
      state: { type: 'local', dir: path.join(root, 'state') },
    });
    const logs: LogLine[] = [];
    const failure = runner.apply({
      environmentId: randomUUID(),
      moduleDir,
      variables: {},
      onLog: l => void logs.push(l),
    });
    await expect(failure).rejects.toThrow(TofuError);
    await expect(failure).rejects.toThrow(
      /tofu apply failed \(exit 1\): .*local-exec provisioner error/,
    );
    expect(logs.some(l => l.level === 'error')).toBe(true);
  }, 60_000);
});
