/*
 * The argv of the tofu commands the runner starts.
 */
import { TOFU_ARGV } from './tofuCommands';

describe('tofu commands', () => {
  it('starts every tofu command without prompts or colour, as JSON where it streams a log, waiting for the state lock where it takes one', () => {
    for (const [command, argv] of Object.entries(TOFU_ARGV)) {
      expect(argv[0]).toBe(command);
      expect(argv).toContain('-no-color');
      expect(argv).toContain('-json');
    }
    // `output` asks nothing; every other command is told not to
    for (const command of ['init', 'apply', 'destroy', 'plan'] as const)
      expect(TOFU_ARGV[command]).toContain('-input=false');
    for (const command of ['apply', 'destroy', 'plan'] as const)
      expect(TOFU_ARGV[command]).toContain('-lock-timeout=60s');
    expect(TOFU_ARGV.plan).toEqual(
      expect.arrayContaining(['-refresh-only', '-detailed-exitcode']),
    );
  });
});
