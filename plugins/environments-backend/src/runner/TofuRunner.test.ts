/*
 * The runner with the real OpenTofu from tools/ on the repository's blueprints: the workspace
 * with local state (the SQLite mode), postgres-sandbox against the local PostgreSQL with its
 * state in the pg backend (the PostgreSQL mode), and a module that fails.
 */
import knexFactory from 'knex';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  PG,
  REPO_BLUEPRINTS,
  tofuScratch,
} from '../__testUtils__/tofuFixtures';
import { LogLine } from './parseJsonLog';
import { safeId, TofuError, TofuRunner } from './TofuRunner';

describe('TofuRunner with the real OpenTofu', () => {
  const scratch = tofuScratch('runner-test-');

  it('applies the workspace blueprint with local state, reports outputs and drift, and destroys it', async () => {
    const runner = new TofuRunner({
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state: { type: 'local', dir: path.join(scratch.root(), 'state') },
    });
    const logs: LogLine[] = [];
    const run = {
      environmentId: randomUUID(),
      moduleDir: path.join(REPO_BLUEPRINTS, 'workspace/module'),
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
        path.join(
          scratch.root(),
          'state',
          `${safeId(run.environmentId)}.tfstate`,
        ),
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
        path.join(
          scratch.root(),
          'state',
          `${safeId(run.environmentId)}.tfstate`,
        ),
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
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state: { type: 'pg', connectionString: `${PG}/postgres?sslmode=disable` },
      platformEnv: { postgresAdminUrl: `${PG}/postgres` },
      stateEncryptionPassphrase: 'a-passphrase-for-the-runner-test',
    });
    const environmentId = randomUUID();
    const password = randomUUID().replace(/-/g, '');
    const logs: LogLine[] = [];
    const run = {
      environmentId,
      moduleDir: path.join(REPO_BLUEPRINTS, 'postgres-sandbox/module'),
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

  it('fails a module whose apply fails, with its error in the log and the error', async () => {
    const moduleDir = path.join(scratch.root(), 'failing');
    fs.mkdirSync(moduleDir, { recursive: true });
    fs.writeFileSync(
      path.join(moduleDir, 'main.tf'),
      'variable "environment_id" {}\nvariable "workdir" {}\nresource "terraform_data" "x" {\n  provisioner "local-exec" {\n    interpreter = ["node", "-e"]\n    command     = "process.exit(3)"\n  }\n}\n',
    );
    const runner = new TofuRunner({
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state: { type: 'local', dir: path.join(scratch.root(), 'state') },
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
