/*
 * Secrets at rest: the SecretBox (AES-256-GCM, key rotation), the store's encrypted secret outputs
 * and generated secrets on PostgreSQL 15 and SQLite (rows read back raw), the startup pass that
 * encrypts plain-text rows and re-encrypts after a rotation, and the production refusals.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { NewEnvironment } from '../store/types';
import { SecretBox } from './SecretBox';
import {
  DEVELOPMENT_SECRETS_KEY,
  DEVELOPMENT_STATE_PASSPHRASE,
  readSecretsConfig,
} from './secretsConfig';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const oldKey = {
  id: 'k2026a',
  secret: 'an-old-key-that-is-long-enough-0123456789',
};
const newKey = {
  id: 'k2026b',
  secret: 'a-new-key-that-is-long-enough-9876543210',
};
const PASSWORD = 'b6a1d0c4e7f2489cb1d3a5e9f0c2d4e6';

const request: NewEnvironment = {
  name: 'secret-db',
  blueprint: 'postgres-sandbox',
  owner: 'group:default/payments',
  requestedBy: 'user:default/dev',
  size: 'small',
  variables: {},
  costPerHour: 0.02,
  ttlHours: 24,
};
const allow = async () => ({ state: 'queued' as const, reason: 'allowed' });

describe('SecretBox', () => {
  it('encrypts with the first key, decrypts with any, and binds a value to its place', () => {
    const box = new SecretBox([oldKey]);
    const sealed = box.encrypt(PASSWORD, 'secret_outputs:a');
    expect(sealed).toMatch(/^enc:v1:k2026a:/);
    expect(sealed).not.toContain(PASSWORD);
    expect(box.encrypt(PASSWORD, 'secret_outputs:a')).not.toBe(sealed); // a fresh IV each time
    expect(box.decrypt(sealed, 'secret_outputs:a')).toBe(PASSWORD);
    expect(() => box.decrypt(sealed, 'secret_outputs:b')).toThrow(
      /does not decrypt/,
    );

    const rotated = new SecretBox([newKey, oldKey]);
    expect(rotated.decrypt(sealed, 'secret_outputs:a')).toBe(PASSWORD);
    expect(rotated.needsReencryption(sealed)).toBe(true);
    expect(rotated.needsReencryption(rotated.encrypt('x', 'y'))).toBe(false);
    expect(() =>
      new SecretBox([newKey]).decrypt(sealed, 'secret_outputs:a'),
    ).toThrow(/key k2026a, which is not in environments.secrets.keys/);
    expect(() => new SecretBox([{ id: 'a:b', secret: 'x' }])).toThrow(
      /keys\[0\].id/,
    );
  });
});

describe.each(databases.eachSupportedId())(
  'secrets at rest on %p',
  databaseId => {
    it('stores secret outputs and generated secrets encrypted, encrypts plain-text rows at start, and re-encrypts after a rotation', async () => {
      const knex = await databases.init(databaseId);
      const store = await EnvironmentStore.create(knex, {
        secrets: new SecretBox([oldKey]),
      });
      const { environment } = await store.admit(request, allow);
      const generated = await store.secrets.generated(environment.id, [
        'password',
      ]);
      expect(generated.password).toMatch(/^[0-9a-f]{32}$/);
      expect(
        await store.secrets.generated(environment.id, ['password']),
      ).toEqual(generated); // stable
      await store.transition(environment.id, 'provisioning', {
        actor: 'system:test',
      });
      await store.transition(environment.id, 'active', {
        actor: 'system:test',
        patch: {
          outputs: { database: 'env_x' },
          secretOutputs: {
            password: PASSWORD,
            connection_string: `postgresql://env_x:${PASSWORD}@h/env_x`,
          },
        },
      });
      const raw = async () =>
        knex('environments').where({ id: environment.id }).first();
      const row = await raw();
      expect(row.secret_outputs).toMatch(/^enc:v1:k2026a:/);
      expect(row.generated_secrets).toMatch(/^enc:v1:k2026a:/);
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
      expect(JSON.stringify(row)).not.toContain(generated.password);
      expect(await store.secrets.outputs(environment.id)).toMatchObject({
        password: PASSWORD,
      });

      // A row written before encryption (plain JSON) still reads, and the startup pass encrypts it.
      const { environment: legacy } = await store.admit(
        { ...request, name: 'legacy-db' },
        allow,
      );
      await knex('environments')
        .where({ id: legacy.id })
        .update({ secret_outputs: JSON.stringify({ password: PASSWORD }) });
      expect(await store.secrets.outputs(legacy.id)).toEqual({
        password: PASSWORD,
      });
      expect(await store.secrets.reencrypt(1)).toBe(1); // page size 1: the pass pages through every row
      expect(
        (await knex('environments').where({ id: legacy.id }).first())
          .secret_outputs,
      ).toMatch(/^enc:v1:k2026a:/);
      expect(await store.secrets.reencrypt()).toBe(0);

      // Rotation: a new key first, restart (the pass re-encrypts every value), then the old key goes.
      const rotated = await EnvironmentStore.create(knex, {
        skipMigrations: true,
        secrets: new SecretBox([newKey, oldKey]),
      });
      expect(await rotated.secrets.reencrypt()).toBe(3);
      const after = await raw();
      expect(after.secret_outputs).toMatch(/^enc:v1:k2026b:/);
      expect(after.generated_secrets).toMatch(/^enc:v1:k2026b:/);
      const newOnly = await EnvironmentStore.create(knex, {
        skipMigrations: true,
        secrets: new SecretBox([newKey]),
      });
      expect(await newOnly.secrets.outputs(environment.id)).toMatchObject({
        password: PASSWORD,
      });
      expect(await newOnly.secrets.outputs(legacy.id)).toEqual({
        password: PASSWORD,
      });
      expect(
        await newOnly.secrets.generated(environment.id, ['password']),
      ).toEqual(generated);
    });
  },
);

describe('readSecretsConfig', () => {
  const prod = { NODE_ENV: 'production' };
  const good = {
    environments: {
      secrets: { keys: [{ id: 'k1', secret: 'x'.repeat(32) }] },
      state: { encryption: { passphrase: 'y'.repeat(32) } },
    },
  };
  const withKeys = (
    keys: Array<{ id: string; secret: string }>,
    passphrase = 'y'.repeat(32),
  ) =>
    new ConfigReader({
      environments: {
        secrets: { keys },
        state: { encryption: { passphrase } },
      },
    });

  it('accepts long, non-development values in production', () => {
    expect(readSecretsConfig(new ConfigReader(good), prod)).toMatchObject({
      keys: [{ id: 'k1' }],
      warnings: [],
    });
  });

  it.each([
    [
      'no keys',
      new ConfigReader({ environments: { state: good.environments.state } }),
      /^environments.secrets.keys: is not set/,
    ],
    [
      'the development key',
      withKeys([DEVELOPMENT_SECRETS_KEY]),
      /^environments.secrets.keys\[0\].secret: is the development key/,
    ],
    [
      'a short key',
      withKeys([
        { id: 'k1', secret: 'x'.repeat(40) },
        { id: 'k0', secret: 'short-but-16-chars' },
      ]),
      /^environments.secrets.keys\[1\].secret: is shorter than 32 characters/,
    ],
    [
      'no passphrase',
      new ConfigReader({
        environments: { secrets: good.environments.secrets },
      }),
      /^environments.state.encryption.passphrase: is not set/,
    ],
    [
      'the development passphrase',
      withKeys(good.environments.secrets.keys, DEVELOPMENT_STATE_PASSPHRASE),
      /^environments.state.encryption.passphrase: is the development passphrase/,
    ],
    [
      'a short passphrase',
      withKeys(good.environments.secrets.keys, 'z'.repeat(31)),
      /^environments.state.encryption.passphrase: is shorter than 32/,
    ],
  ])(
    'refuses to start in production with %s, naming the key',
    (_, config, message) => {
      expect(() => readSecretsConfig(config, prod)).toThrow(message);
    },
  );

  it('falls back to the development values outside production, with a warning', () => {
    const dev = readSecretsConfig(new ConfigReader({}), {
      NODE_ENV: 'development',
    });
    expect(dev).toMatchObject({
      keys: [DEVELOPMENT_SECRETS_KEY],
      statePassphrase: DEVELOPMENT_STATE_PASSPHRASE,
    });
    expect(dev.warnings).toHaveLength(2);
  });
});
