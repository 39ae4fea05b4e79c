/*
 * The people side of a synthetic organisation: the group tree (company, then divisions,
 * departments and teams, as deep as the size asks), the users in its teams, and the OPA role data
 * (data.portal.org, the shape of policies/portal/org/data.yaml) that gives them their roles.
 */
import { Entity } from '@backstage/catalog-model';
import { Random } from './random';
import {
  AREAS,
  BUSINESS_UNIT,
  FIRST_NAMES,
  LAST_NAMES,
  Namer,
  TEAM_SUFFIXES,
  TOP_UNITS,
  titleCase,
} from './names';

export const COMPANY = 'acme';
export const EMAIL_DOMAIN = 'acme.example';

/** data.portal.org: each group's parent, and the roles bound to groups and users. */
export interface RoleData {
  parents: Record<string, string>;
  role_bindings: Record<string, string[]>;
}

export interface GroupNode {
  name: string;
  type: string;
  /** 1 for the company, 2 for its children, ... */
  depth: number;
  parent?: GroupNode;
  children: GroupNode[];
  /** The top-level unit (division, or department or team in a flatter organisation) it is in. */
  top: string;
  /** The product area its names come from. */
  area: string;
}

const TYPES_FROM_BOTTOM = ['team', 'department', 'division'];

export const groupRef = (name: string) => `group:default/${name}`;
export const userRef = (name: string) => `user:default/${name}`;

/**
 * The company and levels.length levels below it; levels[i] groups at depth i + 2, each level's
 * groups shared out evenly, in order, among the level above. The last level are the teams; the
 * first team is the platform team, in the first top-level unit; the last top-level unit is the
 * non-engineering one (BUSINESS_UNIT).
 */
export function buildGroupTree(rng: Random, levels: number[]): GroupNode[] {
  const namer = new Namer();
  const root: GroupNode = {
    name: namer.unique(COMPANY),
    type: 'organization',
    depth: 1,
    children: [],
    top: COMPANY,
    area: COMPANY,
  };
  const all = [root];
  let above = [root];
  const areas = rng.shuffle(AREAS);
  let nextArea = 0;
  levels.forEach((count, i) => {
    const type = TYPES_FROM_BOTTOM[levels.length - 1 - i] ?? 'division';
    const isTeams = i === levels.length - 1;
    const suffixes = new Map<GroupNode, string[]>();
    const level: GroupNode[] = [];
    for (let j = 0; j < count; j++) {
      const parent = above[Math.floor((j * above.length) / count)];
      let area: string;
      let base: string;
      if (i === 0) {
        const engineering = TOP_UNITS.filter(u => u !== BUSINESS_UNIT);
        base = j === count - 1 ? BUSINESS_UNIT : engineering[j] ?? areas[j];
        area = base;
      } else if (isTeams && j === 0) {
        base = 'developer-platform';
        area = 'platform';
      } else if (isTeams) {
        // a department's teams work in its area; elsewhere each team has an area of its own
        area =
          parent.depth > 2 ? parent.area : areas[nextArea++ % areas.length];
        if (!suffixes.has(parent))
          suffixes.set(parent, rng.shuffle(TEAM_SUFFIXES));
        const own = suffixes.get(parent)!;
        base = `${area}-${own[parent.children.length % own.length]}`;
      } else {
        area = areas[nextArea++ % areas.length];
        base = area;
      }
      const name = namer.unique(base);
      const node: GroupNode = {
        name,
        type,
        depth: i + 2,
        parent,
        children: [],
        top: i === 0 ? name : parent.top,
        area,
      };
      parent.children.push(node);
      level.push(node);
    }
    all.push(...level);
    above = level;
  });
  return all;
}

export const teamsOf = (groups: GroupNode[]) =>
  groups.filter(g => g.children.length === 0 && g.depth > 1);

export function groupEntity(node: GroupNode): Entity {
  const title = titleCase(node.name);
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: node.name,
      title,
      description: `${title} (${node.type}), synthetic.`,
    },
    spec: {
      type: node.type,
      profile: { displayName: title, email: `${node.name}@${EMAIL_DOMAIN}` },
      ...(node.parent ? { parent: node.parent.name } : {}),
      children: node.children.map(c => c.name),
    },
  };
}

/** The portal's guest sign-in resolves to user:default/guest, as in the example organisation. */
export const GUEST = 'guest';
const GUEST_INDEX = 1;

/**
 * count people with a random first and last name; every team gets at least one (the first
 * teams.length people go one to each team, the rest to random teams), and one person in ten is
 * in a second team too. The second person is the guest, in the second team (a developer team:
 * the platform team is the first, the business unit's teams are the last).
 */
export function buildUsers(
  rng: Random,
  count: number,
  teams: GroupNode[],
): Entity[] {
  if (count < teams.length) {
    throw new Error(`${count} people cannot staff ${teams.length} teams`);
  }
  const namer = new Namer();
  const users: Entity[] = [];
  for (let i = 0; i < count; i++) {
    let [first, last] = [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)];
    // a few tries at a name nobody has yet; then a number
    for (let t = 0; t < 5 && namer.has(`${first}-${last}`); t++) {
      [first, last] = [rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES)];
    }
    if (i === GUEST_INDEX) [first, last] = [GUEST, 'user'];
    const name = namer.unique(i === GUEST_INDEX ? GUEST : `${first}-${last}`);
    const team = i < teams.length ? teams[i] : rng.pick(teams);
    const memberOf = [team.name];
    if (rng.chance(0.1)) {
      const second = rng.pick(teams);
      if (second !== team) memberOf.push(second.name);
    }
    users.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name },
      spec: {
        profile: {
          displayName: `${titleCase(first)} ${titleCase(last)}`,
          email: `${name}@${EMAIL_DOMAIN}`,
        },
        memberOf,
      },
    });
  }
  return users;
}

/**
 * The role data, as policies/portal/org/data.yaml has it for the example: the parents of every
 * group but the company; developer on every engineering top-level unit (so on all their teams,
 * through the parents), platform-engineer on the platform team, admin for the platform team's
 * first member. The business unit's people hold no binding: every signed-in user is a viewer.
 */
export function buildRoleData(groups: GroupNode[], users: Entity[]): RoleData {
  const parents: Record<string, string> = {};
  for (const g of groups) {
    if (g.parent) parents[groupRef(g.name)] = groupRef(g.parent.name);
  }
  const bindings: Record<string, string[]> = {};
  const bind = (ref: string, role: string) => {
    bindings[ref] = [...(bindings[ref] ?? []), role];
  };
  for (const top of groups.filter(g => g.depth === 2)) {
    if (top.name !== BUSINESS_UNIT) bind(groupRef(top.name), 'developer');
  }
  const platform = teamsOf(groups)[0];
  bind(groupRef(platform.name), 'platform-engineer');
  const admin = users.find(u =>
    (u.spec!.memberOf as string[]).includes(platform.name),
  );
  if (admin) bind(userRef(admin.metadata.name), 'admin');
  return { parents, role_bindings: bindings };
}
