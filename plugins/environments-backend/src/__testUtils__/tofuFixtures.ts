/*
 * Test-only: what the tests that run the real OpenTofu share. Imported by *.test.ts files alone.
 */
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { findTool } from '@internal/plugin-platform-node';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The repository's root. */
export const REPO = resolvePackagePath(
  '@internal/plugin-environments-backend',
  '../..',
);

/** The repository's blueprints (templates/environments). */
export const REPO_BLUEPRINTS = path.join(REPO, 'templates/environments');

/** The local PostgreSQL server, without a database. */
export const PG =
  process.env.PORTAL_TEST_PG_URL ??
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

/**
 * The OpenTofu of tools/ and a scratch folder for the tests of one describe block: found and
 * made before them, the folder removed after them.
 */
export function tofuScratch(prefix: string): {
  tofu(): string;
  root(): string;
} {
  let tofu = '';
  let root = '';
  beforeAll(async () => {
    tofu = (await findTool(new ConfigReader({}), 'tofu')).path;
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  return { tofu: () => tofu, root: () => root };
}
