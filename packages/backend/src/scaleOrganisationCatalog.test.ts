/*
 * The 10 times synthetic organisation (bench/scale) through the real catalog, as a bench would
 * load it: a `file` location on the written all.yaml, processed by the catalog backend with the
 * portal's VisibilityProcessor, then read back page by page over the catalog's REST API. And its
 * role data in a real OPA, with the repository's policies: the generated people get their roles
 * through their teams.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleVisibility, {
  RESTRICTED_ANNOTATION,
} from '@internal/plugin-catalog-backend-module-visibility';
import { findTool } from '@internal/plugin-platform-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  generateOrganisation,
  Organisation,
} from '../bench/scale/generateOrganisation';
import {
  writeOrganisation,
  WrittenOrganisation,
} from '../bench/scale/writeOrganisation';

const kinds = [
  'Location',
  'Group',
  'User',
  'Domain',
  'System',
  'Component',
  'API',
  'Resource',
];
const run = promisify(execFile);

let dir: string;
let org: Organisation;
let written: WrittenOrganisation;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-org-catalog-'));
  org = generateOrganisation({ scale: 10, seed: 1 });
  written = await writeOrganisation(dir, org);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the 10 times organisation in the real catalog', () => {
  let backend: Awaited<ReturnType<typeof startTestBackend>>;

  beforeAll(async () => {
    backend = await startTestBackend({
      features: [
        mockServices.rootLogger.factory({
          level: (process.env.TEST_LOG_LEVEL as any) ?? 'none',
        }),
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              rules: [{ allow: kinds }],
              locations: [
                {
                  type: 'file',
                  target: written.locationFile,
                  rules: [{ allow: kinds }],
                },
              ],
              processingInterval: { seconds: 5 },
            },
          },
        }),
        catalogPlugin,
        catalogModuleVisibility,
      ],
    });
  }, 60_000);

  afterAll(async () => backend?.stop());

  /** Every entity of a kind, page by page (25 a page; the cursor does not keep the limit). */
  async function listAll(kind: string) {
    const items: any[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const res = await request(backend.server)
        .get('/api/catalog/entities/by-query')
        .query(
          cursor
            ? { cursor, limit: 25 }
            : { filter: `kind=${kind}`, limit: 25 },
        )
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.pageInfo?.nextCursor;
      pages++;
    } while (cursor);
    return { items, pages };
  }

  async function settled(kind: string, count: number) {
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline) {
      const { items } = await listAll(kind);
      if (items.length >= count) return;
      await new Promise(r => setTimeout(r, 250));
    }
  }

  it('lists all 100 components, page by page, each with its owner, system and repository', async () => {
    await settled('component', 100);
    const { items, pages } = await listAll('component');
    expect(pages).toBe(4);
    expect(items.map(e => e.metadata.name).sort()).toEqual(
      org.components.map(c => c.metadata.name).sort(),
    );
    const byName = new Map(org.components.map(c => [c.metadata.name, c]));
    const unlike = items.filter(e => {
      const c = byName.get(e.metadata.name)!;
      const owned = e.relations.some(
        (r: any) =>
          r.type === 'ownedBy' &&
          r.targetRef === `group:default/${c.spec!.owner}`,
      );
      return (
        !owned ||
        e.spec.system !== c.spec!.system ||
        e.metadata.annotations['github.com/project-slug'] !==
          `acme/${c.metadata.name}`
      );
    });
    expect(unlike).toEqual([]);
    expect(items.filter(e => e.status?.items?.length)).toEqual([]);
    // the VisibilityProcessor restricts the confidential 5 %
    expect(
      items.filter(e => e.metadata.annotations[RESTRICTED_ANNOTATION]),
    ).toHaveLength(5);
  }, 120_000);

  it('has every person, group, API and resource, with the group tree as relations', async () => {
    for (const [kind, expected] of [
      ['user', org.users],
      ['group', org.groups],
      ['api', org.apis],
      ['resource', org.resources],
      ['system', org.systems],
      ['domain', org.domains],
    ] as const) {
      await settled(kind, expected.length);
      const { items } = await listAll(kind);
      expect([kind, items.length]).toEqual([kind, expected.length]);
      // no processing errors (the catalog keeps them in status.items)
      expect(items.filter(e => e.status?.items?.length)).toEqual([]);
    }
    const { items: groups } = await listAll('group');
    const acme = groups.find(g => g.metadata.name === 'acme');
    expect(
      acme.relations
        .filter((r: any) => r.type === 'parentOf')
        .map((r: any) => r.targetRef)
        .sort(),
    ).toEqual(
      (acme.spec.children as string[]).map(c => `group:default/${c}`).sort(),
    );
  }, 120_000);
});

describe('the 10 times role data in a real OPA, with the repository policies', () => {
  async function rolesOf(user: string): Promise<string[]> {
    const u = org.users.find(e => e.metadata.name === user)!;
    const ref = `user:default/${user}`;
    const input = {
      principal: {
        type: 'user',
        userEntityRef: ref,
        ownershipEntityRefs: [
          ref,
          ...(u.spec!.memberOf as string[]).map(g => `group:default/${g}`),
        ],
      },
    };
    const opa = await findTool(new ConfigReader({}), 'opa');
    const inputFile = path.join(dir, `input-${user}.json`);
    fs.writeFileSync(inputFile, JSON.stringify(input));
    const { stdout } = await run(opa.path, [
      'eval',
      '--format',
      'json',
      '-d',
      written.policyDir,
      '-i',
      inputFile,
      'data.portal.roles.roles',
    ]);
    return JSON.parse(stdout).result[0].expressions[0].value.sort();
  }

  it('gives the platform team, the engineering teams and the business unit their roles', async () => {
    const bindings = org.roles.role_bindings;
    const admin = Object.keys(bindings)
      .find(r => r.startsWith('user:'))!
      .slice('user:default/'.length);
    // someone in this team only (one person in ten is in a second team)
    const memberOf = (team: string) =>
      org.users.find(
        u =>
          (u.spec!.memberOf as string[]).join() === team &&
          u.metadata.name !== admin,
      )!.metadata.name;
    const business = org.groups.find(
      g =>
        g.spec!.parent === 'acme' &&
        !bindings[`group:default/${g.metadata.name}`],
    );
    expect(await rolesOf(admin)).toEqual([
      'admin',
      'developer',
      'platform-engineer',
      'viewer',
    ]);
    expect(await rolesOf(memberOf('platform'))).toEqual([
      'developer',
      'platform-engineer',
      'viewer',
    ]);
    expect(await rolesOf('guest')).toEqual(['developer', 'viewer']);
    expect(business?.metadata.name).toBe('business');
    expect(await rolesOf(memberOf('business'))).toEqual(['viewer']);
  }, 60_000);
});
