/*
 * ChangeStore on PostgreSQL 15 and SQLite: the upsert (earliest times win, flags only ever set,
 * a pull request's title over a commit's) and the changes an entity's deployments shipped, paged.
 */
import {
  changeEvent,
  componentOf,
  deploy,
  freshStore,
  h,
  HOUR,
  ORG,
  PAY,
  SHOP,
  storeDatabases,
  teamOf,
} from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';

const databases = storeDatabases();
const range = { from: h(0), to: h(100) };

describe.each(databases.eachSupportedId())('ChangeStore on %p', databaseId => {
  let store: DoraStore;

  beforeAll(async () => {
    store = await freshStore(databases, databaseId);
  });

  it('merges the push and the pull request of one change: earliest times, the title of the pull request, flags or-ed', async () => {
    const subjects = await store.transaction(async tx => [
      // the squash commit's push: committed and landed at 20 h, a commit title
      await store.changes.upsert(
        tx,
        changeEvent('s7', 20, 20, { title: 'Add refunds (#7)' }),
        PAY,
        { revert: false, hotfix: true },
      ),
      // the pull request's merge: work began at 10 h, its own title, another owner by now
      await store.changes.upsert(
        tx,
        changeEvent('s7', 10, 21, { pullRequest: 7, title: 'Add refunds' }),
        SHOP,
        { revert: false, hotfix: false },
      ),
      // the push again, redelivered: nothing moves back
      await store.changes.upsert(
        tx,
        changeEvent('s7', 20, 20, { title: 'Add refunds (#7)' }),
        PAY,
        { revert: true, hotfix: false },
      ),
    ]);
    expect(subjects).toEqual([PAY.subject, PAY.subject, PAY.subject]);
    const rows = await store.links.loadSubject(PAY.subject);
    expect(rows.changes).toEqual([
      {
        id: 'acme/pay@s7',
        sha: 's7',
        committedAt: h(10),
        landedAt: h(20),
        pullRequest: 7,
        revert: true,
        hotfix: true,
      },
    ]);
  });

  it("pages the changes an entity's deployments shipped, in deployment order, with how each was linked", async () => {
    await store.transaction(async tx => {
      for (const [sha, committed] of [
        ['c1', 1],
        ['c2', 2],
        ['c3', 30],
      ] as const)
        await store.changes.upsert(
          tx,
          changeEvent(sha, committed, committed),
          PAY,
          {
            revert: false,
            hotfix: false,
          },
        );
    });
    await deploy(store, [
      ['gh:1', 5, PAY],
      ['gh:2', 40, PAY],
    ]);
    const { deployments } = await store.links.loadSubject(PAY.subject);
    await store.links.replaceLinks(PAY.subject, deployments, {
      changeLinks: [
        {
          deploymentId: 'gh:1',
          changeId: 'acme/pay@c1',
          linkedBy: 'first-deployment',
          leadTimeMs: 4 * HOUR,
        },
        {
          deploymentId: 'gh:1',
          changeId: 'acme/pay@c2',
          linkedBy: 'deployed-sha',
          leadTimeMs: 3 * HOUR,
        },
        {
          deploymentId: 'gh:1',
          changeId: 'acme/pay@s7',
          linkedBy: 'pull-request-merge',
          leadTimeMs: 5 * HOUR,
        },
        {
          deploymentId: 'gh:2',
          changeId: 'acme/pay@c3',
          linkedBy: 'deployed-sha',
          leadTimeMs: 10 * HOUR,
        },
      ],
      incidentLinks: [],
      flags: [],
    });
    const page = await store.changes.shipped(componentOf(PAY), range, {
      limit: 3,
      offset: 0,
    });
    // in deployment order, then by landing time
    expect(page.more).toBe(true);
    expect(
      page.items.map(c => [
        c.change.sha,
        c.deploymentId,
        c.linkedBy,
        c.leadTimeMs / HOUR,
      ]),
    ).toEqual([
      ['c1', 'gh:1', 'first-deployment', 4],
      ['c2', 'gh:1', 'deployed-sha', 3],
      ['s7', 'gh:1', 'pull-request-merge', 5],
    ]);
    expect(page.items[2].change).toEqual({
      id: 'acme/pay@s7',
      componentRef: PAY.componentRef,
      teamRef: PAY.teamRef,
      subject: PAY.subject,
      repo: 'acme/pay',
      sha: 's7',
      committedAt: new Date(h(10)).toISOString(),
      landedAt: new Date(h(20)).toISOString(),
      pullRequest: 7,
      title: 'Add refunds',
      revert: true,
    });
    const next = await store.changes.shipped(ORG, range, {
      limit: 3,
      offset: 3,
    });
    expect([next.items.map(c => c.change.sha), next.more]).toEqual([
      ['c3'],
      false,
    ]);
    // the team is the deployment's (recorded on the link), the range is the deployment's time
    expect(
      (
        await store.changes.shipped(
          teamOf(PAY),
          { from: h(5), to: h(6) },
          { limit: 10, offset: 0 },
        )
      ).items.map(c => c.change.sha),
    ).toEqual(['c1', 'c2', 's7']);
    expect(
      (
        await store.changes.shipped(teamOf(SHOP), range, {
          limit: 10,
          offset: 0,
        })
      ).items,
    ).toEqual([]);
  });
});
