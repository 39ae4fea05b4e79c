/*
 * Production never starts with a development default (issue 11).
 *
 * The backend runs as the image runs it: src/index.ts (the image's plugin set), from the repository
 * root (the image's /app), with `--config app-config.yaml --config app-config.production.yaml`,
 * NODE_ENV=production and the production environment variables: PostgreSQL on 127.0.0.1:5432 (a
 * database prefix of this run's own, dropped afterwards), a real `opa run --server` on policies/,
 * and random secrets of 32+ characters. The only differences from the image: TypeScript is compiled
 * on load (Backstage's node transform, as `backstage-cli package start` does) instead of the bundle,
 * the backend listens on a free loopback port, and OpenTofu comes from .tools/bin when
 * /usr/local/bin/tofu does not exist (iac.binary).
 *
 * - The effective config (loaded with Backstage's config loader, as the backend loads it) has no
 *   demo source, no seeding, no unconditional OPA fallback, and every key it still inherits from
 *   app-config.yaml is one reviewed below.
 * - The backend becomes ready, answers no webhook for the demo source, accepts one signed with the
 *   production secret, stored no demo delivery, and signs no one in as guest.
 * - With one setting changed to a development default, the start fails and the error names the key
 *   (and never contains the secret's value).
 */

import { ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { Knex } from 'knex';
// Backstage's own config loader, the one the backend uses.
import { ConfigSources } from '@backstage/config-loader';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { freePort } from '@internal/plugin-platform-node';

const repoRoot = path.resolve(__dirname, '../../..');
const configArgs = [
  '--config',
  'app-config.yaml',
  '--config',
  'app-config.production.yaml',
];
const pgUrl =
  process.env.PORTAL_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const opaBinary = path.join(repoRoot, '.tools/bin/opa');
const tofuBinary = fs.existsSync('/usr/local/bin/tofu')
  ? undefined
  : path.join(repoRoot, '.tools/bin/tofu');
/** Databases of this run: backend.database.prefix + plugin id. */
const dbPrefix = `prodcfg_${process.pid}_`;

/** How long one boot may take to become ready, or to fail. */
const BOOT_TIMEOUT_MS = 120_000;

const secret = () => randomBytes(33).toString('base64url'); // 44 characters

/**
 * Keys of app-config.yaml that production still inherits, each reviewed: none is a secret, a
 * development address, a local path that production uses, or an unconditional permission.
 */
const REVIEWED_INHERITED: Record<string, string> = {
  'app.title': 'the portal name',
  'app.packages': 'frontend packages discovered from packages/app',
  'organization.name': 'the organisation name',
  'backend.cors.methods': 'methods for the same origin as PORTAL_BASE_URL',
  'backend.cors.credentials': 'credentials only for that origin',
  'backend.actions.pluginSources':
    'MCP actions; every call still needs Backstage credentials and permissions',
  'techdocs.generator.runIn':
    'unused: production sets techdocs.builder external',
  'techdocs.publisher.type': 'local: sites published into the backend by CI',
  'auth.clientIdMetadataDocuments.enabled': 'false, the secure default',
  'catalog.import.entityFilename': 'catalog-info.yaml, the convention',
  'catalog.import.pullRequestBranchName': 'the import branch name',
  'catalog.rules': 'which kinds the catalog accepts',
  'search.collators.catalog.schedule.frequency.minutes': 'indexing schedule',
  'search.collators.catalog.schedule.timeout.minutes': 'indexing schedule',
  'search.collators.catalog.schedule.initialDelay.seconds': 'indexing schedule',
  'permission.enabled':
    'true: every decision goes through the permission framework',
  'opa.local.policyDir':
    'unused: opa.url is always set in production, so no local OPA starts',
  'opa.local.decisionLogFile': 'unused, as opa.local.policyDir',
  'opa.timeoutMs': '200 ms, then the fallback',
  'opa.cache.ttlMs': 'decision cache',
  'opa.fallback.conditional':
    'catalog reads keep the visibility condition while OPA is down (no unconditional allow)',
  'dora.scorecards.initialDelay.seconds':
    'first scorecard evaluation after start',
  'mcpActions.description': 'MCP server description',
};

/** The environment of a production start: the image's variables, pointing at this machine. */
function productionEnv(port: number, opaUrl: string): Record<string, string> {
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
    ENVIRONMENTS_SECRETS_KEY: secret(),
    ENVIRONMENTS_STATE_PASSPHRASE: secret(),
    // this machine, not the image: a port and databases of this run's own
    APP_CONFIG_backend_listen: `127.0.0.1:${port}`,
    APP_CONFIG_backend_database_prefix: dbPrefix,
  };
  if (tofuBinary) env.APP_CONFIG_iac_binary = tofuBinary;
  return env;
}

/** The config the backend would read with this environment, and each file's data after substitution. */
async function loadConfig(env: Record<string, string>) {
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

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The leaf keys of `base` whose value reaches the merged config because `over` does not set them
 * (Backstage's merge: objects merge, arrays and scalars replace, null removes).
 */
function inherited(base: unknown, over: unknown, at = ''): string[] {
  if (over === null || base === null || base === undefined) return [];
  if (over === undefined) {
    if (!isObject(base)) return [at];
    return Object.entries(base).flatMap(([k, v]) =>
      inherited(v, undefined, at ? `${at}.${k}` : k),
    );
  }
  if (isObject(base) && isObject(over)) {
    return Object.entries(base).flatMap(([k, v]) =>
      inherited(v, over[k], at ? `${at}.${k}` : k),
    );
  }
  return [];
}

interface Boot {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the backend as the image does; its own process group, so that it is stopped whole. */
function boot(env: Record<string, string>): Boot {
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

async function stop(b: Boot) {
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
async function readyOrExit(
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
function limited<T>(
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

/** Boots at the same time, sharing the two cores (each boot is mostly compiling and loading modules). */
const CONCURRENT_BOOTS = 4;

jest.setTimeout(4 * BOOT_TIMEOUT_MS);

describe('app-config.yaml + app-config.production.yaml with NODE_ENV=production', () => {
  let opa: LocalOpaServer;
  let admin: Knex;

  beforeAll(async () => {
    opa = await LocalOpaServer.start({
      binary: opaBinary,
      policyDir: path.join(repoRoot, 'policies'),
    });
    admin = knexFactory({
      client: 'pg',
      connection: `${pgUrl}/postgres`,
      pool: { min: 0, max: 1 },
    });
  });

  afterAll(async () => {
    await opa?.stop();
    if (admin) {
      const { rows } = await admin.raw(
        `SELECT datname FROM pg_database WHERE datname LIKE ?`,
        [`${dbPrefix}%`],
      );
      for (const { datname } of rows)
        await admin.raw(`DROP DATABASE IF EXISTS ?? WITH (FORCE)`, [datname]);
      await admin.destroy();
    }
  });

  describe('the effective config', () => {
    it('has the production DORA source only, no seeding, and no unconditional OPA fallback', async () => {
      const env = productionEnv(7007, opa.url);
      const { config } = await loadConfig(env);
      const sources = config.getConfigArray('dora.sources');
      expect(sources.map(s => s.getString('id'))).toEqual(['github']);
      expect(sources[0].getString('secret')).toBe(env.DORA_GITHUB_SECRET);
      expect(config.getOptionalBoolean('dora.demo.seed')).toBe(false);
      expect(config.getOptional('dora.demo.source')).toBeUndefined();
      expect(config.getOptionalStringArray('opa.fallback.allow') ?? []).toEqual(
        [],
      );
      for (const c of config.getOptionalConfigArray(
        'opa.fallback.conditional',
      ) ?? []) {
        expect(c.getOptional('conditions')).toBeDefined();
      }
      expect(config.getString('opa.url')).toBe(opa.url);
    });

    it('keeps no development address, path or sign-in of app-config.yaml', async () => {
      const { config } = await loadConfig(productionEnv(7007, opa.url));
      expect(config.getString('backend.database.client')).toBe('pg');
      expect(
        config.getOptional('backend.database.connection.directory'),
      ).toBeUndefined();
      // no admin URL unless ENVIRONMENTS_PG_ADMIN_URL says so (app-config.yaml's fell through before)
      expect(
        config.getOptional('environments.postgres.adminUrl'),
      ).toBeUndefined();
      expect(
        config.getOptionalConfig('auth.providers')?.keys() ?? [],
      ).not.toContain('guest');
      expect(config.getStringArray('backend.csp.connect-src')).toEqual([
        "'self'",
      ]);
      expect(config.getString('backend.cors.origin')).toBe(
        'http://127.0.0.1:7007',
      );
      expect(config.getString('techdocs.builder')).toBe('external');
      const extensions = JSON.stringify(config.get('app.extensions'));
      expect(extensions).not.toMatch(/https?:\/\//);
      for (const l of config.getConfigArray('catalog.locations'))
        expect(l.getString('target')).toMatch(/^\.\/[^.]/);
    });

    it('inherits from app-config.yaml only keys reviewed for production', async () => {
      const { files } = await loadConfig(productionEnv(7007, opa.url));
      const keys = inherited(
        files['app-config.yaml'],
        files['app-config.production.yaml'],
      );
      expect(keys).toContain('app.title'); // the walk sees what it should
      expect(keys.filter(k => !(k in REVIEWED_INHERITED))).toEqual([]);
      // and the review lists nothing that production has since overridden
      expect(
        Object.keys(REVIEWED_INHERITED).filter(k => !keys.includes(k)),
      ).toEqual([]);
    });
  });

  describe('the backend', () => {
    // each: one setting changed to a development default, what the start must say, and the variable
    // whose value must not be printed
    const refusals: Array<
      [string, (env: Record<string, string>) => void, RegExp, string?]
    > = [
      [
        'the DORA webhook secret is the default from app-config.yaml',
        env =>
          void (env.DORA_GITHUB_SECRET =
            'local-demo-secret-not-for-production'),
        /dora\.sources\[0\]\.secret: must not be a value that appears in the repository \(production\)/,
      ],
      [
        'the DORA webhook secret is shorter than 32 characters',
        env => void (env.DORA_GITHUB_SECRET = secret().slice(0, 31)),
        /dora\.sources\[0\]\.secret: must be at least 32 characters \(production\)/,
        'DORA_GITHUB_SECRET',
      ],
      [
        'demo seeding is on',
        env => void (env.APP_CONFIG_dora_demo_seed = 'true'),
        /dora\.demo\.seed: must be false \(production\)/,
      ],
      [
        'the OPA fallback allows a permission without a condition',
        env =>
          void (env.APP_CONFIG_opa_fallback_allow = '["catalog.entity.read"]'),
        /opa\.fallback\.allow must be empty when NODE_ENV=production/,
      ],
      [
        'the environments secrets key is the development key',
        env =>
          void (env.ENVIRONMENTS_SECRETS_KEY =
            'development-only-environments-secrets-key-not-for-production'),
        /environments\.secrets\.keys\[0\]\.secret: is the development key from the repository/,
      ],
      [
        'the OpenTofu state passphrase is shorter than 32 characters',
        env => void (env.ENVIRONMENTS_STATE_PASSPHRASE = secret().slice(0, 31)),
        /environments\.state\.encryption\.passphrase: is shorter than 32 characters/,
        'ENVIRONMENTS_STATE_PASSPHRASE',
      ],
    ];

    interface Outcome {
      env: Record<string, string>;
      result: 'ready' | { code: number | null };
      output: string;
      checks?: Record<string, unknown>;
    }

    /** Boots with `env`; when ready, runs `whenReady` against it; then stops it. */
    async function run(
      env: Record<string, string>,
      whenReady?: (base: string) => Promise<Record<string, unknown>>,
    ): Promise<Outcome> {
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
      }
    }

    /** What the configured backend answers once ready. */
    async function productionChecks(env: Record<string, string>, base: string) {
      const body = JSON.stringify({
        zen: 'production config test',
        hook_id: 1,
      });
      const post = async (source: string, key: string) =>
        (
          await fetch(`${base}/api/dora/webhooks/${source}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-github-event': 'ping',
              'x-github-delivery': `prodcfg-${source}`,
              'x-hub-signature-256': `sha256=${createHmac('sha256', key)
                .update(body)
                .digest('hex')}`,
            },
            body,
          })
        ).status;
      const dora = knexFactory({
        client: 'pg',
        connection: `${pgUrl}/${dbPrefix}main_dora`,
        pool: { min: 0, max: 1 },
      });
      try {
        const storedAtStart = await dora('dora_deliveries')
          .count({ n: '*' })
          .first();
        return {
          // the demo source's public default secret finds no source
          demoSource: await post(
            'github-demo',
            'local-demo-secret-not-for-production',
          ),
          storedAtStart, // no seeding
          wrongSecret: await post(
            'github',
            'not-the-secret-not-the-secret-not-the-secret',
          ),
          productionSecret: await post('github', env.DORA_GITHUB_SECRET),
          stored: await dora('dora_deliveries').select('source'),
          guestSignIn: (
            await fetch(
              `${base}/api/auth/guest/refresh?optional&env=production`,
              { headers: { 'x-requested-with': 'XMLHttpRequest' } },
            )
          ).status,
        };
      } finally {
        await dora.destroy();
      }
    }

    let main: Promise<Outcome>;
    let refused: Array<Promise<Outcome>>;

    beforeAll(async () => {
      // all boots at once (bounded), each on its port and with databases of its own
      const tasks: Array<() => Promise<Outcome>> = [
        async () => {
          const env = productionEnv(await freePort(), opa.url);
          env.APP_CONFIG_backend_database_prefix = `${dbPrefix}main_`;
          return run(env, base => productionChecks(env, base));
        },
        ...refusals.map(([, change], i) => async () => {
          const env = productionEnv(await freePort(), opa.url);
          env.APP_CONFIG_backend_database_prefix = `${dbPrefix}r${i}_`;
          change(env);
          return run(env);
        }),
      ];
      [main, ...refused] = limited(CONCURRENT_BOOTS, tasks);
      // not awaited here: each test waits for its own boot
      [main, ...refused].forEach(p => p.catch(() => undefined));
    });

    it('becomes ready, answers only the production source, seeds nothing and signs no one in as guest', async () => {
      const { env, result, output, checks } = await main;
      if (result !== 'ready')
        throw new Error(
          `the backend exited (${
            result.code
          }) instead of becoming ready:\n${output.slice(-4000)}`,
        );
      expect(checks).toEqual({
        demoSource: 404,
        storedAtStart: { n: '0' },
        wrongSecret: 401,
        productionSecret: 202,
        stored: [{ source: 'github' }],
        guestSignIn: 404,
      });
      for (const name of [
        'DORA_GITHUB_SECRET',
        'ENVIRONMENTS_SECRETS_KEY',
        'ENVIRONMENTS_STATE_PASSPHRASE',
        'POSTGRES_PASSWORD',
      ]) {
        expect(output).not.toContain(env[name]);
      }
    });

    it.each(refusals.map((r, i) => [r[0], i] as const))(
      'refuses to start when %s, naming the key',
      async (_, i) => {
        const [, , message, secretVar] = refusals[i];
        const { env, result, output } = await refused[i];
        if (result === 'ready')
          throw new Error(
            `the backend started although it should have refused; its output:\n${output.slice(
              -3000,
            )}`,
          );
        expect(result.code).not.toBe(0);
        expect(output).toMatch(message);
        // the refused secret's value is never printed
        const printed = secretVar ? output.includes(env[secretVar]) : false;
        expect(printed).toBe(false);
      },
    );
  });
});
