import {
  exemptionExpiry,
  exemptionText,
  gradeCountsText,
  historySeries,
  scoreText,
} from './scorecards';

describe('scorecards', () => {
  const exemption = {
    entityRef: 'component:default/a',
    scorecard: 'production-readiness',
    check: 'has-docs',
    reason: 'Docs move to the new site in Q3.',
    approvedBy: 'user:default/ana',
    expires: '2026-06-30',
  };

  it('describes an exemption with its reason, approver and expiry', () => {
    const now = new Date('2026-06-30T12:00:00Z').getTime();
    expect(exemptionText(exemption, now)).toBe(
      'Exempt: Docs move to the new site in Q3. Approved by ana, until 2026-06-30.',
    );
    expect(
      exemptionExpiry(exemption, new Date('2026-07-02T00:00:00Z').getTime()),
    ).toEqual({ expired: true, text: 'expired 2026-06-30' });
  });

  it('counts grades best first and orders history oldest first', () => {
    expect(gradeCountsText({ bronze: 1, gold: 2, silver: 0, none: 1 })).toBe(
      '2 gold, 1 bronze, 1 none',
    );
    expect(gradeCountsText({})).toBe('no entities');
    expect(
      historySeries([
        { evaluatedAt: '2026-03-02T00:00:00Z', score: 80, grade: 'silver' },
        { evaluatedAt: '2026-03-01T00:00:00Z', score: 60, grade: 'bronze' },
      ]).map(p => p.value),
    ).toEqual([60, 80]);
    expect(scoreText(82.4)).toBe('82 / 100');
  });
});
