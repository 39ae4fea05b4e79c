import { Config } from '@backstage/config';

import {
  PRODUCTION_MIN_SECRET_LENGTH,
  REPOSITORY_SECRETS,
} from '@internal/plugin-platform-node';

export { PRODUCTION_MIN_SECRET_LENGTH, REPOSITORY_SECRETS };

/**
 * The development defaults of the DORA plugin's configuration that production must not start
 * with, each as `key: rule (production)`, never with a secret's value. Empty when there is none.
 */
export function doraProductionProblems(config: Config): string[] {
  const problems: string[] = [];
  (config.getOptionalConfigArray('dora.sources') ?? []).forEach((source, i) => {
    const key = `dora.sources[${i}].secret`;
    const secret = source.getOptionalString('secret');
    if (secret === undefined) return; // readSources names a missing secret
    if (REPOSITORY_SECRETS.has(secret.trim())) {
      problems.push(
        `${key}: must not be a value that appears in the repository (production)`,
      );
    } else if (secret.length < PRODUCTION_MIN_SECRET_LENGTH) {
      problems.push(
        `${key}: must be at least ${PRODUCTION_MIN_SECRET_LENGTH} characters (production)`,
      );
    }
  });
  if (config.getOptionalBoolean('dora.demo.seed')) {
    problems.push(
      'dora.demo.seed: must be false (production): the demo history is signed with a secret from the repository',
    );
  }
  return problems;
}

/**
 * With NODE_ENV=production, throws at plugin init when the DORA configuration keeps a
 * development default, naming each key, so that the backend does not start.
 */
export function assertDoraProductionConfig(
  config: Config,
  nodeEnv: string | undefined = process.env.NODE_ENV,
): void {
  if (nodeEnv !== 'production') return;
  const problems = doraProductionProblems(config);
  if (problems.length) {
    throw new Error(
      `refusing to start with development defaults: ${problems.join('; ')}`,
    );
  }
}
