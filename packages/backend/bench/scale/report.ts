/*
 * bench/scale.sh's last step: turns the records of every part of the scale benchmark
 * (BENCH_SCALE_RESULTS) into one dated section of docs/benchmarks.md (or BENCH_OUT).
 *
 *   node --require <nodeTransform> report.ts <records file> <parts run>
 */
import {
  appendBenchmarkSection,
  describeMachine,
  readScaleResults,
  scaleTables,
} from '@internal/backend-test-utils';
import { execFileSync } from 'node:child_process';

function main() {
  const [file, parts = ''] = process.argv.slice(2);
  if (!file) throw new Error('usage: report.ts <records file> [parts]');
  const { records, notes } = readScaleResults(file);
  if (records.length === 0) throw new Error(`${file} holds no records`);
  const commit = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'])
        .toString()
        .trim();
    } catch {
      return 'unknown';
    }
  })();
  const section = [
    `## Scale, ${new Date().toISOString().slice(0, 10)} (commit ${commit})`,
    '',
    `Machine: ${describeMachine()}. Command: \`bench/scale.sh\` (parts: ${
      parts || 'all'
    }). Each size is a generated organisation (scripts/generate-org, seed 1) loaded through the real catalog: 1× is the example organisation's size (10 components, 8 people, 3 teams), 100× has 1,000 components, 200 people and 40 teams, 1,000× has 10,000 components, 3,000 APIs, 1,000 resources, 2,000 people and 300 teams in groups 4 levels deep. Every ratio is the portal's figure over its baseline's, measured side by side in the same run.`,
    '',
    scaleTables(records, notes),
  ].join('\n');
  appendBenchmarkSection(section);
  process.stdout.write(`${section}\n`);
}

main();
