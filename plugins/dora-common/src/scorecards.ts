/*
 * Scorecards: checks on catalog entities defined in YAML in git (scorecards/*.yaml), graded into
 * levels from weighted checks, stored with their history, rolled up per team. The JSON API of the
 * dora backend under /api/dora/scorecards.
 */

/** Levels, from the best. `none` when the score reaches no level. */
export type ScorecardGrade = 'gold' | 'silver' | 'bronze' | 'none';

export const SCORECARD_GRADES: ScorecardGrade[] = [
  'gold',
  'silver',
  'bronze',
  'none',
];

/** An exemption of one entity from one check, approved in git, until it expires. */
export interface ScorecardExemption {
  entityRef: string;
  scorecard: string;
  check: string;
  reason: string;
  approvedBy: string;
  /** ISO 8601 date; after it, the check counts again. */
  expires: string;
}

export interface ScorecardCheckResult {
  id: string;
  title: string;
  weight: number;
  /** passed, failed, or exempt (counted as passed while the exemption lasts). */
  outcome: 'passed' | 'failed' | 'exempt';
  /** Why, in a sentence: what was found, or what is missing. */
  detail: string;
  exemption?: ScorecardExemption;
}

export interface ScorecardResult {
  scorecard: string;
  title: string;
  entityRef: string;
  /** The entity's owner when it was evaluated. */
  ownerRef?: string;
  /** Weighted share of the checks passed (exempt counts as passed), 0 to 100. */
  score: number;
  grade: ScorecardGrade;
  checks: ScorecardCheckResult[];
  evaluatedAt: string;
}

export interface ScorecardHistoryPoint {
  evaluatedAt: string;
  score: number;
  grade: ScorecardGrade;
}

/** GET /scorecards/entity?entityRef=...: the latest result of each scorecard, and its history. */
export interface EntityScorecardsResponse {
  entityRef: string;
  results: Array<ScorecardResult & { history: ScorecardHistoryPoint[] }>;
}

/** One team's standing on one scorecard: its entities' latest results. */
export interface TeamScorecardRollup {
  teamRef: string;
  scorecard: string;
  title: string;
  entities: number;
  averageScore: number;
  grades: Record<ScorecardGrade, number>;
  items: Array<{ entityRef: string; score: number; grade: ScorecardGrade }>;
}

/** GET /scorecards/teams[?teamRef=...]: every team's rollups (or one team's). */
export interface TeamScorecardsResponse {
  items: TeamScorecardRollup[];
  /** Where the next page starts (offset=...), absent on the last page. */
  nextOffset?: number;
}
