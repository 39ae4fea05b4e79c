import {
  TemplateAdoptionRow,
  TimeToFirstDeployRow,
} from '@internal/plugin-dora-common';
import { median } from './stats';

export interface AdoptionTotal {
  key: string;
  runs: number;
  succeeded: number;
  /** Per team: how many templates it ran; per template: how many teams ran it. */
  distinct: number;
}

/** Template runs added up per team (`by: 'team'`) or per template, most runs first. */
export function adoptionBy(
  rows: TemplateAdoptionRow[],
  by: 'team' | 'template',
): AdoptionTotal[] {
  const totals = new Map<
    string,
    { runs: number; succeeded: number; other: Set<string> }
  >();
  for (const r of rows) {
    const key = by === 'team' ? r.teamRef ?? 'unknown' : r.templateRef;
    const other = by === 'team' ? r.templateRef : r.teamRef ?? 'unknown';
    const t = totals.get(key) ?? {
      runs: 0,
      succeeded: 0,
      other: new Set<string>(),
    };
    t.runs += r.runs;
    t.succeeded += r.succeeded;
    t.other.add(other);
    totals.set(key, t);
  }
  return [...totals.entries()]
    .map(([key, t]) => ({
      key,
      runs: t.runs,
      succeeded: t.succeeded,
      distinct: t.other.size,
    }))
    .sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key));
}

/** Median hours from template run to first production deployment, over the services that have deployed. */
export function timeToFirstDeploySummary(rows: TimeToFirstDeployRow[]): {
  deployed: number;
  waiting: number;
  medianHours?: number;
} {
  const hours = rows
    .map(r => r.hours)
    .filter((h): h is number => typeof h === 'number');
  return {
    deployed: hours.length,
    waiting: rows.length - hours.length,
    medianHours: median(hours),
  };
}
