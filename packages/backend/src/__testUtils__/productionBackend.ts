/*
 * Shared set-up of the production config tests (productionConfig.test.ts, productionBoot.test.ts):
 * the backend as the image runs it, src/index.ts (the image's plugin set) from the repository root
 * (the image's /app), with `--config app-config.yaml --config app-config.production.yaml`,
 * NODE_ENV=production and the production environment variables: PostgreSQL on 127.0.0.1:5432 (a
 * database prefix of this run's own), a real OPA, and random secrets of 32+ characters. The only
 * differences from the image: TypeScript is compiled on load (Backstage's node transform, as
 * `backstage-cli package start` does) instead of the bundle, the backend listens on a free loopback
 * port, and OpenTofu comes from .tools/bin when /usr/local/bin/tofu does not exist (iac.binary).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
// Backstage's own config loader, the one the backend uses.
import { ConfigSources } from '@backstage/config-loader';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import knexFactory from 'knex';

export const repoRoot = path.resolve(__dirname, '../../../..');
export const configArgs = [
  '--config',
  'app-config.yaml',
  '--config',
  'app-config.production.yaml',
];
export const pgUrl =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
export const opaBinary = path.join(repoRoot, '.tools/bin/opa');
export const tofuBinary = fs.existsSync('/usr/local/bin/tofu')
  ? undefined
  : path.join(repoRoot, '.tools/bin/tofu');
/** Databases of this run: backend.database.prefix + plugin id. */
export const dbPrefix = `prodcfg_${process.pid}_`;

/** How long one boot may take to become ready, or to fail. */
export const BOOT_TIMEOUT_MS = 120_000;

export const secret = () => randomBytes(33).toString('base64url'); // 44 characters

/** The environment of a production start: the image's variables, pointing at this machine. */
export function productionEnv(
  port: number,
  opaUrl: string,
): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    POSTGRES_HOST: '127.0.0.1',
    POSTGRES_PORT: '5432',
    POSTGRES_USER: 'postgres',
    POSTGRES_PASSWORD: secret(), // trust auth: any password
    PORTAL_BASE_URL: `http://127.0.0.1:${port}`,
    OPA_URL: opaUrl,
    DORA_GITHUB_SECRET: secret(),
    DORA_GITEA_SECRET: secret(),
    FORGE_HOST: 'forge.acme.example',
    FORGE_URL: 'https://forge.acme.example',
    FORGE_USERNAME: 'portal',
    FORGE_TOKEN: secret(),
    FORGE_ORGANISATION: 'acme',
    ENVIRONMENTS_SECRETS_KEY: secret(),
    ENVIRONMENTS_STATE_PASSPHRASE: secret(),
    // sign-in: the local forge as the OIDC provider when the tests have one, else an address that
    // answers nothing (discovery happens at the first sign-in, not at start)
    AUTH_OIDC_METADATA_URL: `${
      process.env.PORTAL_TEST_GITEA_URL ?? 'http://127.0.0.1:9'
    }/.well-known/openid-configuration`,
    AUTH_OIDC_CLIENT_ID: 'portal',
    AUTH_OIDC_CLIENT_SECRET: secret(),
    AUTH_SESSION_SECRET: secret(),
    // this machine, not the image: a port and databases of this run's own
    APP_CONFIG_backend_listen: `127.0.0.1:${port}`,
    APP_CONFIG_backend_database_prefix: dbPrefix,
  };
  if (tofuBinary) env.APP_CONFIG_iac_binary = tofuBinary;
  return env;
}

/** The config the backend would read with this environment, and each file's data after substitution. */
export async function loadConfig(env: Record<string, string>) {
  const source = ConfigSources.default({
    argv: configArgs.map(a =>
      a.endsWith('.yaml') ? path.join(repoRoot, a) : a,
    ),
    env,
    rootDir: repoRoot,
    substitutionFunc: async name => env[name]?.trim(),
  });
  const config = await ConfigSources.toConfig(source);
  config.close();
  const files: Record<string, any> = {};
  for await (const { configs } of source.readConfigData()) {
    for (const c of configs) files[path.basename(c.context)] = c.data;
    break;
  }
  return { config, files };
}

export interface Boot {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the backend as the image does; its own process group, so that it is stopped whole. */
export function boot(env: Record<string, string>): Boot {
  const child = spawn(
    process.execPath,
    [
      '--require',
      path.join(
        repoRoot,
        'node_modules/@backstage/cli-node/config/nodeTransform.cjs',
      ),
      'packages/backend/src/index.ts',
      ...configArgs,
    ],
    { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const chunks: string[] = [];
  child.stdout!.on('data', d => chunks.push(String(d)));
  child.stderr!.on('data', d => chunks.push(String(d)));
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  return { child, output: () => chunks.join(''), exited };
}

export async function stop(b: Boot) {
  if (b.child.exitCode !== null || b.child.signalCode !== null) return;
  try {
    process.kill(-b.child.pid!, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-b.child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 10_000);
  await b.exited;
  clearTimeout(timer);
}

/** Waits until the backend answers readiness with 200 ('ready') or exits (its exit code). */
export async function readyOrExit(
  b: Boot,
  baseUrl: string,
): Promise<'ready' | { code: number | null }> {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  let exit: { code: number | null } | undefined;
  b.exited.then(code => void (exit = { code }));
  while (Date.now() < deadline) {
    if (exit) return exit;
    const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`).catch(
      () => undefined,
    );
    if (res?.status === 200) return 'ready';
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `the backend neither became ready nor exited within ${BOOT_TIMEOUT_MS} ms; its output:\n${b
      .output()
      .slice(-3000)}`,
  );
}

/** Runs `tasks` with at most `limit` at a time; each result (or error) in its own promise. */
export function limited<T>(
  limit: number,
  tasks: Array<() => Promise<T>>,
): Array<Promise<T>> {
  let running = 0;
  const queue: Array<() => void> = [];
  const next = () => {
    if (running < limit && queue.length) {
      running++;
      queue.shift()!();
    }
  };
  return tasks.map(
    task =>
      new Promise<T>((resolve, reject) => {
        queue.push(() =>
          task()
            .then(resolve, reject)
            .finally(() => {
              running--;
              next();
            }),
        );
        next();
      }),
  );
}

/**
 * Boots at the same time, sharing the two cores (each boot is mostly compiling and loading
 * modules). At most BOOT_SLOTS of them run at once across the whole run in any case.
 */
export const CONCURRENT_BOOTS = 2;

export interface Outcome {
  env: Record<string, string>;
  result: 'ready' | { code: number | null };
  output: string;
  checks?: Record<string, unknown>;
}

/**
 * How many production boots may run at once across every test file of a run (Jest's workers are
 * processes, so `limited` alone cannot see the others'): each boot holds PostgreSQL connections
 * for a dozen plugins (20 to 25 while it starts), and the other Jest worker's database tests
 * hold theirs. Three at once, with a database test beside them, once ran the server out of its
 * 100 (CI, stop 20): two leave room.
 */
export const BOOT_SLOTS = 2;
/** The advisory lock class of the boot slots (any number no other code uses). */
const BOOT_LOCK_CLASS = 20261203;

/** Waits for one of the BOOT_SLOTS (a session-level advisory lock); the release it returns frees it. */
export async function bootSlot(): Promise<() => Promise<void>> {
  const session = knexFactory({
    client: 'pg',
    connection: `${pgUrl}/postgres`,
    pool: { min: 1, max: 1 },
  });
  for (;;) {
    for (let slot = 0; slot < BOOT_SLOTS; slot++) {
      const { rows } = await session.raw(
        'SELECT pg_try_advisory_lock(?, ?) AS ok',
        [BOOT_LOCK_CLASS, slot],
      );
      if (rows[0].ok)
        return async () => {
          await session.raw('SELECT pg_advisory_unlock(?, ?)', [
            BOOT_LOCK_CLASS,
            slot,
          ]);
          await session.destroy();
        };
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

/** Boots with `env` (in one of the BOOT_SLOTS); when ready, runs `whenReady` against it; then stops it. */
export async function run(
  env: Record<string, string>,
  whenReady?: (base: string) => Promise<Record<string, unknown>>,
): Promise<Outcome> {
  const release = await bootSlot();
  const b = boot(env);
  try {
    const result = await readyOrExit(b, env.PORTAL_BASE_URL);
    const checks =
      result === 'ready' && whenReady
        ? await whenReady(env.PORTAL_BASE_URL)
        : undefined;
    return { env, result, output: b.output(), checks };
  } finally {
    await stop(b);
    await release();
  }
}

/**
 * What a production boot runs against: a real `opa run --server` on policies/, and an admin
 * connection to PostgreSQL. stop() stops OPA and drops the databases of this run (dbPrefix).
 */
export async function startProductionStack() {
  const opa = await LocalOpaServer.start({
    binary: opaBinary,
    policyDir: path.join(repoRoot, 'policies'),
  });
  const admin = knexFactory({
    client: 'pg',
    connection: `${pgUrl}/postgres`,
    pool: { min: 0, max: 1 },
  });
  return {
    opa,
    async stop() {
      await opa.stop();
      const { rows } = await admin.raw(
        `SELECT datname FROM pg_database WHERE datname LIKE ?`,
        [`${dbPrefix}%`],
      );
      for (const { datname } of rows)
        await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [datname]);
      await admin.destroy();
    },
  };
}
