/*
 * The vending service end to end below HTTP: requests checked and sent through the guardrails in a
 * real OPA (the repository's policies), runs worked by the real OpenTofu on the repository's
 * blueprints, on PostgreSQL (state in the pg backend) and SQLite (state in a folder).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { HttpOpaClient, LocalOpaServer } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import knexFactory from 'knex';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { safeId, TofuRunner } from '../runner/TofuRunner';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { auditStateChanges } from './auditStateChanges';
import { EnvironmentService } from './EnvironmentService';
import { Guardrails } from './Guardrails';
import { RunWorker } from './RunWorker';

const repo = path.resolve(__dirname, '../../../..');
const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const dev = {
  userEntityRef: 'user:default/dev',
  ownershipEntityRefs: ['user:default/dev', 'group:default/payments'],
};
const ben = {
  userEntityRef: 'user:default/ben',
  ownershipEntityRefs: ['user:default/ben', 'group:default/platform'],
};

/** A blueprint folder with the repository's blueprints plus two that fail on purpose. */
function blueprintFolder(root: string) {
  const dir = path.join(root, 'blueprints');
  fs.cpSync(path.join(repo, 'templates/environments'), dir, {
    recursive: true,
  });
  const failing = (name: string, applyExit: number, destroyExit: number) => {
    fs.cpSync(path.join(dir, 'workspace'), path.join(dir, name), {
      recursive: true,
    });
    const file = path.join(dir, name, 'blueprint.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('name: workspace', `name: ${name}`),
    );
    fs.writeFileSync(
      path.join(dir, name, 'module', 'main.tf'),
      `variable "environment_id" {}\nvariable "workdir" {}\nvariable "service" {}\nvariable "log_level" {}\n` +
        `resource "terraform_data" "ok" {\n  provisioner "local-exec" {\n    when        = destroy\n    interpreter = ["node", "-e"]\n    command     = "process.exit(${destroyExit})"\n  }\n}\n` +
        `resource "terraform_data" "second" {\n  depends_on = [terraform_data.ok]\n  provisioner "local-exec" {\n    interpreter = ["node", "-e"]\n    command     = "process.exit(${applyExit})"\n  }\n}\n`,
    );
  };
  failing('fails-apply', 4, 0);
  failing('fails-destroy', 0, 5);
  return dir;
}

describe.each(databases.eachSupportedId())(
  'environment lifecycle on %p',
  databaseId => {
    let opa: LocalOpaServer;
    let client: HttpOpaClient;
    let root: string;
    let store: EnvironmentStore;
    let service: EnvironmentService;
    let worker: RunWorker;
    let blueprints: BlueprintCatalog;
    // Backstage's auditor service mock: records the events the real one would log
    const auditor = mockServices.auditor.mock();
    /** The state changes audited for one environment, as "from>to by actor". */
    const audited = (id: string) =>
      auditor.createEvent.mock.calls
        .map(([e]) => e)
        .filter(
          e =>
            e.eventId === 'environment-state-change' &&
            e.meta?.environment === id,
        )
        .map(e => `${e.meta!.from ?? ''}>${e.meta!.to} by ${e.meta!.actor}`);

    beforeAll(async () => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), 'env-lifecycle-'));
      // The guardrails offer the two failing test blueprints too (data merged beside policies/).
      const extra = path.join(root, 'policy-data');
      fs.mkdirSync(path.join(extra, 'portal/guardrails/blueprints'), {
        recursive: true,
      });
      const testBlueprint = {
        teams: ['*'],
        sizes: ['small', 'medium'],
        max_ttl_hours: { developer: 168, 'platform-engineer': 720, admin: 720 },
        hard_max_ttl_hours: 720,
      };
      fs.writeFileSync(
        path.join(extra, 'portal/guardrails/blueprints/data.json'),
        JSON.stringify({
          'fails-apply': testBlueprint,
          'fails-destroy': testBlueprint,
        }),
      );
      opa = await LocalOpaServer.start({
        binary: (await findTool(new ConfigReader({}), 'opa')).path,
        policyDir: path.join(repo, 'policies'),
        extraPaths: [extra],
      });
      client = new HttpOpaClient({ url: opa.url, cacheTtlMs: 0 });
      blueprints = BlueprintCatalog.load(blueprintFolder(root));
      expect(blueprints.errors()).toEqual([]);
      store = await EnvironmentStore.create(await databases.init(databaseId));
      auditStateChanges(store, auditor);
      const runner = new TofuRunner({
        binary: (await findTool(new ConfigReader({}), 'tofu')).path,
        workRoot: path.join(root, 'work'),
        state:
          databaseId === 'POSTGRES_15'
            ? { type: 'pg', connectionString: `${PG}/postgres?sslmode=disable` }
            : { type: 'local', dir: path.join(root, 'state') },
        platformEnv: { postgresAdminUrl: `${PG}/postgres` },
      });
      service = new EnvironmentService({
        store,
        blueprints,
        guardrails: new Guardrails(client),
      });
      worker = new RunWorker(store, blueprints, runner, {
        workerId: 'test-worker',
        retryBaseMs: 5,
        maxDestroyAttempts: 3,
      });
    }, 60_000);

    afterAll(async () => {
      client?.stop();
      await opa?.stop();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it('provisions a postgres-sandbox that connects, extends it within its maximum, and reaps it at expiry', async () => {
      const admin = knexFactory({ client: 'pg', connection: `${PG}/postgres` });
      try {
        const { environment } = await service.create(dev, {
          name: 'ledger-db',
          blueprint: 'postgres-sandbox',
          owner: 'group:default/payments',
          ttlHours: 24,
        });
        expect(environment.state).toBe('queued');
        await worker.drain();
        const active = await store.get(environment.id);
        expect(active).toMatchObject({
          state: 'active',
          outputs: { database: `env_${safeId(environment.id)}` },
        });
        expect(active.outputs).not.toHaveProperty('password');
        const secrets = await store.secrets.outputs(environment.id);
        const app = knexFactory({
          client: 'pg',
          connection: secrets.connection_string as string,
        });
        try {
          expect((await app.raw('select 1 as ok')).rows[0]).toEqual({ ok: 1 });
        } finally {
          await app.destroy();
        }

        const extended = await service.extend(dev, environment.id, {
          hours: 24,
        });
        expect(
          extended.expiresAt!.getTime() - active.expiresAt!.getTime(),
        ).toBe(24 * 3600_000);
        await expect(
          service.extend(dev, environment.id, { hours: 800 }),
        ).rejects.toThrow(/over postgres-sandbox's maximum of 720/);

        const reaped = await service.reapExpired(
          new Date(Date.now() + 49 * 3600_000),
        );
        expect(reaped.map(e => e.id)).toContain(environment.id);
        await worker.drain();
        expect((await store.get(environment.id)).state).toBe('destroyed');
        const name = `env_${safeId(environment.id)}`;
        const left = await admin.raw(
          'select (select count(*) from pg_database where datname = ?)::int as dbs, (select count(*) from pg_roles where rolname = ?)::int as roles',
          [name, name],
        );
        expect(left.rows[0]).toEqual({ dbs: 0, roles: 0 });
        expect(
          (await store.history.list(environment.id)).map(
            h => `${h.from ?? ''}>${h.to}`,
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
        expect(audited(environment.id)).toEqual([
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
      const { environment, reasons } = await service.create(dev, {
        name: 'long-one',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
      expect(environment.state).toBe('pending_approval');
      expect(reasons.join()).toMatch(/over the 168 hours a developer may set/);
      await service.decide(ben, environment.id, true);
      await worker.drain();
      const active = await store.get(environment.id);
      expect(active.state).toBe('active');

      // Drift: the scheduled refresh-only plan flags it when its files are gone, and clears it after.
      await service.checkDrift();
      await worker.drain();
      expect((await store.get(environment.id)).drift).toBe(false);
      const configFile = path.join(
        active.outputs!.path as string,
        'config.json',
      );
      const saved = fs.readFileSync(configFile);
      fs.rmSync(configFile);
      await service.checkDrift();
      await worker.drain();
      expect((await store.get(environment.id)).drift).toBe(true);
      fs.writeFileSync(configFile, saved);
      await service.checkDrift();
      await worker.drain();
      expect((await store.get(environment.id)).drift).toBe(false);
      await service.destroy(dev, environment.id);
      await worker.drain();
      expect((await store.get(environment.id)).state).toBe('destroyed');

      const other = await service.create(dev, {
        name: 'long-two',
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
      await service.decide(ben, other.environment.id, false, 'not this week');
      expect(await store.get(other.environment.id)).toMatchObject({
        state: 'rejected',
      });
      expect(await store.runs.list(other.environment.id)).toEqual([]);
    }, 120_000);

    it('refuses a team over its quota with the quota reason', async () => {
      const owner = `group:default/quota-${databaseId
        .toLowerCase()
        .replace(/_/g, '-')}`;
      const team = {
        ...dev,
        ownershipEntityRefs: [...dev.ownershipEntityRefs, owner],
      };
      for (let i = 0; i < 5; i++) {
        await service.create(team, {
          name: `q-${i}`,
          blueprint: 'workspace',
          owner,
        });
      }
      await expect(
        service.create(team, { name: 'q-5', blueprint: 'workspace', owner }),
      ).rejects.toThrow(/at its quota of 5 environments/);
      expect(
        (await store.list({ owners: [owner] })).filter(
          e => e.state === 'queued',
        ),
      ).toHaveLength(5);
    }, 60_000);

    it.each([
      [
        { name: 'x', blueprint: 'mainframe', owner: 'group:default/payments' },
        /blueprint: 'mainframe' is not a blueprint that can be requested/,
      ],
      [
        {
          name: 'x',
          blueprint: 'k8s-namespace',
          owner: 'group:default/payments',
        },
        /blueprint: 'k8s-namespace' is not a blueprint that can be requested/,
      ],
      [
        {
          name: 'x',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          variables: { log_level: 'trace' },
        },
        /variables.log_level: must be one of "debug", "info", "warn"/,
      ],
      [
        {
          name: 'x',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          variables: { service: 'a;rm -rf /' },
        },
        /variables.service: must match/,
      ],
      [
        {
          name: '../etc',
          blueprint: 'workspace',
          owner: 'group:default/payments',
        },
        /name: must be lower case words/,
      ],
      [
        {
          name: 'x$(id)',
          blueprint: 'workspace',
          owner: 'group:default/payments',
        },
        /name: must be lower case words/,
      ],
      [
        {
          name: 'x',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          ttlHours: -1,
        },
        /ttlHours: must be at least 1/,
      ],
      [
        {
          name: 'x',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          ttlHours: 1e9,
        },
        /ttlHours: must be at most 8760/,
      ],
      [
        {
          name: 'x',
          blueprint: 'workspace',
          owner: 'group:default/payments',
          size: 'huge',
        },
        /size: 'huge' is not a size of workspace/,
      ],
      [
        { name: 'x', blueprint: 'workspace', owner: 'payments' },
        /owner: must be a group entity ref/,
      ],
    ])(
      'refuses bad input %j with the field and the rule, and queues nothing',
      async (body, message) => {
        const before = (await store.list()).length;
        await expect(service.create(dev, body)).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
        expect((await store.list()).length).toBe(before);
      },
    );

    it('destroys what a failed apply left, keeps its logs, and ends destroyed', async () => {
      const { environment } = await service.create(ben, {
        name: 'broken',
        blueprint: 'fails-apply',
        owner: 'group:default/platform',
      });
      await worker.drain();
      expect((await store.get(environment.id)).state).toBe('destroyed');
      const runs = await store.runs.list(environment.id);
      expect(runs.map(r => `${r.kind}:${r.state}`)).toEqual([
        'apply:failed',
        'destroy:succeeded',
      ]);
      const applyLog = (await store.runs.logs(runs[0].id))
        .map(l => l.message)
        .join('\n');
      expect(applyLog).toMatch(/local-exec provisioner error/);
      // The destroy removed what the failed apply had created (terraform_data.ok), and nothing is left in its state.
      const destroyLog = (await store.runs.logs(runs[1].id))
        .map(l => l.message)
        .join('\n');
      expect(destroyLog).toMatch(/terraform_data\.ok: Destruction complete/);
      expect(destroyLog).toMatch(/Destroy complete! Resources: [12] destroyed/);
      expect(
        (await store.history.list(environment.id)).map(h => h.to),
      ).toContain('destroying');
    }, 120_000);

    it('retries a failing destroy with backoff and quarantines it, never marking it destroyed', async () => {
      const { environment } = await service.create(ben, {
        name: 'sticky',
        blueprint: 'fails-destroy',
        owner: 'group:default/platform',
      });
      await worker.drain();
      expect((await store.get(environment.id)).state).toBe('active');
      await service.destroy(ben, environment.id);
      for (let i = 0; i < 3; i++) {
        await worker.drain();
        await new Promise(r => setTimeout(r, 30)); // the backoff
      }
      await worker.drain();
      const env = await store.get(environment.id);
      expect(env.state).toBe('quarantined');
      const destroys = (await store.runs.list(environment.id)).filter(
        r => r.kind === 'destroy',
      );
      expect(destroys.map(r => `${r.attempt}:${r.state}`)).toEqual([
        '1:failed',
        '2:failed',
        '3:failed',
      ]);
      expect(
        (await store.history.list(environment.id)).map(h => h.to),
      ).not.toContain('destroyed');
      expect(audited(environment.id).slice(-1)).toEqual([
        'destroying>quarantined by system:test-worker',
      ]);
      expect(auditor.createEvent).toHaveBeenCalledWith(
        expect.objectContaining({
          eventId: 'environment-state-change',
          severityLevel: 'high',
          meta: expect.objectContaining({
            environment: environment.id,
            to: 'quarantined',
            reason: expect.stringMatching(/destroy/),
          }),
        }),
      );

      // A person retries it: a fresh destroy from attempt 1. Only a quarantined one can be retried.
      const retried = await service.retry(ben, environment.id);
      expect(retried.state).toBe('destroying');
      expect(
        (await store.runs.list(environment.id)).filter(
          r => r.kind === 'destroy' && r.state === 'queued',
        ),
      ).toEqual([expect.objectContaining({ attempt: 1 })]);
      await expect(service.retry(ben, environment.id)).rejects.toMatchObject({
        name: 'ConflictError',
        message:
          "only a quarantined environment's destroy can be retried; this one is destroying",
      });
      expect(
        (await store.history.list(environment.id)).slice(-1)[0],
      ).toMatchObject({
        from: 'quarantined',
        to: 'destroying',
        actor: 'user:default/ben',
        reason: 'destroy retried',
      });
    }, 180_000);
  },
);
