import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendBenchmarkSection, describeMachine } from './benchmarks';

describe('benchmark sections', () => {
  const saved = process.env.BENCH_OUT;
  afterEach(() => {
    if (saved === undefined) delete process.env.BENCH_OUT;
    else process.env.BENCH_OUT = saved;
  });

  it('describes the machine with the extras between Node and the load average', () => {
    const line = describeMachine(['PostgreSQL 15.20']);
    expect(line).toContain(`${os.cpus().length} × `);
    expect(line).toContain(
      `Linux ${os.release()}, Node ${
        process.version
      }, PostgreSQL 15.20, load average `,
    );
    expect(line).toMatch(/at the end \(the machine is shared\)$/);
  });

  it('creates the file with its heading, then appends each section after a blank line', () => {
    const out = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'bench-out-')),
      'benchmarks.md',
    );
    process.env.BENCH_OUT = out;
    appendBenchmarkSection('## One\n');
    appendBenchmarkSection('## Two\n');
    expect(fs.readFileSync(out, 'utf8')).toBe(
      '# Benchmarks\n\nEach section is one run of a script in bench/, newest last.\n\n## One\n\n## Two\n',
    );
  });
});
