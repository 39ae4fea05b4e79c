import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './repoRoot';

/**
 * The machine a benchmark ran on, for the "Machine:" line of its section in docs/benchmarks.md:
 * cores and model, memory, kernel, Node, then `extra` (such as the PostgreSQL version), then the
 * load average when it is called (the machine is shared).
 */
export function describeMachine(extra: string[] = []): string {
  const cpus = os.cpus();
  return [
    `${cpus.length} × ${cpus[0]?.model.trim()}`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    `Linux ${os.release()}`,
    `Node ${process.version}`,
    ...extra,
    `load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')} at the end (the machine is shared)`,
  ].join(', ');
}

/** Appends a benchmark's section to BENCH_OUT, else the repository's docs/benchmarks.md (created when missing). */
export function appendBenchmarkSection(section: string): void {
  const out =
    process.env.BENCH_OUT ?? path.join(repoRoot, 'docs/benchmarks.md');
  if (!fs.existsSync(out))
    fs.writeFileSync(
      out,
      '# Benchmarks\n\nEach section is one run of a script in bench/, newest last.\n',
    );
  fs.appendFileSync(out, `\n${section}`);
}
