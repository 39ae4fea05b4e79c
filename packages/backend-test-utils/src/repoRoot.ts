import { resolvePackagePath } from '@backstage/backend-plugin-api';

/** The repository's root folder: this package is its packages/backend-test-utils. */
export const repoRoot = resolvePackagePath(
  '@internal/backend-test-utils',
  '../..',
);
