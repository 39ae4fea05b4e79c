/*
 * What the environment service refuses before anything runs, on PostgreSQL and SQLite, with a
 * real OPA on the repository's policies (src/__testUtils__/lifecycleHarness.ts): a team over its quota,
 * with the quota reason, and bad input, with the field and the rule, queueing nothing.
 */
import { TestDatabases } from '@backstage/backend-test-utils';
import { dev, lifecycleHarness } from '../__testUtils__/lifecycleHarness';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'environment requests on %p',
  databaseId => {
    const h = lifecycleHarness(databases, databaseId);

    it('refuses a team over its quota with the quota reason', async () => {
      const owner = `group:default/quota-${databaseId
        .toLowerCase()
        .replace(/_/g, '-')}`;
      const team = {
        ...dev,
        ownershipEntityRefs: [...dev.ownershipEntityRefs, owner],
      };
      for (let i = 0; i < 5; i++) {
        await h.service.create(team, {
          name: `q-${i}`,
          blueprint: 'workspace',
          owner,
        });
      }
      await expect(
        h.service.create(team, { name: 'q-5', blueprint: 'workspace', owner }),
      ).rejects.toThrow(/at its quota of 5 environments/);
      expect(
        (await h.store.list({ owners: [owner] })).filter(
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
        const before = (await h.store.list()).length;
        await expect(h.service.create(dev, body)).rejects.toMatchObject({
          name: 'InputError',
          message: expect.stringMatching(message),
        });
        expect((await h.store.list()).length).toBe(before);
      },
    );
  },
);
