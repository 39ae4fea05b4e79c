/*
 * Two backend replicas as separate Node processes sharing one PostgreSQL (and one OPA with the
 * repository's policies, real OpenTofu, OpenTofu state in the pg backend): the run queue, the
 * admission lock and the takeover of a crashed replica's run, end to end. Sign-in is simulated with
 * Backstage's test-only mock credentials, each user's groups from catalog/org.yaml.
 *
 * The crash test kills a replica (SIGKILL to its process group: the backend and the OpenTofu and
 * psql processes it started, as when a container dies) while it applies postgres-sandbox, after
 * the role and the database exist and before the apply has finished (a test copy of the blueprint
 * has one more resource that waits five seconds, so that the kill lands there every time).
 */
import { ConfigReader } from '@backstage/config';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { safeId } from './runner/TofuRunner';
import { ReplicaProcess } from './__testUtils__/ReplicaProcess';
import { api, sql, stateOf, until } from './__testUtils__/replicaClient';
import { PG, REPO_BLUEPRINTS, REPO } from './__testUtils__/tofuFixtures';

const tag = `envrep_${Date.now().toString(36)}_${process.pid}`;

describe('two replicas sharing one PostgreSQL', () => {
  let opa: LocalOpaServer;
  let blueprintsDir: string;
  let root: string;
  const replicas: Record<string, ReplicaProcess> = {};
  const created = new Set<string>();
  const logs = () =>
    Object.values(replicas)
      .map(r => `--- ${r.name}\n${r.log()}`)
      .join('\n');

  const configFor = (name: string) => ({
    backend: { database: { client: 'pg', connection: PG, prefix: `${tag}_` } },
    permission: { enabled: true },
    // A generous timeout: this test is about replicas, and a loaded CI machine can keep OPA past the
    // default 200 ms, which fails closed (a 403 for a read the test polls).
    opa: { url: opa.url, cache: { ttlMs: 0 }, timeoutMs: 3000 },
    app: { baseUrl: 'http://localhost:3000' },
    environments: {
      blueprintsDir,
      workDir: path.join(root, name),
      state: { pgConnectionString: `${PG}/${tag}_state?sslmode=disable` },
      postgres: { adminUrl: `${PG}/postgres` },
      runs: {
        pollSeconds: 1,
        heartbeatSeconds: 1,
        staleAfterSeconds: 4,
        concurrency: 2,
      },
    },
  });

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-replicas-'));
    // The blueprints as in git, with one more resource in postgres-sandbox: a five-second wait
    // after the database is created, for the crash test to kill the replica in.
    blueprintsDir = path.join(root, 'blueprints');
    fs.cpSync(REPO_BLUEPRINTS, blueprintsDir, {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(blueprintsDir, 'postgres-sandbox/module/test_pause.tf'),
      [
        'resource "terraform_data" "pause" {',
        '  depends_on = [terraform_data.database]',
        '  provisioner "local-exec" {',
        '    interpreter = ["node", "-e"]',
        '    command     = "setTimeout(() => {}, 5000)"',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    await sql(`CREATE DATABASE ${tag}_state`);
    opa = await LocalOpaServer.start({
      binary: (await findTool(new ConfigReader({}), 'opa')).path,
      policyDir: path.join(REPO, 'policies'),
    });
    // one after the other: the first creates the plugin's database and runs its migrations
    replicas.a = await ReplicaProcess.start('a', configFor('a'));
    replicas.b = await ReplicaProcess.start('b', configFor('b'));
  }, 300_000);

  afterAll(async () => {
    await Promise.all(Object.values(replicas).map(r => r.stop()));
    await opa?.stop();
    // Whatever a failed test left behind: the sandboxes' databases and roles, then ours.
    for (const id of created) {
      await sql(`DROP DATABASE IF EXISTS env_${safeId(id)} WITH (FORCE)`).catch(
        () => {},
      );
      await sql(`DROP ROLE IF EXISTS env_${safeId(id)}`).catch(() => {});
    }
    for (const { datname } of await sql(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`${tag}_%`],
    )) {
      await sql(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    fs.rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('admits exactly a quota of 5 out of 20 concurrent requests, and provisions each once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api(i % 2 ? replicas.b : replicas.a, 'dev').post('/environments', {
          name: `burst-${i}`,
          blueprint: 'workspace',
          owner: 'group:default/payments',
        }),
      ),
    );
    const admitted = answers.filter(a => a.status === 201);
    const refused = answers.filter(a => a.status !== 201);
    admitted.forEach(a => created.add(a.body.environment.id));
    expect(admitted).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) {
      expect(r.status).toBe(403);
      expect(r.body.error.message).toMatch(
        /team group:default\/payments is at its quota of 5 environments \(\d running\)/,
      );
    }

    const ids: string[] = admitted.map(a => a.body.environment.id);
    const dev = api(replicas.a, 'dev');
    await until(
      'five active environments',
      async () => {
        const states = await Promise.all(ids.map(id => stateOf(dev, id)));
        if (states.includes(undefined)) return false;
        const gone = states.findIndex(
          s => s !== 'active' && s !== 'provisioning' && s !== 'queued',
        );
        if (gone >= 0)
          throw new Error(
            `unexpected state ${states[gone]}: ${JSON.stringify(
              (await dev.get(`/environments/${ids[gone]}`)).body.history,
            )}`,
          );
        return states.every(s => s === 'active');
      },
      90_000,
      logs,
    );
    // Exactly one apply per environment, claimed once, whichever replica claimed it.
    const claimers = new Set<string>();
    for (const id of ids) {
      const runs = (await dev.get(`/environments/${id}/runs`)).body.items;
      expect(runs).toEqual([
        expect.objectContaining({
          kind: 'apply',
          state: 'succeeded',
          attempt: 1,
        }),
      ]);
      claimers.add(runs[0].claimedBy);
      const lines = (
        await dev.get(`/environments/${id}/runs/${runs[0].id}/logs`)
      ).body.items.map((l: any) => l.message);
      expect(
        lines.filter((l: string) => /^Apply complete!/.test(l)),
      ).toHaveLength(1);
    }
    const team = (
      await dev.get('/environments?scope=team&state=active')
    ).body.items.map((e: any) => e.id);
    expect(team.sort()).toEqual([...ids].sort());

    // Destroyed through either replica; the quota is free again.
    await Promise.all(
      ids.map((id, i) =>
        api(i % 2 ? replicas.b : replicas.a, 'dev').post(
          `/environments/${id}/destroy`,
        ),
      ),
    );
    await until(
      'five destroyed environments',
      async () =>
        (
          await Promise.all(ids.map(id => stateOf(dev, id)))
        ).every(s => s === 'destroyed'),
      90_000,
      logs,
    );
    console.log(
      `20 concurrent requests: 5 admitted, 15 refused; applies claimed by ${claimers.size} worker(s)`,
    );
  }, 240_000);

  it('takes over the apply of a replica killed mid-apply, ends active, and leaves no orphaned database', async () => {
    const ben = api(replicas.a, 'ben');
    const res = await ben.post('/environments', {
      name: 'crash-db',
      blueprint: 'postgres-sandbox',
      owner: 'group:default/platform',
    });
    expect(res.status).toBe(201);
    const id: string = res.body.environment.id;
    created.add(id);
    const name = `env_${safeId(id)}`;

    // Wait until the apply is past CREATE ROLE and CREATE DATABASE, in the five-second wait.
    const run = await until(
      'the apply to reach the pause',
      async () => {
        const [r] = (await ben.get(`/environments/${id}/runs`)).body.items;
        if (!r || r.state !== 'running') return undefined;
        const lines = (
          await ben.get(`/environments/${id}/runs/${r.id}/logs`)
        ).body.items.map((l: any) => l.message);
        return lines.some((l: string) =>
          /terraform_data\.pause: Creating/.test(l),
        )
          ? r
          : undefined;
      },
      60_000,
      logs,
    );
    expect(
      await sql('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
    ).toHaveLength(1);
    expect(
      await sql('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]),
    ).toHaveLength(1);

    // SIGKILL the replica working the run, with its OpenTofu, then start it again.
    const victim = Object.entries(replicas).find(([, r]) =>
      run.claimedBy.endsWith(`:${r.pid}`),
    );
    expect(victim).toBeDefined();
    const [victimName, victimProcess] = victim!;
    await victimProcess.kill();
    replicas[victimName] = await ReplicaProcess.start(
      victimName,
      configFor(victimName),
    );
    const survivor = api(replicas[victimName === 'a' ? 'b' : 'a'], 'ben');

    const active = await until(
      'the environment to be active after the takeover',
      async () => {
        const got = await survivor.get(`/environments/${id}`);
        if (got.status !== 200) return undefined; // the restarted replica may not answer yet
        const env = got.body;
        if (
          ['destroying', 'destroyed', 'quarantined'].includes(
            env.environment.state,
          )
        )
          throw new Error(
            `ended ${env.environment.state}: ${JSON.stringify(env.history)}`,
          );
        return env.environment.state === 'active' ? env : undefined;
      },
      120_000,
      logs,
    );
    // The same run, taken over as attempt 2 by a worker other than the killed one.
    const [after] = (await survivor.get(`/environments/${id}/runs`)).body.items;
    expect(after).toMatchObject({
      id: run.id,
      kind: 'apply',
      state: 'succeeded',
      attempt: 2,
    });
    expect(after.claimedBy).not.toBe(run.claimedBy);
    const lines = (
      await survivor.get(`/environments/${id}/runs/${run.id}/logs`)
    ).body.items.map((l: any) => l.message);
    expect(lines.some((l: string) => /attempt 2, on /.test(l))).toBe(true);
    expect(active.history.map((h: any) => h.to)).toEqual([
      'requested',
      'queued',
      'provisioning',
      'active',
    ]);

    // One database and one role, adopted by the second attempt, and the output connects.
    expect(
      await sql('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
    ).toHaveLength(1);
    const { secrets } = (await survivor.get(`/environments/${id}/secrets`))
      .body;
    expect(
      await sql(
        'SELECT current_user AS u, current_database() AS d',
        [],
        secrets.connection_string,
      ),
    ).toEqual([{ u: name, d: name }]);

    // Destroyed, nothing of it is left.
    expect((await survivor.post(`/environments/${id}/destroy`)).status).toBe(
      202,
    );
    await until(
      'destroyed',
      async () => (await stateOf(survivor, id)) === 'destroyed',
      90_000,
      logs,
    );
    expect(
      await sql('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
    ).toHaveLength(0);
    expect(
      await sql('SELECT 1 FROM pg_roles WHERE rolname = $1', [name]),
    ).toHaveLength(0);
  }, 300_000);
});
