/*
 * The config overlay that starts the portal on a written organisation:
 *
 *   scripts/start --config <dir>/app-config.yaml
 *
 * It replaces app-config.yaml's catalog locations with the generated Location (and keeps the
 * golden-path templates), gives OPA the generated policies, and points the DORA demo seeder at
 * repositories of the guest's first team, so that the guest's team has a DORA history on the
 * first start. Unlike the organisation's own files it names absolute paths: it is written for
 * this checkout and this output folder.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { Organisation } from './generateOrganisation';
import { GUEST } from './people';

/** How many of the guest's team's repositories get the demo history (the demo's four profiles). */
export const DEMO_REPOSITORIES = 4;

/** The repositories (owner/name) of the first `count` components the guest's first team owns. */
export function guestTeamRepositories(
  org: Organisation,
  count = DEMO_REPOSITORIES,
): string[] {
  const guest = org.users.find(u => u.metadata.name === GUEST);
  const team = (guest?.spec?.memberOf as string[] | undefined)?.[0];
  if (!team) throw new Error(`the organisation has no ${GUEST} in a team`);
  return org.repositories
    .filter(r => r.owner === team)
    .slice(0, count)
    .map(r => r.slug);
}

/** The catalog location of a written organisation, with the kinds app-config.yaml allows its own. */
export function organisationLocation(locationFile: string) {
  return {
    type: 'file',
    target: locationFile,
    rules: [
      {
        allow: [
          'Component',
          'System',
          'API',
          'Resource',
          'Location',
          'Domain',
          'User',
          'Group',
        ],
      },
    ],
  };
}

export function portalConfig(
  dir: string,
  org: Organisation,
): Record<string, unknown> {
  return {
    catalog: {
      locations: [
        organisationLocation(path.join(dir, 'catalog/all.yaml')),
        // as app-config.yaml: relative to the backend process, packages/backend
        {
          type: 'file',
          target: '../../templates/*/template.yaml',
          rules: [{ allow: ['Template'] }],
        },
      ],
    },
    opa: { local: { policyDir: path.join(dir, 'policies') } },
    dora: { demo: { repositories: guestTeamRepositories(org) } },
  };
}

/** Writes <dir>/app-config.yaml; returns its path. */
export async function writePortalConfig(
  dir: string,
  org: Organisation,
): Promise<string> {
  const file = path.join(dir, 'app-config.yaml');
  const header = `# Starts the portal on the synthetic organisation of this folder (scale ${org.scale}, seed ${org.seed}):\n#   scripts/start --config ${file}\n# Written by scripts/generate-org for this checkout: it names absolute paths.\n`;
  await fs.writeFile(
    file,
    header + stringify(portalConfig(dir, org), { lineWidth: 0 }),
    'utf8',
  );
  return file;
}
