/*
 * Approval notifications through Backstage's real notifications backend (its notification service,
 * router and database), read back as each person with GET /api/notifications/notifications. The
 * requests go through the real service and store (PostgreSQL and SQLite) with the guardrails in a
 * real OPA on the repository's policies (src/__testUtils__/lifecycleHarness.ts). The catalog the
 * notifications backend asks for a team's members is simulated from catalog/org.yaml (Backstage's
 * catalogServiceMock), as in ExpiryRemindersJob.test.ts.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import {
  notificationService,
  NotificationService,
} from '@backstage/plugin-notifications-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  captureService,
  exampleMemberships,
} from '@internal/backend-test-utils';
import request from 'supertest';
import { ben, dev, lifecycleHarness } from '../__testUtils__/lifecycleHarness';
import { readEnvironmentsConfig } from '../config';
import { notifyApprovals } from './notifyApprovals';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

/** An admin of the platform team, who approves too. */
const ana = {
  userEntityRef: 'user:default/ana',
  ownershipEntityRefs: ['user:default/ana', 'group:default/platform'],
};

/** The example organisation's groups, with their members, as the catalog would return them. */
function orgGroups(): Entity[] {
  const members = new Map<string, string[]>();
  for (const [user, refs] of exampleMemberships()) {
    for (const g of refs.filter(r => r.startsWith('group:')))
      members.set(g, [...(members.get(g) ?? []), user]);
  }
  return [...members].map(([ref, users]) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: ref.split('/')[1], namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: users.map(u => ({ type: 'hasMember', targetRef: u })),
  }));
}

interface Received {
  payload: {
    title: string;
    description: string;
    link: string;
    topic: string;
    scope: string;
  };
}

describe.each(databases.eachSupportedId())(
  'approval notifications, store on %p',
  databaseId => {
    const h = lifecycleHarness(databases, databaseId);
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    const notifications = captureService<NotificationService>(
      'environments',
      notificationService,
    );
    const logger = mockServices.logger.mock();
    let stop: Array<() => void> = [];
    let approvals: { notify: string[] };

    /** What `user` sees in the notifications API about the environment `id` (all, without one). */
    const inbox = async (user: string, id?: string) => {
      const res = await request(backend.server)
        .get('/api/notifications/notifications')
        .set(
          'Authorization',
          mockCredentials.user.header(`user:default/${user}`),
        );
      expect(res.status).toBe(200);
      return (res.body.notifications as Received[]).filter(
        n => !id || n.payload.link === `/environments/${id}`,
      );
    };
    /** Waits (the send is not awaited by the store) until `user` has `count` about `id`. */
    const arrived = async (user: string, id: string, count = 1) => {
      for (let i = 0; i < 100; i++) {
        const got = await inbox(user, id);
        if (got.length >= count) return got;
        await new Promise(r => setTimeout(r, 100));
      }
      return inbox(user, id);
    };
    /** A workspace of payments for 200 hours: over a developer's 168, so it waits for approval. */
    const requestLong = async (name: string) => {
      const { environment } = await h.service.create(dev, {
        name,
        blueprint: 'workspace',
        owner: 'group:default/payments',
        ttlHours: 200,
      });
      expect(environment.state).toBe('pending_approval');
      return environment;
    };

    beforeAll(async () => {
      backend = await startTestBackend({
        features: [
          mockServices.rootConfig.factory({
            data: { app: { baseUrl: 'http://localhost:3000' } },
          }),
          notificationsPlugin,
          catalogServiceMock.factory({ entities: orgGroups() }),
          notifications.feature,
        ],
      });
      // Whom the plugin notifies by default: environments.approvals.notify unset.
      approvals = readEnvironmentsConfig(
        new ConfigReader({ app: { baseUrl: 'http://localhost:3000' } }),
      ).approvals;
      stop = [notifyApprovals(h.store, notifications.get(), logger, approvals)];
    }, 60_000);

    afterAll(async () => {
      stop.forEach(s => s());
      await backend?.stop();
    });

    it('tells the platform team of a request that waits, and the requester that it was approved', async () => {
      // environments.approvals.notify's default is the group policies/portal/org/data.yaml makes
      // platform engineers
      expect(approvals).toEqual({ notify: ['group:default/platform'] });
      const env = await requestLong('waits-then-approved');

      for (const user of ['ana', 'ben']) {
        expect(await arrived(user, env.id)).toEqual([
          expect.objectContaining({
            payload: expect.objectContaining({
              title: 'Sandbox waits-then-approved waits for approval',
              link: `/environments/${env.id}`,
              topic: 'environment-approval',
              scope: `environment-approval:${env.id}`,
            }),
          }),
        ]);
      }
      const [waiting] = await inbox('ana', env.id);
      expect(waiting.payload.description).toBe(
        `user:default/dev requested waits-then-approved (workspace, size small, for group:default/payments): ` +
          `200 hours at about ${(env.costPerHour * 24).toFixed(2)} a day. ` +
          `It needs approval: a TTL of 200 hours is over the 168 hours a developer may set, so a platform engineer approves it.`,
      );
      // The one send has reached the team: the requester and another team were not in it.
      expect(await inbox('dev', env.id)).toEqual([]);
      expect(await inbox('chloe')).toEqual([]);

      const approved = await h.service.decide(
        ben,
        env.id,
        true,
        'fine for the load test',
      );
      expect(approved.state).toBe('queued');
      expect(await arrived('dev', env.id)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Sandbox waits-then-approved was approved',
            description:
              'user:default/ben approved your request for waits-then-approved (workspace, size small, for group:default/payments): ' +
              'fine for the load test. It is queued to be provisioned.',
            link: `/environments/${env.id}`,
            topic: 'environment-approval',
          }),
        }),
      ]);
      // The team is not told of the decision; it still has the one notification.
      expect((await inbox('ana', env.id)).map(n => n.payload.title)).toEqual([
        'Sandbox waits-then-approved waits for approval',
      ]);
    }, 60_000);

    it('tells the requester that the request was rejected, with the reason; nobody else', async () => {
      const env = await requestLong('waits-then-rejected');
      await arrived('ben', env.id);

      await h.service.decide(ana, env.id, false, 'use a 7-day TTL instead');
      expect(await arrived('dev', env.id)).toEqual([
        expect.objectContaining({
          payload: expect.objectContaining({
            title: 'Sandbox waits-then-rejected was rejected',
            description:
              'user:default/ana rejected your request for waits-then-rejected (workspace, size small, for group:default/payments): ' +
              'use a 7-day TTL instead.',
            link: `/environments/${env.id}`,
          }),
        }),
      ]);
      expect(await inbox('chloe')).toEqual([]);
      expect(await inbox('fatima', env.id)).toEqual([]); // the requester's team, not the requester
      expect((await inbox('ben', env.id)).map(n => n.payload.title)).toEqual([
        'Sandbox waits-then-rejected waits for approval',
      ]);
    }, 60_000);

    it('logs a send the notifications backend refuses, and the request still waits for approval', async () => {
      const warn = logger.warn as jest.Mock;
      warn.mockClear();
      const unsubscribe = notifyApprovals(
        h.store,
        notifications.get(),
        logger,
        { notify: ['not an entity ref'] }, // the backend cannot resolve it
      );
      try {
        const env = await requestLong('refused-send');
        for (let i = 0; i < 100 && !warn.mock.calls.length; i++)
          await new Promise(r => setTimeout(r, 100));
        expect(warn).toHaveBeenCalledWith(
          expect.stringMatching(
            new RegExp(
              `^could not notify of environment ${env.id} requested->pending_approval: `,
            ),
          ),
        );
        expect((await h.store.get(env.id)).state).toBe('pending_approval');
      } finally {
        unsubscribe();
      }
    }, 60_000);
  },
);

describe('environments.approvals.notify', () => {
  const read = (notify: JsonValue) =>
    readEnvironmentsConfig(
      new ConfigReader({
        app: { baseUrl: 'http://localhost:3000' },
        environments: { approvals: { notify } },
      }),
    ).approvals;

  it('takes entity refs, in the default namespace when none is given, and an empty list', () => {
    expect(read(['group:platform', 'User:Ops/Vic'])).toEqual({
      notify: ['group:default/platform', 'user:ops/Vic'],
    });
    expect(read([])).toEqual({ notify: [] });
  });

  it('refuses what is not a list of entity refs, naming the key', () => {
    expect(() => read(['platform'])).toThrow(
      "environments.approvals.notify: 'platform' is not an entity ref, like group:default/platform",
    );
    expect(() => read('group:default/platform')).toThrow(
      /^environments\.approvals\.notify: must be a list of entity refs/,
    );
  });
});
