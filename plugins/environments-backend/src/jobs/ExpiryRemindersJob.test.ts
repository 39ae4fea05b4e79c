/*
 * The expiry reminders job through Backstage's real notifications backend (its notification service,
 * router and database), with the environments store on PostgreSQL and SQLite. The catalog the
 * notifications backend asks for a team's members is simulated from catalog/org.yaml (Backstage's
 * catalogServiceMock), and sign-in with mock credentials.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
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
import { EnvironmentStore } from '../store/EnvironmentStore';
import { activeEnvironment, jobContext } from '../__testUtils__/jobFixtures';
import { ExpiryRemindersJob } from './ExpiryRemindersJob';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
const HOUR = 3600_000;

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

describe.each(databases.eachSupportedId())(
  'expiry reminders, store on %p',
  databaseId => {
    let backend: Awaited<ReturnType<typeof startTestBackend>>;
    let store: EnvironmentStore;
    let reminders: ExpiryRemindersJob;
    const notifications = captureService<NotificationService>(
      'environments',
      notificationService,
    );
    const inbox = async (user: string) =>
      (
        await request(backend.server)
          .get('/api/notifications/notifications')
          .set(
            'Authorization',
            mockCredentials.user.header(`user:default/${user}`),
          )
      ).body.notifications as Array<{
        payload: {
          title: string;
          link: string;
          topic: string;
          severity: string;
        };
      }>;

    const activeUntil = (name: string, expiresAt: Date) =>
      activeEnvironment(store, expiresAt, name);

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
      store = await EnvironmentStore.create(await databases.init(databaseId));
      reminders = new ExpiryRemindersJob(
        {
          store,
          notifications: notifications.get(),
          logger: mockServices.logger.mock(),
        },
        { before: { hours: 24 } },
      );
    }, 60_000);

    afterAll(() => backend?.stop());

    it('tells the requester and the team once per expiry, again after an extension, not for far-off expiries', async () => {
      const now = new Date();
      const soon = await activeUntil(
        'soon',
        new Date(now.getTime() + 3 * HOUR),
      );
      const later = await activeUntil(
        'later',
        new Date(now.getTime() + 72 * HOUR),
      );

      expect(await reminders.run(now)).toEqual([soon.id]);
      for (const user of ['dev', 'fatima']) {
        expect(await inbox(user)).toEqual([
          expect.objectContaining({
            payload: expect.objectContaining({
              title: 'Sandbox soon expires in 3 hours',
              link: `/environments/${soon.id}`,
              topic: 'environment-expiry',
              severity: 'normal',
            }),
          }),
        ]);
      }
      expect(await inbox('chloe')).toEqual([]); // another team

      // Once: the next run sends nothing.
      expect(await reminders.run(now)).toEqual([]);

      // An extension moves the expiry; the reminder is due again before the new one.
      await store.extend(soon.id, new Date(now.getTime() + 20 * HOUR), {
        actor: 'user:default/dev',
        reason: 'extended',
      });
      expect(await reminders.run(now)).toEqual([soon.id]);
      expect(await reminders.run(new Date(now.getTime() + 19 * HOUR))).toEqual(
        [],
      );

      // The far-off one comes due when it is within the day.
      expect(await reminders.run(new Date(now.getTime() + 50 * HOUR))).toEqual([
        later.id,
      ]);
      expect((await inbox('dev')).map(n => n.payload.title)).toContain(
        'Sandbox later expires in 22 hours',
      );
    });

    it('schedules itself every 5 minutes on one replica, reminding environments.reminders.before the expiry', async () => {
      const job = jobContext({ reminders: { before: '2h' } });
      await ExpiryRemindersJob.start(job, {
        store,
        notifications: notifications.get(),
      });
      expect(job.task()).toEqual({
        id: 'environments-reminders',
        scope: 'global',
        frequency: { minutes: 5 },
        timeout: { minutes: 2 },
        fn: expect.any(Function),
      });
      const now = Date.now();
      await activeUntil('in-hundred-minutes', new Date(now + 100 * 60_000));
      await activeUntil('in-three', new Date(now + 3 * HOUR));
      await job.runTask();
      const titles = (await inbox('fatima')).map(n => n.payload.title);
      expect(titles).toContain('Sandbox in-hundred-minutes expires in 2 hours');
      expect(titles.join()).not.toMatch(/in-three/);
      expect(job.logger.info).toHaveBeenCalledWith(
        'sent expiry reminders for 1 environment(s)',
      );
    });
  },
);
