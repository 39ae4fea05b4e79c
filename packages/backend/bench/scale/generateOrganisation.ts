/*
 * A synthetic organisation for scale tests (issue 14): seeded and deterministic, at 1 (the size of
 * the example organisation in catalog/, the scale benchmarks' baseline), 10, 100 or 1,000 times
 * it. Same scale and seed, same entities, in the same order; writeOrganisation (./writeOrganisation.ts) turns them into catalog YAML and OPA
 * role data for the real catalog and the real policies to load.
 *
 *   scale  groups (levels)                       people  systems  components  APIs   resources
 *   1      company + 3 teams (2)                 8       3        10          3      1
 *   10     company + 4 teams (2)                 20      10       100         30     10
 *   100    company + 5 departments, 40 teams (3) 200     100      1,000       300    100
 *   1000   company + 6 divisions, 30 departments,
 *          300 teams (4)                         2,000   1,000    10,000      3,000  1,000
 *
 * 5 % of components (rounded) are confidential (CONFIDENTIAL_ANNOTATION, as in catalog/), and
 * every component names its repository (github.com/project-slug: acme/<name>) for DORA.
 */
import { Entity } from '@backstage/catalog-model';
import { CONFIDENTIAL_ANNOTATION } from '@internal/plugin-catalog-backend-module-visibility';
import { Random } from './random';
import {
  COMPONENT_SUFFIXES,
  LANGUAGES,
  Namer,
  RESOURCE_KINDS,
  SUBJECTS,
  SYSTEM_SUFFIXES,
  titleCase,
} from './names';
import {
  buildGroupTree,
  buildRoleData,
  buildUsers,
  GroupNode,
  groupEntity,
  RoleData,
  teamsOf,
} from './people';

export type { RoleData } from './people';

export type Scale = 1 | 10 | 100 | 1000;
export const SCALES: Scale[] = [1, 10, 100, 1000];

export interface OrganisationSize {
  /** Groups per level below the company, top down; the last level are the teams. */
  groupLevels: number[];
  people: number;
  systems: number;
  components: number;
  apis: number;
  resources: number;
}

export const SIZES: Record<Scale, OrganisationSize> = {
  1: {
    groupLevels: [3],
    people: 8,
    systems: 3,
    components: 10,
    apis: 3,
    resources: 1,
  },
  10: {
    groupLevels: [4],
    people: 20,
    systems: 10,
    components: 100,
    apis: 30,
    resources: 10,
  },
  100: {
    groupLevels: [5, 40],
    people: 200,
    systems: 100,
    components: 1000,
    apis: 300,
    resources: 100,
  },
  1000: {
    groupLevels: [6, 30, 300],
    people: 2000,
    systems: 1000,
    components: 10000,
    apis: 3000,
    resources: 1000,
  },
};

export const CONFIDENTIAL_SHARE = 0.05;
export { CONFIDENTIAL_ANNOTATION };
export const REPOSITORY_ANNOTATION = 'github.com/project-slug';
export const REPOSITORY_OWNER = 'acme';

/** A component's repository, as DORA attributes deliveries: slug -> component -> owner. */
export interface Repository {
  slug: string;
  component: string;
  owner: string;
}

export interface Organisation {
  scale: Scale;
  seed: number;
  groups: Entity[];
  users: Entity[];
  domains: Entity[];
  systems: Entity[];
  components: Entity[];
  apis: Entity[];
  resources: Entity[];
  /** data.portal.org for the OPA policies, in the shape of policies/portal/org/data.yaml. */
  roles: RoleData;
  repositories: Repository[];
}

interface Software {
  entity: Entity;
  area: string;
  owner: GroupNode;
}

const entity = (
  kind: string,
  name: string,
  description: string,
  spec: NonNullable<Entity['spec']>,
  extra: Partial<Entity['metadata']> = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, title: titleCase(name), description, ...extra },
  spec,
});

const pushTo = (e: Entity, field: string, value: string) => {
  const list = (e.spec![field] ?? []) as string[];
  if (!list.includes(value)) e.spec![field] = [...list, value];
};

export function generateOrganisation(options: {
  scale: Scale;
  seed: number;
}): Organisation {
  const { scale, seed } = options;
  const size = SIZES[scale];
  if (!size) {
    throw new Error(`scale must be one of ${SCALES.join(', ')}, got ${scale}`);
  }
  const rng = new Random(seed);
  const tree = buildGroupTree(rng, size.groupLevels);
  const teams = teamsOf(tree);
  const users = buildUsers(rng, size.people, teams);

  const domains = tree
    .filter(g => g.depth === 2)
    .map(top =>
      entity('Domain', top.name, `What ${titleCase(top.name)} builds.`, {
        owner: top.name,
      }),
    );

  const systemNamer = new Namer();
  const systems: Software[] = [];
  for (let i = 0; i < size.systems; i++) {
    const owner = i < teams.length ? teams[i] : rng.pick(teams);
    const subject = rng.pick(SUBJECTS);
    const name = systemNamer.first(
      `${owner.area}-${rng.pick(SYSTEM_SUFFIXES)}`,
      `${owner.area}-${subject}s`,
      `${owner.area}-${subject}-${rng.pick(SYSTEM_SUFFIXES)}`,
    );
    systems.push({
      area: owner.area,
      owner,
      entity: entity('System', name, `Run by ${titleCase(owner.name)}.`, {
        owner: owner.name,
        domain: owner.top,
      }),
    });
  }

  // Components: each system gets one, then the rest go to random systems; a component belongs
  // to its system's team.
  const componentNamer = new Namer();
  const components: Software[] = [];
  const bySystem = new Map<Software, Software[]>(systems.map(s => [s, []]));
  const confidential = new Set(
    rng.sample(
      [...Array(size.components).keys()],
      Math.round(size.components * CONFIDENTIAL_SHARE),
    ),
  );
  for (let i = 0; i < size.components; i++) {
    const system = i < systems.length ? systems[i] : rng.pick(systems);
    const type = rng.weighted([
      ['service', 6],
      ['website', 1.5],
      ['library', 2.5],
    ] as const);
    const suffix = rng.pick(COMPONENT_SUFFIXES[type]);
    const name = componentNamer.first(
      `${system.area}-${suffix}`,
      `${system.area}-${rng.pick(SUBJECTS)}-${suffix}`,
      `${system.area}-${rng.pick(SUBJECTS)}-${suffix}`,
    );
    const annotations: Record<string, string> = {
      [REPOSITORY_ANNOTATION]: `${REPOSITORY_OWNER}/${name}`,
    };
    if (confidential.has(i)) annotations[CONFIDENTIAL_ANNOTATION] = 'true';
    const component: Software = {
      area: system.area,
      owner: system.owner,
      entity: entity(
        'Component',
        name,
        `The ${system.area} ${suffix} (${type}).`,
        {
          type,
          lifecycle: rng.weighted([
            ['production', 7],
            ['experimental', 2],
            ['deprecated', 1],
          ] as const),
          owner: system.owner.name,
          system: system.entity.metadata.name,
        },
        { annotations, tags: [rng.pick(LANGUAGES), system.area] },
      ),
    };
    components.push(component);
    bySystem.get(system)!.push(component);
  }
  // About a third of the components depend on another component of their system.
  for (const [, members] of bySystem) {
    for (const c of members) {
      const other = rng.pick(members);
      if (other !== c && rng.chance(1 / 3)) {
        pushTo(
          c.entity,
          'dependsOn',
          `component:${other.entity.metadata.name}`,
        );
      }
    }
  }

  // APIs: each provided by a service (the owner and system are the provider's), consumed by up
  // to three other components anywhere in the organisation.
  const services = components.filter(c => c.entity.spec!.type === 'service');
  const apiNamer = new Namer();
  const apis: Entity[] = [];
  for (let i = 0; i < size.apis; i++) {
    const provider = rng.pick(services);
    const type = rng.weighted([
      ['openapi', 6],
      ['asyncapi', 2.5],
      ['grpc', 1.5],
    ] as const);
    const base = provider.entity.metadata.name.replace(/-(api|service)$/, '');
    const tail = { openapi: 'api', asyncapi: 'events', grpc: 'grpc' }[type];
    const name = apiNamer.first(
      `${base}-${tail}`,
      `${base}-${rng.pick(SUBJECTS)}-${tail}`,
    );
    apis.push(
      entity('API', name, `${titleCase(name)}, ${type}.`, {
        type,
        lifecycle: provider.entity.spec!.lifecycle,
        owner: provider.owner.name,
        system: provider.entity.spec!.system,
        definition: apiDefinition(type, name),
      }),
    );
    pushTo(provider.entity, 'providesApis', name);
    for (const consumer of rng.sample(components, rng.int(4))) {
      if (consumer !== provider) pushTo(consumer.entity, 'consumesApis', name);
    }
  }

  // Resources: a system's database, bucket, queue, ...; one or two of its components use it.
  const resourceNamer = new Namer();
  const resources: Entity[] = [];
  for (let i = 0; i < size.resources; i++) {
    const system = rng.pick(systems);
    const [type, suffix] = rng.pick(RESOURCE_KINDS);
    const name = resourceNamer.first(
      `${system.area}-${suffix}`,
      `${system.area}-${rng.pick(SUBJECTS)}-${suffix}`,
      `${system.area}-${rng.pick(SUBJECTS)}-${suffix}`,
    );
    resources.push(
      entity('Resource', name, `The ${system.area} ${type}.`, {
        type,
        owner: system.owner.name,
        system: system.entity.metadata.name,
      }),
    );
    for (const user of rng.sample(bySystem.get(system)!, 1 + rng.int(2))) {
      pushTo(user.entity, 'dependsOn', `resource:${name}`);
    }
  }

  return {
    scale,
    seed,
    groups: tree.map(groupEntity),
    users,
    domains,
    systems: systems.map(s => s.entity),
    components: components.map(c => c.entity),
    apis,
    resources,
    roles: buildRoleData(tree, users),
    repositories: components.map(c => ({
      slug: c.entity.metadata.annotations![REPOSITORY_ANNOTATION],
      component: c.entity.metadata.name,
      owner: c.owner.name,
    })),
  };
}

/** A small valid definition of the API's type (the catalog stores it as text). */
function apiDefinition(type: 'openapi' | 'asyncapi' | 'grpc', name: string) {
  const title = titleCase(name);
  if (type === 'grpc') {
    const service = title.replace(/ /g, '');
    return `syntax = "proto3";\n\npackage acme.${name.replace(
      /-/g,
      '_',
    )}.v1;\n\nservice ${service} {\n  rpc Get(GetRequest) returns (GetResponse);\n}\n\nmessage GetRequest {\n  string id = 1;\n}\n\nmessage GetResponse {\n  string id = 1;\n}\n`;
  }
  if (type === 'asyncapi') {
    return `asyncapi: 2.6.0\ninfo:\n  title: ${title}\n  version: 1.0.0\nchannels:\n  ${name}.changed:\n    subscribe:\n      message:\n        payload:\n          type: object\n`;
  }
  return `openapi: 3.0.3\ninfo:\n  title: ${title}\n  version: 1.0.0\npaths:\n  /items/{id}:\n    get:\n      parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n      responses:\n        '200':\n          description: The item.\n`;
}
