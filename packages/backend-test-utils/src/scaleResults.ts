import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * The scale benchmarks (bench/scale.sh, issue 14) run in several packages, one part each, and
 * write one section to docs/benchmarks.md: a table per measurement, one column per organisation
 * size. Each part records its figures here, one JSON line each, in the file BENCH_SCALE_RESULTS
 * names; bench/scale.sh then turns the lines into the section (scaleSection).
 */

/** One figure of one measurement at one organisation size. */
export interface ScaleRecord {
  /** The measurement's table, e.g. "Catalog list of every component, SQLite". */
  table: string;
  /** The organisation's size: 1, 10, 100 or 1000 times the example organisation. */
  scale: number;
  /** The row, e.g. "portal p50 ms", "allow-all p50 ms (baseline)", "ratio". */
  row: string;
  value: string;
}

/** Where the records go: BENCH_SCALE_RESULTS, else a file in the temporary folder (printed). */
export function scaleResultsFile(): string {
  return (
    process.env.BENCH_SCALE_RESULTS ??
    path.join(os.tmpdir(), 'bench-scale-results.jsonl')
  );
}

function format(v: number | string): string {
  if (typeof v === 'string') return v;
  return Math.abs(v) >= 100 || Number.isInteger(v)
    ? v.toFixed(0)
    : v.toFixed(2);
}

/**
 * Records a measurement's rows at one size, in the given order. A table's notes (its target,
 * what the baseline is) are recorded once with recordScaleNote.
 */
export function recordScale(
  table: string,
  scale: number,
  rows: Record<string, number | string>,
): void {
  const lines = Object.entries(rows).map(
    ([row, value]) =>
      `${JSON.stringify({ table, scale, row, value: format(value) })}\n`,
  );
  fs.appendFileSync(scaleResultsFile(), lines.join(''));
}

/** A sentence under a table: what it measures, its baseline, its target. Kept once per table. */
export function recordScaleNote(table: string, note: string): void {
  fs.appendFileSync(scaleResultsFile(), `${JSON.stringify({ table, note })}\n`);
}

/** Reads a results file: its records and its notes, in the order written. */
export function readScaleResults(file: string): {
  records: ScaleRecord[];
  notes: Map<string, string>;
} {
  const records: ScaleRecord[] = [];
  const notes = new Map<string, string>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const item = JSON.parse(line);
    if (typeof item.note === 'string') notes.set(item.table, item.note);
    else records.push(item as ScaleRecord);
  }
  return { records, notes };
}

const sizeName = (scale: number) => `${scale.toLocaleString('en-GB')}×`;

/**
 * The section's tables: one per measurement in the order first recorded, a column per size
 * (ascending), a row per figure in the order first recorded. A later record of the same cell
 * replaces an earlier one. A cell never measured is "–".
 */
export function scaleTables(
  records: ScaleRecord[],
  notes: Map<string, string> = new Map(),
): string {
  const tables = new Map<string, ScaleRecord[]>();
  for (const r of records) {
    if (!tables.has(r.table)) tables.set(r.table, []);
    tables.get(r.table)!.push(r);
  }
  const out: string[] = [];
  for (const [table, rs] of tables) {
    const scales = [...new Set(rs.map(r => r.scale))].sort((a, b) => a - b);
    const rows = [...new Set(rs.map(r => r.row))];
    const cell = new Map(rs.map(r => [`${r.row}\u0000${r.scale}`, r.value]));
    out.push(
      `### ${table}`,
      '',
      `| | ${scales.map(sizeName).join(' | ')} |`,
      `| --- | ${scales.map(() => '---:').join(' | ')} |`,
      ...rows.map(
        row =>
          `| ${row} | ${scales
            .map(s => cell.get(`${row}\u0000${s}`) ?? '–')
            .join(' | ')} |`,
      ),
      '',
    );
    const note = notes.get(table);
    if (note) out.push(note, '');
  }
  return out.join('\n');
}
