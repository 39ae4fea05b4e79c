/*
 * The synthetic organisation generator (bench/scale, scripts/generate-org): exact sizes, the shape
 * of the organisation, Backstage's own validation of every entity, role data in the shape of
 * policies/portal/org/data.yaml, and the same bytes for the same seed.
 */
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  Entity,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { repoRoot } from '@internal/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  CONFIDENTIAL_ANNOTATION,
  generateOrganisation,
  Organisation,
  REPOSITORY_ANNOTATION,
  Scale,
  SCALES,
} from '../bench/scale/generateOrganisation';
import { writeOrganisation } from '../bench/scale/writeOrganisation';

const expected: Record<
  Scale,
  Record<string, number> & { depth: number; teams: number }
> = {
  1: {
    components: 10,
    users: 8,
    teams: 3,
    depth: 2,
    apis: 3,
    resources: 1,
    systems: 3,
  },
  10: {
    components: 100,
    users: 20,
    teams: 4,
    depth: 2,
    apis: 30,
    resources: 10,
    systems: 10,
  },
  100: {
    components: 1000,
    users: 200,
    teams: 40,
    depth: 3,
    apis: 300,
    resources: 100,
    systems: 100,
  },
  1000: {
    components: 10000,
    users: 2000,
    teams: 300,
    depth: 4,
    apis: 3000,
    resources: 1000,
    systems: 1000,
  },
};

const orgs = new Map<Scale, Organisation>();
const org = (scale: Scale) => {
  if (!orgs.has(scale))
    orgs.set(scale, generateOrganisation({ scale, seed: 1 }));
  return orgs.get(scale)!;
};
const all = (o: Organisation): Entity[] => [
  ...o.groups,
  ...o.users,
  ...o.domains,
  ...o.systems,
  ...o.components,
  ...o.apis,
  ...o.resources,
];
const byName = (entities: Entity[]) =>
  new Map(entities.map(e => [e.metadata.name, e]));
const strip = (ref: string) => ref.replace(/^[a-z]+:/, '');

describe.each(SCALES)('the synthetic organisation at %i times', scale => {
  const want = expected[scale];

  it('has the counts of its size', () => {
    const o = org(scale);
    for (const kind of [
      'components',
      'users',
      'apis',
      'resources',
      'systems',
    ]) {
      expect([kind, (o as any)[kind].length]).toEqual([kind, want[kind]]);
    }
    expect(o.groups.filter(g => g.spec!.type === 'team')).toHaveLength(
      want.teams,
    );
    expect(o.repositories).toHaveLength(want.components);
  });

  it('nests its groups to the depth of its size, with teams as the leaves', () => {
    const groups = byName(org(scale).groups);
    const depth = (g: Entity): number =>
      g.spec!.parent ? 1 + depth(groups.get(g.spec!.parent as string)!) : 1;
    for (const g of groups.values()) {
      for (const c of g.spec!.children as string[])
        expect(groups.get(c)?.spec!.parent).toBe(g.metadata.name);
    }
    const leaves = [...groups.values()].filter(
      g => (g.spec!.children as string[]).length === 0,
    );
    expect(new Set(leaves.map(g => g.spec!.type))).toEqual(new Set(['team']));
    expect(new Set(leaves.map(depth))).toEqual(new Set([want.depth]));
    expect([...groups.values()].filter(g => !g.spec!.parent)).toHaveLength(1);
  });

  it('puts every person in a team and every team has people', () => {
    const o = org(scale);
    const groups = byName(o.groups);
    const staffed = new Set<string>();
    for (const u of o.users) {
      const memberOf = u.spec!.memberOf as string[];
      expect(memberOf.length).toBeGreaterThanOrEqual(1);
      for (const g of memberOf) expect(groups.get(g)?.spec!.type).toBe('team');
      memberOf.forEach(g => staffed.add(g));
    }
    expect(staffed.size).toBe(want.teams);
    expect(o.users.map(u => u.metadata.name)).toContain('guest');
  });

  it('gives every component a team, a system of that team, and a repository for DORA', () => {
    const o = org(scale);
    const groups = byName(o.groups);
    const systems = byName(o.systems);
    const wrong = o.components.filter(
      c =>
        groups.get(c.spec!.owner as string)?.spec!.type !== 'team' ||
        systems.get(c.spec!.system as string)?.spec!.owner !== c.spec!.owner ||
        c.metadata.annotations![REPOSITORY_ANNOTATION] !==
          `acme/${c.metadata.name}`,
    );
    expect(wrong).toEqual([]);
    const slugs = new Set(o.repositories.map(r => r.slug));
    expect(slugs.size).toBe(want.components);
  });

  it('marks 5 % of the components confidential', () => {
    const confidential = org(scale).components.filter(
      c => c.metadata.annotations?.[CONFIDENTIAL_ANNOTATION] === 'true',
    );
    expect(confidential).toHaveLength(Math.round(want.components * 0.05));
  });

  it('refers only to entities it has, with unique valid names', () => {
    const o = org(scale);
    const names: Record<string, Set<string>> = {};
    const problems: string[] = [];
    for (const e of all(o)) {
      const kind = e.kind.toLowerCase();
      names[kind] ??= new Set();
      if (names[kind].has(e.metadata.name))
        problems.push(`duplicate ${kind}:${e.metadata.name}`);
      if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(e.metadata.name)) {
        problems.push(`invalid name ${e.metadata.name}`);
      }
      names[kind].add(e.metadata.name);
    }
    const check = (from: Entity, kind: string, ref: string) => {
      if (!names[kind]?.has(strip(ref)))
        problems.push(`${from.metadata.name} -> ${kind} ${ref}`);
    };
    const provided = new Set<string>();
    for (const e of all(o)) {
      const s = e.spec as Record<string, any>;
      if (s.owner) check(e, 'group', s.owner);
      if (s.system) check(e, 'system', s.system);
      if (s.domain) check(e, 'domain', s.domain);
      for (const a of [...(s.providesApis ?? []), ...(s.consumesApis ?? [])])
        check(e, 'api', a);
      for (const d of s.dependsOn ?? []) check(e, d.split(':')[0], d);
      for (const g of s.memberOf ?? []) check(e, 'group', g);
      for (const a of s.providesApis ?? []) provided.add(a);
    }
    expect(problems).toEqual([]);
    expect(provided.size).toBe(want.apis);
  });

  it("passes Backstage's own validation, entity by entity", async () => {
    const policy = EntityPolicies.allOf([
      new DefaultNamespaceEntityPolicy(),
      new NoForeignRootFieldsEntityPolicy(),
      new FieldFormatEntityPolicy(),
      new SchemaValidEntityPolicy(),
    ]);
    const validators: Record<string, { check(e: Entity): Promise<boolean> }> = {
      Group: groupEntityV1alpha1Validator,
      User: userEntityV1alpha1Validator,
      Domain: domainEntityV1alpha1Validator,
      System: systemEntityV1alpha1Validator,
      Component: componentEntityV1alpha1Validator,
      API: apiEntityV1alpha1Validator,
      Resource: resourceEntityV1alpha1Validator,
    };
    const invalid: string[] = [];
    let checked = 0;
    for (const e of all(org(scale))) {
      try {
        const enforced = await policy.enforce(e);
        const valid = await validators[e.kind].check(e);
        if (enforced?.metadata.namespace !== 'default' || !valid)
          throw new Error('not valid');
        checked++;
      } catch (error) {
        invalid.push(`${e.kind}:${e.metadata.name}: ${error}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(checked).toBe(all(org(scale)).length);
  });

  it('binds roles in the shape of policies/portal/org/data.yaml, and each person gets the right ones', () => {
    const o = org(scale);
    const example = parseYaml(
      fs.readFileSync(
        path.join(repoRoot, 'policies/portal/org/data.yaml'),
        'utf8',
      ),
    );
    expect(Object.keys(o.roles).sort()).toEqual(Object.keys(example).sort());
    const groups = byName(o.groups);
    for (const [child, parent] of Object.entries(o.roles.parents)) {
      expect(child).toMatch(/^group:default\//);
      expect(
        groups.get(strip(child).slice('default/'.length))?.spec!.parent,
      ).toBe(strip(parent).slice('default/'.length));
    }
    expect(Object.keys(o.roles.parents)).toHaveLength(o.groups.length - 1);
    const known = new Set(
      Object.values(example.role_bindings as Record<string, string[]>).flat(),
    );
    for (const roles of Object.values(o.roles.role_bindings)) {
      for (const r of roles) expect(known.has(r)).toBe(true);
    }
    // roles.rego's resolution: the roles bound to a person, their groups and their ancestors
    const rolesOf = (u: Entity) => {
      const refs = [`user:default/${u.metadata.name}`];
      for (const g of u.spec!.memberOf as string[]) {
        for (
          let ref: string | undefined = `group:default/${g}`;
          ref;
          ref = o.roles.parents[ref]
        ) {
          refs.push(ref);
        }
      }
      return new Set(refs.flatMap(r => o.roles.role_bindings[r] ?? []));
    };
    const counts: Record<string, number> = {};
    for (const u of o.users) {
      for (const r of rolesOf(u)) counts[r] = (counts[r] ?? 0) + 1;
    }
    expect(counts.admin).toBe(1);
    expect(counts['platform-engineer']).toBeGreaterThanOrEqual(1);
    expect(counts.developer).toBeGreaterThan(o.users.length / 2);
    expect(counts.developer).toBeLessThan(o.users.length); // the business unit's people: viewers
    expect(rolesOf(o.users.find(u => u.metadata.name === 'guest')!)).toEqual(
      new Set(['developer']),
    );
  });
});

describe('determinism', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-org-'));
    dirs.push(d);
    return d;
  };
  afterAll(() =>
    dirs.forEach(d => fs.rmSync(d, { recursive: true, force: true })),
  );
  const read = (dir: string, files: string[]) =>
    files.map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);

  it('writes the same bytes for the same seed, and another organisation for another seed', async () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    const first = await writeOrganisation(
      a,
      generateOrganisation({ scale: 100, seed: 1 }),
    );
    const again = await writeOrganisation(
      b,
      generateOrganisation({ scale: 100, seed: 1 }),
    );
    const other = await writeOrganisation(
      c,
      generateOrganisation({ scale: 100, seed: 2 }),
    );
    expect(again.files).toEqual(first.files);
    expect(read(b, again.files)).toEqual(read(a, first.files));
    expect(first.files).toEqual(
      expect.arrayContaining([
        'catalog/all.yaml',
        'catalog/components.yaml',
        'policies/portal/org/data.yaml',
        'repositories.yaml',
      ]),
    );
    for (const f of [
      'catalog/users.yaml',
      'catalog/components.yaml',
      'policies/portal/org/data.yaml',
    ]) {
      expect(fs.readFileSync(path.join(c, f), 'utf8')).not.toEqual(
        fs.readFileSync(path.join(a, f), 'utf8'),
      );
    }
    expect(other.files).toEqual(first.files);
  });

  it('generates the same 1,000 times organisation twice', () => {
    const again = generateOrganisation({ scale: 1000, seed: 1 });
    expect(JSON.stringify(again)).toBe(JSON.stringify(org(1000)));
  });

  it('refuses a scale it has no size for', () => {
    expect(() => generateOrganisation({ scale: 5 as Scale, seed: 1 })).toThrow(
      /scale must be one of 1, 10, 100, 1000/,
    );
  });
});
