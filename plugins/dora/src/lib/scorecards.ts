import {
  SCORECARD_GRADES,
  ScorecardExemption,
  ScorecardGrade,
  ScorecardHistoryPoint,
} from '@internal/plugin-dora-common';
import { formatDate, shortRef } from './format';

/** "until 2026-06-30", or "expired 2026-01-31" once the date is past. */
export function exemptionExpiry(
  exemption: Pick<ScorecardExemption, 'expires'>,
  now = Date.now(),
): { expired: boolean; text: string } {
  const t = new Date(exemption.expires).getTime();
  // A date without a time lasts the whole day.
  const end = /^\d{4}-\d{2}-\d{2}$/.test(exemption.expires)
    ? t + 24 * 3600_000
    : t;
  const expired = Number.isFinite(end) && end <= now;
  return {
    expired,
    text: `${expired ? 'expired' : 'until'} ${formatDate(exemption.expires)}`,
  };
}

/** "Exempt: <reason>. Approved by ana, until 2026-06-30." */
export function exemptionText(
  exemption: ScorecardExemption,
  now = Date.now(),
): string {
  const reason = exemption.reason.trim().replace(/\.$/, '');
  return `Exempt: ${reason}. Approved by ${shortRef(exemption.approvedBy)}, ${
    exemptionExpiry(exemption, now).text
  }.`;
}

/** "2 gold, 1 bronze, 1 none", best first, grades with no entity left out. */
export function gradeCountsText(
  grades: Partial<Record<ScorecardGrade, number>>,
): string {
  const parts = SCORECARD_GRADES.filter(g => (grades[g] ?? 0) > 0).map(
    g => `${grades[g]} ${g}`,
  );
  return parts.length ? parts.join(', ') : 'no entities';
}

/** History points oldest first, for a sparkline. */
export function historySeries(
  history: ScorecardHistoryPoint[],
): Array<{ label: string; value: number }> {
  return [...history]
    .sort(
      (a, b) =>
        new Date(a.evaluatedAt).getTime() - new Date(b.evaluatedAt).getTime(),
    )
    .map(p => ({ label: formatDate(p.evaluatedAt), value: p.score }));
}

/** A score 0..100 as "82 / 100". */
export function scoreText(score: number): string {
  return `${Math.round(score)} / 100`;
}
