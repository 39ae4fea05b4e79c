/*
 * IncidentStore on PostgreSQL 15 and SQLite: the upsert (earliest start, resolution following the
 * latest event that says), the incidents an entity had, paged and counted, the incidents of
 * deployments and each incident's links.
 */
import {
  componentOf,
  deploy,
  freshStore,
  h,
  incidentEvent,
  ORG,
  PAY,
  SHOP,
  storeDatabases,
  teamOf,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';

const databases = storeDatabases();
const range = { from: h(0), to: h(100) };

describe.each(databases.eachSupportedId())(
  'IncidentStore on %p',
  databaseId => {
    let store: DoraStore;

    beforeAll(async () => {
      store = await freshStore(databases, databaseId);
    });

    it('keeps the earliest start and the latest word on resolution', async () => {
      const upsert = (...args: Parameters<typeof incidentEvent>) =>
        store.transaction(tx =>
          store.incidents.upsert(
            tx,
            `gh:${args[0]}`,
            incidentEvent(...args),
            PAY,
          ),
        );
      const resolution = async () =>
        (
          await store.incidents.started(componentOf(PAY), range, {
            limit: 10,
            offset: 0,
          })
        ).items.map(i => [i.incident.state, i.startedAt, i.resolvedAt]);
      expect(await upsert('1', 10, undefined, { title: 'Checkout down' })).toBe(
        PAY.subject,
      );
      // resolved, reported with a later start: the start stays
      await upsert('1', 12, 14);
      expect(await resolution()).toEqual([['resolved', h(10), h(14)]]);
      // an event that does not say keeps the resolution; reopened clears it
      await upsert('1', 10, undefined);
      expect(await resolution()).toEqual([['resolved', h(10), h(14)]]);
      await upsert('1', 9, null, { deploymentRef: '42' });
      expect(await resolution()).toEqual([['open', h(9), undefined]]);
      const [row] = (await store.links.loadSubject(PAY.subject)).incidents;
      expect(row).toEqual({
        id: 'gh:1',
        startedAt: h(9),
        resolvedAt: undefined,
        deploymentRef: '42',
        rootCauseSha: undefined,
      });
      // the title is kept from the first event that had one
      const page = await store.incidents.started(ORG, range, {
        limit: 1,
        offset: 0,
      });
      expect(page.items[0].incident.title).toBe('Checkout down');
    });

    it("pages and counts an entity's incidents by start", async () => {
      await store.transaction(async tx => {
        await store.incidents.upsert(
          tx,
          'gh:2',
          incidentEvent('2', 20, 21),
          SHOP,
        );
        await store.incidents.upsert(tx, 'gh:3', incidentEvent('3', 30), SHOP);
        await store.incidents.upsert(tx, 'gh:4', incidentEvent('4', 300), SHOP);
      });
      const page = await store.incidents.started(ORG, range, {
        limit: 2,
        offset: 0,
      });
      expect([page.items.map(i => i.incident.id), page.more]).toEqual([
        ['gh:1', 'gh:2'],
        true,
      ]);
      const last = await store.incidents.started(ORG, range, {
        limit: 2,
        offset: 2,
      });
      expect([last.items.map(i => i.incident.id), last.more]).toEqual([
        ['gh:3'],
        false,
      ]);
      expect(await store.incidents.countStarted(ORG, range)).toBe(3);
      expect(await store.incidents.countStarted(teamOf(SHOP), range)).toBe(2);
      expect(
        await store.incidents.countStarted(componentOf(PAY), {
          from: h(10),
          to: h(100),
        }),
      ).toBe(0);
    });

    it('finds the incidents of deployments once each, and every link of an incident', async () => {
      await deploy(store, [
        ['gh:d1', 19, SHOP],
        ['gh:d2', 29, SHOP],
      ]);
      await store.links.replaceLinks(SHOP.subject, [], {
        changeLinks: [],
        incidentLinks: [
          {
            incidentId: 'gh:2',
            deploymentId: 'gh:d1',
            linkedBy: 'explicit-reference',
            confidence: 'high',
          },
          {
            incidentId: 'gh:3',
            deploymentId: 'gh:d1',
            linkedBy: 'time-window',
            confidence: 'low',
          },
          {
            incidentId: 'gh:3',
            deploymentId: 'gh:d2',
            linkedBy: 'time-window',
            confidence: 'low',
          },
        ],
        flags: [],
      });
      const incidents = await store.incidents.ofDeployments(['gh:d1', 'gh:d2']);
      expect(incidents.map(i => i.id).sort()).toEqual(['gh:2', 'gh:3']);
      expect(incidents.find(i => i.id === 'gh:2')).toMatchObject({
        subject: SHOP.subject,
        state: 'resolved',
        startedAt: new Date(h(20)).toISOString(),
        resolvedAt: new Date(h(21)).toISOString(),
      });
      expect(await store.incidents.ofDeployments([])).toEqual([]);
      const links = await store.incidents.links(['gh:2', 'gh:3', 'gh:1']);
      expect(links.get('gh:2')).toEqual([
        {
          deploymentId: 'gh:d1',
          linkedBy: 'explicit-reference',
          confidence: 'high',
        },
      ]);
      expect(
        links
          .get('gh:3')
          ?.map(l => l.deploymentId)
          .sort(),
      ).toEqual(['gh:d1', 'gh:d2']);
      expect(links.has('gh:1')).toBe(false);
    });
  },
);
