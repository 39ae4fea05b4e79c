/*
 * Production never starts with a development default (issue 11): the backend.
 *
 * The backend runs as the image runs it (see __testUtils__/productionBackend.ts), with a real
 * `opa run --server` on policies/ and PostgreSQL databases of this run's own, dropped afterwards.
 * - It becomes ready, answers no webhook for the demo source, accepts one signed with the
 *   production secret, stored no demo delivery, and signs no one in as guest.
 * - With one setting changed to a development default, the start fails and the error names the key
 *   (and never contains the secret's value).
 * (productionConfig.test.ts checks the effective config itself.)
 */
import { createHmac } from 'node:crypto';
import knexFactory from 'knex';
import { LocalOpaServer } from '@internal/plugin-opa-node';
import { freePort } from '@internal/plugin-platform-node';
import {
  BOOT_TIMEOUT_MS,
  CONCURRENT_BOOTS,
  dbPrefix,
  limited,
  Outcome,
  pgUrl,
  productionEnv,
  run,
  secret,
  startProductionStack,
} from './__testUtils__/productionBackend';

jest.setTimeout(4 * BOOT_TIMEOUT_MS);

describe('app-config.yaml + app-config.production.yaml with NODE_ENV=production', () => {
  let stack: Awaited<ReturnType<typeof startProductionStack>>;
  let opa: LocalOpaServer;

  beforeAll(async () => {
    stack = await startProductionStack();
    opa = stack.opa;
  });

  afterAll(async () => {
    await stack?.stop();
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
