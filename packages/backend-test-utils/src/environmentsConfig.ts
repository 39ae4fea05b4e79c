import path from 'node:path';
import { repoRoot as repo } from './repoRoot';

/**
 * Config for a test backend that runs the environments plugin the way the portal does: permissions
 * decided by a local OPA on the repository's policies/ (no decision cache), blueprints from
 * templates/environments, OpenTofu's work under `workDir`; `environments` adds to that plugin's
 * section. Spread it into mockServices.rootConfig's data, next to what the test adds.
 */
export function environmentsTestConfig(
  workDir: string,
  environments: Record<string, unknown> = {},
) {
  return {
    app: { baseUrl: 'http://localhost:3000' },
    permission: { enabled: true },
    opa: {
      local: { policyDir: path.join(repo, 'policies') },
      cache: { ttlMs: 0 },
    },
    environments: {
      blueprintsDir: path.join(repo, 'templates/environments'),
      workDir,
      ...environments,
    },
  };
}
