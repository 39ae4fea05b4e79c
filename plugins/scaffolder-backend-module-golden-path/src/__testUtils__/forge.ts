/*
 * The local Gitea for the module's tests: the real forge that scripts/test starts and provisions
 * (scripts/lib/gitea.sh: the acme organisation, its teams, the portal-admin token). Each test names
 * its repositories with a random suffix, so runs never collide; afterwards they are deleted.
 */
import { ConfigReader } from '@backstage/config';
import { ScmIntegrations } from '@backstage/integration';
import { testForge as sharedTestForge } from '@internal/backend-test-utils';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GiteaClient } from '../forge/GiteaClient';

export const DORA_TEST_SECRET = 'gitea-test-secret-0123456789abcdef';

export function testForge() {
  const shared = sharedTestForge();
  const { baseUrl, token } = shared;
  const host = new URL(baseUrl).host;
  const config = new ConfigReader({
    backend: { baseUrl: 'http://localhost:7007' },
    integrations: shared.integrations(),
    goldenPath: { forge: { host, organisation: 'acme' } },
    scaffolder: {
      defaultAuthor: { name: 'Portal', email: 'portal@acme.example' },
    },
    dora: {
      sources: [
        { id: 'gitea-test', type: 'gitea', secret: DORA_TEST_SECRET },
        { id: 'github-test', type: 'github', secret: DORA_TEST_SECRET },
      ],
    },
  });
  const integrations = ScmIntegrations.fromConfig(config);
  const client = new GiteaClient(integrations.gitea.byHost(host)!.config);
  return { baseUrl, host, token, config, integrations, client };
}

/** A repository name no other run uses. */
export const uniqueName = (prefix: string) =>
  `${prefix}-${crypto.randomBytes(4).toString('hex')}`;

/** A task workspace holding a README and a catalog-info.yaml. */
export function workspace(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golden-path-'));
  fs.writeFileSync(path.join(dir, 'README.md'), `# ${name}\n`);
  fs.writeFileSync(
    path.join(dir, 'catalog-info.yaml'),
    `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/payments\n`,
  );
  return dir;
}

/** The repositories of the acme organisation whose names start with `prefix`. */
export async function acmeRepositories(
  baseUrl: string,
  token: string,
  prefix: string,
): Promise<string[]> {
  const res = await fetch(
    `${baseUrl}/api/v1/repos/search?q=${prefix}&limit=50&owner=acme`,
    { headers: { Authorization: `token ${token}` } },
  );
  const body = await res.json();
  return body.data
    .map((r: { name: string }) => r.name)
    .filter((n: string) => n.startsWith(prefix));
}
