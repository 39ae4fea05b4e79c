/*
 * The vending service end to end below HTTP, on PostgreSQL (state in the pg backend) and SQLite
 * (state in a folder), with a real OPA and the real OpenTofu (src/__testUtils__/lifecycleHarness.ts):
 * a postgres-sandbox provisioned, extended and reaped; a long TTL approved, checked for drift and
 * destroyed, another rejected.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import fs from 'node:fs';
import path from 'node:path';
import { safeId } from '../runner/TofuRunner';
import { ben, dev, lifecycleHarness } from '../__testUtils__/lifecycleHarness';
import { PG } from '../__testUtils__/tofuFixtures';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'environment lifecycle on %p',
  databaseId => {
    const h = lifecycleHarness(databases, databaseId);

    it('provisions a postgres-sandbox that connects, extends it within its maximum, and reaps it at expiry', async () => {
      const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
      try {
        const { environment } = await h.service.create(dev, {
          name: 'ledger-db',
          blueprint: 'postgres-sandbox',
          owner: 'group:default/payments',
          ttlHours: 24,
        });
        expect(environment.state).toBe('queued');
        await h.worker.drain();
        const active = await h.store.get(environment.id);
        expect(active).toMatchObject({
          state: 'active',
          outputs: { database: `env_${safeId(environment.id)}` },
        });
        expect(active.outputs).not.toHaveProperty('password');
        const secrets = await h.store.secrets.outputs(environment.id);
        const app = knexFactory({
          client: 'pg',
          connection: secrets.connection_string as string,
        });
        try {
          expect((await app.raw('select 1 as ok')).rows[0]).toEqual({ ok: 1 });
        } finally {
          await app.destroy();
        }

        const extended = await h.service.extend(dev, environment.id, {
          hours: 24,
        });
        expect(
          extended.expiresAt!.getTime() - active.expiresAt!.getTime(),
        ).toBe(24 * 3600_000);
        await expect(
          h.service.extend(dev, environment.id, { hours: 800 }),
        ).rejects.toThrow(/over postgres-sandbox's maximum of 720/);

        const reaped = await h.service.reapExpired(
          new Date(Date.now() + 49 * 3600_000),
        );
        expect(reaped.map(e => e.id)).toContain(environment.id);
        await h.worker.drain();
        expect((await h.store.get(environment.id)).state).toBe('destroyed');
        const name = `env_${safeId(environment.id)}`;
        const left = await admin.raw(
          'select (select count(*) from pg_database where datname = ?)::int as dbs, (select count(*) from pg_roles where rolname = ?)::int as roles',
          [name, name],
        );
        expect(left.rows[0]).toEqual({ dbs: 0, roles: 0 });
        expect(
          (await h.store.history.list(environment.id)).map(
            row => `${row.from ?? ''}>${row.to}`,
          ),
        ).toEqual([
          '>requested',
          'requested>queued',
          'queued>provisioning',
          'provisioning>active',
          'active>active',
          'active>destroying',
          'destroying>destroyed',
        ]);
        // Every state change audited, whoever made it: the developer, the worker, the reaper.
        expect(h.audited(environment.id)).toEqual([
          '>requested by user:default/dev',
          'requested>queued by user:default/dev',
          'queued>provisioning by system:test-worker',
          'provisioning>active by system:test-worker',
          'active>active by user:default/dev',
          'active>destroying by system:reaper',
          'destroying>destroyed by system:test-worker',
        ]);
      } finally {
        await admin.destroy();
      }
    }, 180_000);

    it('sends a TTL over the developer limit to approval with the reason, and runs it once approved', async () => {
      const { environment, reasons } = await h.service.create(dev, {
        name: 'long-one',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
      expect(environment.state).toBe('pending_approval');
      expect(reasons.join()).toMatch(/over the 168 hours a developer may set/);
      await h.service.decide(ben, environment.id, true);
      await h.worker.drain();
      const active = await h.store.get(environment.id);
      expect(active.state).toBe('active');

      // Drift: the scheduled refresh-only plan flags it when its files are gone, and clears it after.
      await h.service.checkDrift();
      await h.worker.drain();
      expect((await h.store.get(environment.id)).drift).toBe(false);
      const configFile = path.join(
        active.outputs!.path as string,
        'config.json',
      );
      const saved = fs.readFileSync(configFile);
      fs.rmSync(configFile);
      await h.service.checkDrift();
      await h.worker.drain();
      expect((await h.store.get(environment.id)).drift).toBe(true);
      fs.writeFileSync(configFile, saved);
      await h.service.checkDrift();
      await h.worker.drain();
      expect((await h.store.get(environment.id)).drift).toBe(false);
      await h.service.destroy(dev, environment.id);
      await h.worker.drain();
      expect((await h.store.get(environment.id)).state).toBe('destroyed');

      const other = await h.service.create(dev, {
        name: 'long-two',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
      await h.service.decide(ben, other.environment.id, false, 'not this week');
      expect(await h.store.get(other.environment.id)).toMatchObject({
        state: 'rejected',
      });
      expect(await h.store.runs.list(other.environment.id)).toEqual([]);
    }, 120_000);
  },
);
