import {
  ScorecardCheckResult,
  ScorecardGrade,
} from '@internal/plugin-dora-common';

/**
 * The weighted share of checks passed (an exempt check counts as passed), 0-100, rounded to one
 * decimal, and the best level whose lowest score it reaches.
 */
export function grade(
  checks: Array<Pick<ScorecardCheckResult, 'weight' | 'outcome'>>,
  levels: { gold: number; silver: number; bronze: number },
): { score: number; grade: ScorecardGrade } {
  const total = checks.reduce((s, c) => s + c.weight, 0);
  const passed = checks
    .filter(c => c.outcome !== 'failed')
    .reduce((s, c) => s + c.weight, 0);
  const score = total === 0 ? 0 : Math.round((1000 * passed) / total) / 10;
  let level: ScorecardGrade = 'none';
  if (score >= levels.gold) level = 'gold';
  else if (score >= levels.silver) level = 'silver';
  else if (score >= levels.bronze) level = 'bronze';
  return { score, grade: level };
}
