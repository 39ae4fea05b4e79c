/*
 * The organisation of the DORA and scorecards scale benchmark (scale.bench.ts) at 1, 100 or 1,000
 * times the example organisation, as catalog YAML for a `file` location: the example's groups and
 * users (catalog/org.yaml, whose users sign in), teams up to 3 / 40 / 300 (the example's three,
 * then team-N), 10 / 1,000 / 10,000 components owned round-robin by the teams (a tenth libraries,
 * which no scorecard applies to, a seventh websites, the rest services; two in three with TechDocs,
 * half from a template; each names its repository, acme/<name>), one sandbox environment a team
 * (every third quarantined, every fifth long expired), and the components with DORA history: the
 * first 1 / 50 / 500 services.
 */
import fs from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';

/** The repository's root. */
export const REPO = path.resolve(__dirname, '../../..');

export interface ScaleOrganisation {
  scale: number;
  teams: string[];
  components: number;
  /** The components a scorecard applies to (services and websites). */
  scored: number;
  /** The components with DORA history: name and repository (owner/name). */
  services: { name: string; repo: string; team: string }[];
  /** The catalog file to register as a `file` location. */
  file: string;
}

/** 1× is the example organisation's size; 100× and 1,000× as issue 14 counts them. */
export const SIZES: Record<
  number,
  { teams: number; components: number; services: number }
> = {
  1: { teams: 3, components: 10, services: 1 },
  100: { teams: 40, components: 1000, services: 50 },
  1000: { teams: 300, components: 10000, services: 500 },
};

const EXAMPLE_TEAMS = ['platform', 'payments', 'storefront'];
const DAY = 24 * 3600_000;

export function componentType(i: number) {
  if (i % 10 === 9) return 'library';
  return i % 7 === 3 ? 'website' : 'service';
}

/** Writes the organisation's catalog file in `dir` (made if missing). */
export function writeOrganisation(
  scale: number,
  dir: string,
  now: Date,
): ScaleOrganisation {
  const size = SIZES[scale];
  if (!size)
    throw new Error(`BENCH_SCALES: ${scale} is not one of 1, 100, 1000`);
  const teams = Array.from({ length: size.teams }, (_, i) =>
    i < EXAMPLE_TEAMS.length ? EXAMPLE_TEAMS[i] : `team-${i}`,
  );
  const docs: object[] = [];
  for (const team of teams.slice(EXAMPLE_TEAMS.length)) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: team, title: `Team ${team.slice(5)}` },
      spec: { type: 'team', parent: 'engineering', children: [] },
    });
  }
  const services: ScaleOrganisation['services'] = [];
  for (let i = 0; i < size.components; i++) {
    const name = `svc-${i}`;
    const team = teams[i % teams.length];
    const type = componentType(i);
    if (type === 'service' && services.length < size.services)
      services.push({ name, repo: `acme/${name}`, team });
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name,
        annotations: {
          'github.com/project-slug': `acme/${name}`,
          ...(i % 3 ? { 'backstage.io/techdocs-ref': 'dir:.' } : {}),
          ...(i % 2 === 0
            ? {
                'backstage.io/source-template': 'template:default/node-service',
              }
            : {}),
        },
      },
      spec: { type, owner: team, lifecycle: 'production' },
    });
  }
  teams.forEach((team, i) => {
    let expires = new Date(now.getTime() + 7 * DAY);
    if (i % 5 === 4) expires = new Date(now.getTime() - 30 * DAY);
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: `sandbox-${team}`,
        annotations: {
          'portal.acme.example/environment-state':
            i % 3 === 2 ? 'quarantined' : 'active',
          'portal.acme.example/environment-expires-at': expires.toISOString(),
        },
      },
      spec: { type: 'environment', owner: team, lifecycle: 'experimental' },
    });
  });
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `organisation-${scale}.yaml`);
  const example = fs.readFileSync(path.join(REPO, 'catalog/org.yaml'), 'utf8');
  fs.writeFileSync(
    file,
    [example.trimEnd(), ...docs.map(d => stringify(d).trimEnd())].join(
      '\n---\n',
    ),
  );
  let scored = 0;
  for (let i = 0; i < size.components; i++)
    if (componentType(i) !== 'library') scored++;
  return { scale, teams, components: size.components, scored, services, file };
}
