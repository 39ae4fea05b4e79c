/*
 * ScorecardStore on PostgreSQL 15 and SQLite: a history row when a result changes or a day has
 * passed, otherwise the latest row seen again; results retired when a full run no longer sees
 * their entity; each entity's current results with their history; every current result.
 */
import { ScorecardResult } from '@internal/plugin-dora-common';
import { DAY, HOUR, storeDatabases, T0 } from '../__testUtils__/doraRows';
import { DoraStore } from './DoraStore';
import { ScorecardStore } from './ScorecardStore';

const databases = storeDatabases();
const at = (ms: number) => new Date(T0 + ms);
const result = (
  entityRef: string,
  score: number,
  evaluatedAt: Date,
  more: Partial<ScorecardResult> = {},
): Omit<ScorecardResult, 'title'> => ({
  scorecard: 'service-standards',
  entityRef,
  ownerRef: 'group:default/payments',
  score,
  grade: score >= 90 ? 'gold' : 'bronze',
  checks: [
    {
      id: 'has-owner',
      title: 'Has an owner',
      weight: 3,
      outcome: 'passed',
      detail: 'ok',
    },
  ],
  evaluatedAt: evaluatedAt.toISOString(),
  ...more,
});
const PAY = 'component:default/pay';
const SHOP = 'component:default/shop';

describe.each(databases.eachSupportedId())(
  'ScorecardStore on %p',
  databaseId => {
    let scorecards: ScorecardStore;

    beforeAll(async () => {
      // the dora migrations create the scorecard tables
      const store = await DoraStore.create(await databases.init(databaseId));
      scorecards = new ScorecardStore(store.db);
    });

    it('adds a history row when the result changes or a day has passed, else marks the latest seen', async () => {
      expect(await scorecards.record(result(PAY, 100, at(0)))).toBe(true);
      // the same an hour later: seen again, no new row; the result says when it was last seen
      expect(await scorecards.record(result(PAY, 100, at(HOUR)))).toBe(false);
      expect(await scorecards.current()).toEqual([
        expect.objectContaining({
          entityRef: PAY,
          score: 100,
          evaluatedAt: at(HOUR).toISOString(),
        }),
      ]);
      // a new score, and the same a day after the last history row
      expect(await scorecards.record(result(PAY, 50, at(2 * HOUR)))).toBe(true);
      expect(await scorecards.record(result(PAY, 50, at(2 * HOUR + DAY)))).toBe(
        true,
      );
      // another owner is a change too
      expect(
        await scorecards.record(
          result(PAY, 50, at(3 * HOUR + DAY), {
            ownerRef: 'group:default/platform',
          }),
        ),
      ).toBe(true);
      const [pay] = await scorecards.forEntity(PAY);
      expect(pay).toMatchObject({
        scorecard: 'service-standards',
        entityRef: PAY,
        ownerRef: 'group:default/platform',
        score: 50,
        grade: 'bronze',
        checks: [
          expect.objectContaining({ id: 'has-owner', outcome: 'passed' }),
        ],
      });
      expect(pay.history.map(p => [p.evaluatedAt, p.score, p.grade])).toEqual([
        [at(0).toISOString(), 100, 'gold'],
        [at(2 * HOUR).toISOString(), 50, 'bronze'],
        [at(2 * HOUR + DAY).toISOString(), 50, 'bronze'],
        [at(3 * HOUR + DAY).toISOString(), 50, 'bronze'],
      ]);
      // the last points only, oldest first
      const [two] = await scorecards.forEntity(PAY, 2);
      expect(two.history.map(p => p.evaluatedAt)).toEqual([
        at(2 * HOUR + DAY).toISOString(),
        at(3 * HOUR + DAY).toISOString(),
      ]);
    });

    it('retires the results of entities a full run did not see, and brings one back when seen again', async () => {
      await scorecards.record(
        result(SHOP, 100, at(2 * DAY), {
          ownerRef: 'group:default/storefront',
        }),
      );
      const runStart = at(2 * DAY + HOUR);
      await scorecards.record(
        result(SHOP, 100, at(2 * DAY + 2 * HOUR), {
          ownerRef: 'group:default/storefront',
        }),
      );
      expect(await scorecards.retireUnseen(runStart)).toBe(1); // PAY
      expect((await scorecards.current()).map(r => r.entityRef)).toEqual([
        SHOP,
      ]);
      expect(await scorecards.forEntity(PAY)).toEqual([]);
      expect(await scorecards.retireUnseen(runStart)).toBe(0);
      // seen again within a day of its latest row: no new row, no longer retired
      expect(
        await scorecards.record(
          result(PAY, 50, at(3 * HOUR + DAY + 5 * HOUR), {
            ownerRef: 'group:default/platform',
          }),
        ),
      ).toBe(false);
      expect(
        (await scorecards.current()).map(r => [r.ownerRef, r.entityRef]),
      ).toEqual([
        ['group:default/platform', PAY],
        ['group:default/storefront', SHOP],
      ]);
      expect(
        (await scorecards.current('group:default/storefront')).map(
          r => r.entityRef,
        ),
      ).toEqual([SHOP]);
      // the rollups' read: the same results, their scores and grades without the checks
      const current = await scorecards.current();
      expect(await scorecards.currentScores()).toEqual(
        current.map(({ scorecard, entityRef, ownerRef, score, grade }) => ({
          scorecard,
          entityRef,
          ownerRef,
          score,
          grade,
        })),
      );
      expect(
        (await scorecards.currentScores('group:default/storefront')).map(
          r => r.entityRef,
        ),
      ).toEqual([SHOP]);
    });

    it('records a full evaluation (more results than a transaction takes) as one at a time would', async () => {
      const many = (score: (i: number) => number, when: Date) =>
        Array.from({ length: 450 }, (_, i) =>
          result(`component:default/many-${i}`, score(i), when),
        );
      const t1 = at(10 * DAY);
      const t2 = at(10 * DAY + HOUR);
      expect(
        await scorecards.recordAll(
          many(() => 100, t1),
          t1,
        ),
      ).toBe(450);
      // an hour later three changed, one in each transaction: three new rows, the rest seen again
      const changed = (i: number) => (i % 150 === 0 ? 50 : 100);
      expect(await scorecards.recordAll(many(changed, t2), t2)).toBe(3);
      const [first] = await scorecards.forEntity('component:default/many-0');
      expect(first.history.map(p => p.score)).toEqual([100, 50]);
      const [last] = await scorecards.forEntity('component:default/many-449');
      expect(last).toMatchObject({ score: 100, evaluatedAt: t2.toISOString() });
      expect(last.history).toHaveLength(1);
    });
  },
);
