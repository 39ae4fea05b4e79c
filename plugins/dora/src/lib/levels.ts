import { DoraLevel, ScorecardGrade } from '@internal/plugin-dora-common';

export type ChipColor =
  | 'default'
  | 'primary'
  | 'secondary'
  | 'success'
  | 'warning'
  | 'error'
  | 'info';

/** DORA levels, from the best: elite green, high blue, medium orange, low red. */
export const LEVEL_COLORS: Record<DoraLevel, ChipColor> = {
  elite: 'success',
  high: 'info',
  medium: 'warning',
  low: 'error',
};

export function levelColor(level: DoraLevel | undefined): ChipColor {
  return level ? LEVEL_COLORS[level] : 'default';
}

/** The level as a badge reads: "Elite", or why there is none. */
export function levelLabel(
  level: DoraLevel | undefined,
  reason?: 'insufficient' | 'no-benchmark',
): string {
  if (level) return level[0].toUpperCase() + level.slice(1);
  if (reason === 'insufficient') return 'No level';
  if (reason === 'no-benchmark') return 'No benchmark level';
  return 'No level';
}

/** Scorecard grades: the colours of the medals, grey for none. */
export const GRADE_COLORS: Record<
  ScorecardGrade,
  { background: string; text: string }
> = {
  gold: { background: '#D4AF37', text: '#1A1A1A' },
  silver: { background: '#B8BCC2', text: '#1A1A1A' },
  bronze: { background: '#B0703C', text: '#FFFFFF' },
  none: { background: '#757575', text: '#FFFFFF' },
};

export function gradeLabel(grade: ScorecardGrade): string {
  return grade === 'none'
    ? 'No grade'
    : grade[0].toUpperCase() + grade.slice(1);
}

/** Passed green, failed red, exempt grey-blue. */
export const OUTCOME_COLORS: Record<'passed' | 'failed' | 'exempt', ChipColor> =
  {
    passed: 'success',
    failed: 'error',
    exempt: 'default',
  };

export type NoLevelReason = 'insufficient' | 'no-benchmark';

/** Why a metric has no level: too little data, or a benchmark without levels for it (rework rate). */
export function noLevelReason(metric: {
  level?: DoraLevel;
  value?: number;
  insufficientData: boolean;
}): NoLevelReason | undefined {
  if (metric.insufficientData || metric.value === undefined)
    return 'insufficient';
  if (!metric.level) return 'no-benchmark';
  return undefined;
}

/** The tooltip of a level badge. */
export function levelTooltip(
  level: DoraLevel | undefined,
  benchmark: string,
  reason?: NoLevelReason,
): string {
  if (level)
    return `${levelLabel(level)} under the DORA ${benchmark} benchmark`;
  if (reason === 'no-benchmark')
    return `The DORA ${benchmark} benchmark has no levels for this metric`;
  return 'Not enough data for a level';
}
