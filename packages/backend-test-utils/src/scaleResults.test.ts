import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  readScaleResults,
  recordScale,
  recordScaleNote,
  scaleTables,
} from './scaleResults';

describe('scale results', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-results-'));
  const file = path.join(dir, 'results.jsonl');
  beforeEach(() => {
    process.env.BENCH_SCALE_RESULTS = file;
    fs.rmSync(file, { force: true });
  });
  afterAll(() => {
    delete process.env.BENCH_SCALE_RESULTS;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('makes a table per measurement with a column per size, ascending', () => {
    recordScale('Catalog list', 1000, { 'portal p50 ms': 912.4, ratio: 1.1 });
    recordScale('Catalog list', 1, { 'portal p50 ms': 12.3456, ratio: 1.05 });
    recordScale('Reaper pass', 100, { 'p50 ms': 3 });
    recordScaleNote('Catalog list', 'Target: ratio at 1,000× ≤ 1.2 × at 1×.');

    const { records, notes } = readScaleResults(file);
    expect(scaleTables(records, notes)).toBe(
      [
        '### Catalog list',
        '',
        '| | 1× | 1,000× |',
        '| --- | ---: | ---: |',
        '| portal p50 ms | 12.35 | 912 |',
        '| ratio | 1.05 | 1.10 |',
        '',
        'Target: ratio at 1,000× ≤ 1.2 × at 1×.',
        '',
        '### Reaper pass',
        '',
        '| | 100× |',
        '| --- | ---: |',
        '| p50 ms | 3 |',
        '',
      ].join('\n'),
    );
  });

  it('keeps the later of two records of a cell and marks a missing one', () => {
    recordScale('Lists', 1, { 'team p50 ms': 5, 'all p50 ms': 7 });
    recordScale('Lists', 1, { 'team p50 ms': 4 });
    recordScale('Lists', 100, { 'team p50 ms': 6 });
    const { records } = readScaleResults(file);
    const table = scaleTables(records);
    expect(table).toContain('| team p50 ms | 4 | 6 |');
    expect(table).toContain('| all p50 ms | 7 | – |');
  });
});
