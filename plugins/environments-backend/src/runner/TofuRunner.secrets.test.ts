/*
 * What OpenTofu sees and keeps, with the real OpenTofu from tools/: an allow-listed environment
 * (not the backend's), state encrypted with a key derived from the passphrase (and a state written
 * before encryption read and re-encrypted), and the destroy, by the current postgres-sandbox
 * module, of an environment whose state the module before it wrote with the admin URL in it.
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
import { tofuStateKey } from './stateEncryption';
import { safeId, TofuRunner } from './TofuRunner';
import { TofuState } from './tofuState';

describe('TofuRunner: the environment and state OpenTofu gets', () => {
  const scratch = tofuScratch('runner-secrets-test-');

  it("gives OpenTofu and its provisioners an allow-listed environment, not the backend's", async () => {
    const moduleDir = path.join(scratch.root(), 'env-dump');
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
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state: { type: 'local', dir: path.join(scratch.root(), 'state') },
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
    // the provider mirror's CLI config, when the backend has one
    expect(seen.TF_CLI_CONFIG_FILE).toBe(process.env.TF_CLI_CONFIG_FILE);
    // without the bundle, no admin connection
    expect(runner.environment({ envBundles: [] })).not.toHaveProperty(
      'PGPASSWORD',
    );
    expect(() =>
      new TofuRunner({
        binary: scratch.tofu(),
        workRoot: scratch.root(),
        state: { type: 'local', dir: scratch.root() },
      }).environment({ envBundles: ['postgres-admin'] }),
    ).toThrow(
      /needs postgres-admin, but environments.postgres.adminUrl is not set/,
    );
  }, 60_000);

  it('encrypts local state, and reads and re-encrypts a state written before encryption', async () => {
    const state = {
      type: 'local' as const,
      dir: path.join(scratch.root(), 'enc-state'),
    };
    const plain = new TofuRunner({
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state,
    });
    // a passphrase with what HCL would read as template sequences (it never reaches HCL: the key
    // derived from it does, through the environment)
    const passphrase = 'pass-${var.x}-%{if true}-"\\-phrase';
    const encrypted = new TofuRunner({
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state,
      stateEncryptionPassphrase: passphrase,
    });
    const run = {
      environmentId: randomUUID(),
      moduleDir: path.join(REPO_BLUEPRINTS, 'workspace/module'),
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
      binary: scratch.tofu(),
      workRoot: path.join(scratch.root(), 'work'),
      state,
      stateEncryptionPassphrase: 'another-runner-passphrase',
    });
    await expect(wrongKey.apply(run)).rejects.toThrow(/tofu/);
    await encrypted.destroy(run);
    await encrypted.clean(run.environmentId);
  }, 120_000);

  it('destroys, with the current postgres-sandbox module, an environment created by the one before it (admin URL in state, unencrypted)', async () => {
    const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
    const state = {
      type: 'local' as const,
      dir: path.join(scratch.root(), 'v1-state'),
    };
    const environmentId = randomUUID();
    const name = `env_${safeId(environmentId)}`;
    try {
      const v1 = new TofuRunner({
        binary: scratch.tofu(),
        workRoot: path.join(scratch.root(), 'work'),
        state,
      });
      await v1.apply({
        environmentId,
        moduleDir: path.join(__dirname, '__fixtures__/postgres-sandbox-v1'),
        variables: { pg_admin_url: `${PG}/postgres`, extensions: 'citext' },
        onLog: () => {},
      });
      const current = new TofuRunner({
        binary: scratch.tofu(),
        workRoot: path.join(scratch.root(), 'work'),
        state,
        platformEnv: { postgresAdminUrl: `${PG}/postgres` },
        stateEncryptionPassphrase: 'a-passphrase-for-the-runner-test',
      });
      const logs: LogLine[] = [];
      await current.destroy({
        environmentId,
        moduleDir: path.join(REPO_BLUEPRINTS, 'postgres-sandbox/module'),
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
});
