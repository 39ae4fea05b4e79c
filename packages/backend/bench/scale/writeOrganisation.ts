/*
 * Writes a generated organisation where the real catalog and the real OPA policies read it:
 *
 *   <dir>/catalog/all.yaml        a Location whose targets are the files below (register this one,
 *                                 as app-config registers catalog/all.yaml)
 *   <dir>/catalog/<kind>s.yaml    multi-document YAML, at most ENTITIES_PER_FILE entities a file
 *                                 (components-1.yaml, components-2.yaml, ... when there are more)
 *   <dir>/policies/               the repository's policies/ without its tests, with
 *                                 portal/org/data.yaml replaced by the generated role data: give
 *                                 this folder to OPA in place of policies/
 *   <dir>/repositories.yaml       every component's repository (slug, component, owner), for DORA
 *
 * The output depends only on the organisation (no dates, no absolute paths): the same scale and
 * seed write the same bytes.
 */
import { repoRoot } from '@internal/backend-test-utils';
import fs from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { Organisation } from './generateOrganisation';

export const ENTITIES_PER_FILE = 1000;

export interface WrittenOrganisation {
  /** The Location file to register (a `file` location). */
  locationFile: string;
  /** The folder to load into OPA in place of the repository's policies/. */
  policyDir: string;
  /** The generated role data (policyDir/portal/org/data.yaml). */
  roleDataFile: string;
  repositoriesFile: string;
  /** Every file written, relative to dir, in order. */
  files: string[];
}

const toYaml = (docs: unknown[]) =>
  docs.map(d => stringify(d, { lineWidth: 0 })).join('---\n');

export async function writeOrganisation(
  dir: string,
  org: Organisation,
): Promise<WrittenOrganisation> {
  const header = `# A synthetic organisation (scale ${org.scale}, seed ${org.seed}), written by scripts/generate-org\n# (packages/backend/bench/scale). Generated: edit the generator, not this file.\n`;
  const files: string[] = [];
  const write = async (rel: string, text: string) => {
    const file = path.join(dir, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text, 'utf8');
    files.push(rel);
  };

  const kinds: Array<[string, unknown[]]> = [
    ['groups', org.groups],
    ['users', org.users],
    ['domains', org.domains],
    ['systems', org.systems],
    ['components', org.components],
    ['apis', org.apis],
    ['resources', org.resources],
  ];
  const targets: string[] = [];
  for (const [kind, entities] of kinds) {
    const chunks = Math.ceil(entities.length / ENTITIES_PER_FILE);
    for (let i = 0; i < chunks; i++) {
      const file = chunks === 1 ? `${kind}.yaml` : `${kind}-${i + 1}.yaml`;
      const part = entities.slice(
        i * ENTITIES_PER_FILE,
        (i + 1) * ENTITIES_PER_FILE,
      );
      await write(`catalog/${file}`, header + toYaml(part));
      targets.push(`./${file}`);
    }
  }
  await write(
    'catalog/all.yaml',
    header +
      toYaml([
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Location',
          metadata: {
            name: `acme-synthetic-org-${org.scale}x`,
            description: `A synthetic organisation at ${org.scale} times the example (seed ${org.seed}).`,
          },
          spec: { targets },
        },
      ]),
  );

  const policies = path.join(repoRoot, 'policies');
  for (const rel of await policyFiles(policies)) {
    if (rel === 'portal/org/data.yaml') continue;
    await write(
      `policies/${rel}`,
      await fs.readFile(path.join(policies, rel), 'utf8'),
    );
  }
  await write(
    'policies/portal/org/data.yaml',
    `${header}# The organisation as the policies see it (data.portal.org), in the shape of the repository's\n# policies/portal/org/data.yaml: parents (group -> parent group) and role_bindings (ref -> roles).\n${stringify(
      org.roles,
      { lineWidth: 0 },
    )}`,
  );
  await write(
    'repositories.yaml',
    `${header}# Every component's repository, as DORA attributes deliveries (${
      org.repositories.length
    }).\n${stringify({ repositories: org.repositories }, { lineWidth: 0 })}`,
  );

  return {
    locationFile: path.join(dir, 'catalog/all.yaml'),
    policyDir: path.join(dir, 'policies'),
    roleDataFile: path.join(dir, 'policies/portal/org/data.yaml'),
    repositoriesFile: path.join(dir, 'repositories.yaml'),
    files,
  };
}

/** The policy and data files OPA loads (.rego without the tests, .yaml, .json), sorted. */
async function policyFiles(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(path.join(root, rel), {
    withFileTypes: true,
  });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await policyFiles(root, child)));
    else if (
      /\.(rego|ya?ml|json)$/.test(e.name) &&
      !/_test\.rego$/.test(e.name)
    ) {
      out.push(child);
    }
  }
  return out;
}
