/*
 * Benchmark (asserts nothing about time). Run with bench/environments.sh; appends to
 * docs/benchmarks.md. Side by side in one run, for postgres-sandbox on the local PostgreSQL:
 *  - portal: request (validation, guardrails in OPA, admission) to active (queue, init, apply,
 *    outputs, transitions), and destroy request to destroyed, with the worker started by the
 *    queue as in the plugin; state in the pg backend;
 *  - baselines: a plain `tofu init && tofu apply` (and `tofu destroy`) of the same module in a
 *    fresh folder, with the same pg backend, and with local state.
 * Then 20 concurrent requests of the workspace blueprint worked by 4 workers: throughput.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { HttpOpaClient, LocalOpaServer } from '@internal/plugin-opa-node';
import {
  appendBenchmarkSection,
  describeMachine,
} from '@internal/backend-test-utils';
import { findTool } from '@internal/plugin-platform-node';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { BlueprintCatalog } from '../src/blueprints/BlueprintCatalog';
import { libpqEnv } from '../src/runner/runnerEnv';
import { TofuRunner } from '../src/runner/TofuRunner';
import { EnvironmentStore } from '../src/store/EnvironmentStore';
import { EnvironmentService } from '../src/service/EnvironmentService';
import { Guardrails } from '../src/service/Guardrails';
import { RunWorker } from '../src/service/RunWorker';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '../../..');
const PG =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });
const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ben = {
  userEntityRef: 'user:default/ben',
  ownershipEntityRefs: ['user:default/ben', 'group:default/platform'],
};

it(
  'measures the portal against plain tofu',
  async () => {
    const tofu = (await findTool(new ConfigReader({}), 'tofu')).path;
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-environments-'));
    // A bench team whose quota (20) admits every one of the 20 concurrent requests, merged into the
    // guardrails' data beside policies/, so the throughput is that of 20 environments.
    const extra = path.join(root, 'policy-data');
    fs.mkdirSync(path.join(extra, 'portal/guardrails/quotas'), {
      recursive: true,
    });
    fs.writeFileSync(
      path.join(extra, 'portal/guardrails/quotas/data.json'),
      JSON.stringify({
        'group:default/bench': { count: 20, cost_per_day: 10000 },
      }),
    );
    const opa = await LocalOpaServer.start({
      binary: (await findTool(new ConfigReader({}), 'opa')).path,
      policyDir: path.join(repo, 'policies'),
      extraPaths: [extra],
    });
    const client = new HttpOpaClient({ url: opa.url, cacheTtlMs: 0 });
    try {
      const store = await EnvironmentStore.create(
        await databases.init('POSTGRES_15'),
      );
      const blueprints = BlueprintCatalog.load(
        path.join(repo, 'templates/environments'),
      );
      const runner = new TofuRunner({
        binary: tofu,
        workRoot: path.join(root, 'work'),
        state: {
          type: 'pg',
          connectionString: `${PG}/postgres?sslmode=disable`,
        },
        platformEnv: { postgresAdminUrl: `${PG}/postgres` },
        stateEncryptionPassphrase: 'bench-state-passphrase-0123456789',
      });
      const service = new EnvironmentService({
        store,
        blueprints,
        guardrails: new Guardrails(client),
      });
      const worker = (id: string) =>
        new RunWorker(store, blueprints, runner, { workerId: id });
      const w = worker('bench-1');
      const unsubscribe = store.runs.onQueued(() => void w.kick()); // as plugin.ts wires it
      const module = path.join(
        repo,
        'templates/environments/postgres-sandbox/module',
      );

      const portal = { up: [] as number[], down: [] as number[] };
      const plain = { up: [] as number[], down: [] as number[] };
      const plainPg = { up: [] as number[], down: [] as number[] };
      // plain tofu gets the module's admin connection and password the way the runner passes them
      const moduleEnv = {
        ...process.env,
        ...libpqEnv(`${PG}/postgres`),
        TF_VAR_password: randomUUID().replace(/-/g, ''),
      };
      const pgEnv = {
        ...moduleEnv,
        PG_CONN_STR: `${PG}/postgres?sslmode=disable`,
      };
      for (let i = 0; i < ROUNDS; i++) {
        // portal
        let t = performance.now();
        const { environment } = await service.create(ben, {
          name: `bench-${i}`,
          blueprint: 'postgres-sandbox',
          owner: 'group:default/platform',
        });
        await w.kick(); // resolves when the queue the create started is empty
        portal.up.push(performance.now() - t);
        expect((await store.get(environment.id)).state).toBe('active');
        t = performance.now();
        await service.destroy(ben, environment.id);
        await w.kick();
        portal.down.push(performance.now() - t);
        expect((await store.get(environment.id)).state).toBe('destroyed');
        // plain tofu, same module, local state
        const dir = path.join(root, `plain-${i}`);
        fs.cpSync(module, dir, { recursive: true });
        const vars = [
          '-var',
          `environment_id=plain${i}x${Date.now().toString(36)}`,
          '-var',
          `workdir=${dir}`,
        ];
        t = performance.now();
        await run(tofu, ['init', '-input=false', '-no-color'], {
          cwd: dir,
          env: moduleEnv,
        });
        await run(
          tofu,
          ['apply', '-input=false', '-auto-approve', '-no-color', ...vars],
          { cwd: dir, env: moduleEnv },
        );
        plain.up.push(performance.now() - t);
        t = performance.now();
        await run(
          tofu,
          ['destroy', '-input=false', '-auto-approve', '-no-color', ...vars],
          { cwd: dir, env: moduleEnv },
        );
        plain.down.push(performance.now() - t);
        // plain tofu, same module, state in the same pg backend as the portal's
        const pgDir = path.join(root, `plain-pg-${i}`);
        fs.cpSync(module, pgDir, { recursive: true });
        const schema = `plainpg${i}x${Date.now().toString(36)}`;
        fs.writeFileSync(
          path.join(pgDir, 'backend.tf.json'),
          JSON.stringify({
            terraform: { backend: { pg: { schema_name: schema } } },
          }),
        );
        const pgVars = [
          '-var',
          `environment_id=${schema}`,
          '-var',
          `workdir=${pgDir}`,
        ];
        t = performance.now();
        await run(tofu, ['init', '-input=false', '-no-color'], {
          cwd: pgDir,
          env: pgEnv,
        });
        await run(
          tofu,
          ['apply', '-input=false', '-auto-approve', '-no-color', ...pgVars],
          { cwd: pgDir, env: pgEnv },
        );
        plainPg.up.push(performance.now() - t);
        t = performance.now();
        await run(
          tofu,
          ['destroy', '-input=false', '-auto-approve', '-no-color', ...pgVars],
          { cwd: pgDir, env: pgEnv },
        );
        plainPg.down.push(performance.now() - t);
        await run('psql', [
          `${PG}/postgres`,
          '-qc',
          `DROP SCHEMA ${schema} CASCADE`,
        ]);
      }
      unsubscribe();

      // 20 concurrent requests (workspace), worked by 4 workers
      const t0 = performance.now();
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          service
            .create(
              {
                ...ben,
                ownershipEntityRefs: [
                  ...ben.ownershipEntityRefs,
                  'group:default/bench',
                ],
              },
              {
                name: `c-${i}`,
                blueprint: 'workspace',
                owner: 'group:default/bench',
              },
            )
            .catch(e => e),
        ),
      );
      await Promise.all(
        ['a', 'b', 'c', 'd'].map(id => worker(`bench-${id}`).drain()),
      );
      const elapsed = (performance.now() - t0) / 1000;
      const active = (await store.list({ states: ['active'] })).length;
      const refused = created.filter(c => c instanceof Error).length;

      const r = (a: number[], b: number[]) =>
        (median(a) / median(b)).toFixed(2);
      const s = (xs: number[]) => (median(xs) / 1000).toFixed(2);
      const section = [
        `## Environments, ${new Date().toISOString().slice(0, 10)}`,
        '',
        `Machine: ${describeMachine()}. Command: \`bench/environments.sh\` (${ROUNDS} rounds, medians).`,
        '',
        '| postgres-sandbox | portal s (pg state) | plain tofu s, pg state | ratio (target ≤ 1.3) | plain tofu s, local state | ratio |',
        '| --- | ---: | ---: | ---: | ---: | ---: |',
        `| request → active vs \`tofu init && tofu apply\` | ${s(
          portal.up,
        )} | ${s(plainPg.up)} | ${r(portal.up, plainPg.up)} | ${s(
          plain.up,
        )} | ${r(portal.up, plain.up)} |`,
        `| destroy request → destroyed vs \`tofu destroy\` | ${s(
          portal.down,
        )} | ${s(plainPg.down)} | ${r(portal.down, plainPg.down)} | ${s(
          plain.down,
        )} | ${r(portal.down, plain.down)} |`,
        '',
        `20 concurrent workspace requests for one team (a bench team with a quota of 20), from request to active: ${
          20 - refused
        } admitted, ${refused} refused${
          refused
            ? ` (${
                created.filter(c => c instanceof Error).map(e => e.message)[0]
              })`
            : ''
        }; ${active} active after ${elapsed.toFixed(1)} s with 4 workers: ${(
          active / elapsed
        ).toFixed(2)} environments a second.`,
        '',
        'The portal keeps state in PostgreSQL (the pg backend); the first baseline uses the same backend, the second a local state file. The portal skips `init` when the folder is already initialised for the same module and backend (a destroy on the replica that applied). Since the security hardening it also encrypts the state (OpenTofu state encryption, AES-GCM with an external key provider) and decrypts it to read outputs, and it generates, encrypts and stores the password and redacts every log line; the baselines do none of that, as a plain `tofu apply` would not.',
        '',
      ].join('\n');
      appendBenchmarkSection(section);
      console.log(section);
      for (const e of await store.list({ states: ['active'] }))
        await service.destroy(ben, e.id);
      await w.drain();
      await runner.close();
    } finally {
      client.stop();
      await opa.stop();
      fs.rmSync(root, { recursive: true, force: true });
    }
  },
  30 * 60_000,
);
