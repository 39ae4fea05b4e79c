/*
 * Test-only: the vending service end to end below HTTP, as the lifecycle tests run it: requests
 * checked and sent through the guardrails in a real OPA (the repository's policies, and guardrails
 * for two blueprints that fail on purpose), runs worked by the real OpenTofu on the repository's
 * blueprints, the store on the given engine (OpenTofu state in the pg backend on PostgreSQL, in a
 * folder on SQLite), and Backstage's auditor mock. Imported by *.test.ts files alone.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { HttpOpaClient, LocalOpaServer } from '@internal/plugin-opa-node';
import { findTool } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlueprintCatalog } from '../blueprints/BlueprintCatalog';
import { TofuRunner } from '../runner/TofuRunner';
import { auditStateChanges } from '../service/auditStateChanges';
import { EnvironmentService } from '../service/EnvironmentService';
import { Guardrails } from '../service/Guardrails';
import { RunWorker } from '../service/RunWorker';
import { EnvironmentStore } from '../store/EnvironmentStore';
import { PG, REPO, REPO_BLUEPRINTS } from './tofuFixtures';

/** A developer of payments. */
export const dev = {
  userEntityRef: 'user:default/dev',
  ownershipEntityRefs: ['user:default/dev', 'group:default/payments'],
};

/** A platform engineer. */
export const ben = {
  userEntityRef: 'user:default/ben',
  ownershipEntityRefs: ['user:default/ben', 'group:default/platform'],
};

/** A blueprint folder with the repository's blueprints plus two that fail on purpose. */
function blueprintFolder(root: string) {
  const dir = path.join(root, 'blueprints');
  fs.cpSync(REPO_BLUEPRINTS, dir, {
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

/** What the lifecycle tests work with; set before their tests run. */
export interface Lifecycle {
  root: string;
  store: EnvironmentStore;
  service: EnvironmentService;
  /** Works the run queue: `drain` runs every due run. */
  worker: RunWorker;
  /** Backstage's auditor service mock: records the events the real one would log. */
  auditor: ReturnType<typeof mockServices.auditor.mock>;
  /** The state changes audited for one environment, as "from>to by actor". */
  audited(id: string): string[];
}

/**
 * Sets up the service, its store on `databaseId`, OPA and the runner before the tests of the
 * calling describe block, and stops OPA after them.
 */
export function lifecycleHarness(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Lifecycle {
  let opa: LocalOpaServer;
  let client: HttpOpaClient;
  const auditor = mockServices.auditor.mock();
  const ctx = {
    auditor,
    audited: (id: string) =>
      auditor.createEvent.mock.calls
        .map(([e]) => e)
        .filter(
          e =>
            e.eventId === 'environment-state-change' &&
            e.meta?.environment === id,
        )
        .map(e => `${e.meta!.from ?? ''}>${e.meta!.to} by ${e.meta!.actor}`),
  } as Lifecycle;

  beforeAll(async () => {
    ctx.root = fs.mkdtempSync(path.join(os.tmpdir(), 'env-lifecycle-'));
    // The guardrails offer the two failing test blueprints too (data merged beside policies/).
    const extra = path.join(ctx.root, 'policy-data');
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
      policyDir: path.join(REPO, 'policies'),
      extraPaths: [extra],
    });
    client = new HttpOpaClient({
      url: opa.url,
      cacheTtlMs: 0,
      // what OPA decides, not how fast: a loaded machine may take more than the 200 ms default
      timeoutMs: 5000,
    });
    const blueprints = BlueprintCatalog.load(blueprintFolder(ctx.root));
    expect(blueprints.errors()).toEqual([]);
    ctx.store = await EnvironmentStore.create(await databases.init(databaseId));
    auditStateChanges(ctx.store, ctx.auditor);
    const runner = new TofuRunner({
      binary: (await findTool(new ConfigReader({}), 'tofu')).path,
      workRoot: path.join(ctx.root, 'work'),
      state:
        databaseId === 'POSTGRES_15'
          ? { type: 'pg', connectionString: `${PG}/postgres?sslmode=disable` }
          : { type: 'local', dir: path.join(ctx.root, 'state') },
      platformEnv: { postgresAdminUrl: `${PG}/postgres` },
    });
    ctx.service = new EnvironmentService({
      store: ctx.store,
      blueprints,
      guardrails: new Guardrails(client),
    });
    ctx.worker = new RunWorker(ctx.store, blueprints, runner, {
      workerId: 'test-worker',
      retryBaseMs: 5,
      maxDestroyAttempts: 3,
    });
  }, 60_000);

  afterAll(async () => {
    client?.stop();
    await opa?.stop();
    fs.rmSync(ctx.root, { recursive: true, force: true });
  });

  return ctx;
}
