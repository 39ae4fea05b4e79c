/*
 * The environments' secrets at rest (store.secrets) on PostgreSQL 15 and SQLite via TestDatabases:
 * secret outputs and generated secrets stored encrypted (rows read back raw), the startup pass
 * that encrypts plain-text rows and re-encrypts after a rotation.
 */
import { SecretBox } from '../secrets/SecretBox';
import { newEnvironment, storeDatabases } from '../__testUtils__/storeFixtures';
import { EnvironmentStore } from './EnvironmentStore';

const databases = storeDatabases();

const oldKey = {
  id: 'k2026a',
  secret: 'an-old-key-that-is-long-enough-0123456789',
};
const newKey = {
  id: 'k2026b',
  secret: 'a-new-key-that-is-long-enough-9876543210',
};
const PASSWORD = 'b6a1d0c4e7f2489cb1d3a5e9f0c2d4e6';

const request = newEnvironment({
  name: 'secret-db',
  variables: {},
  costPerHour: 0.02,
});
const allow = async () => ({ state: 'queued' as const, reason: 'allowed' });

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
