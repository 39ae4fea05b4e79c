/*
 * The maximum TTL of an environment has one source: its blueprint's spec.ttl.maxHours. The
 * guardrail data (policies/portal/guardrails/data.yaml) keeps a copy as hard_max_ttl_hours, for the
 * policy to refuse on its own, and role limits that must fit under it; the golden-path template
 * offers at most the largest maximum of its blueprints. These tests fail when a copy disagrees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Blueprint, blueprintSchema } from './blueprint';

const repo = path.resolve(__dirname, '../../..');
const blueprintsDir = path.join(repo, 'templates/environments');

const blueprints: Blueprint[] = fs
  .readdirSync(blueprintsDir, { withFileTypes: true })
  .filter(d => d.isDirectory())
  .map(d => path.join(blueprintsDir, d.name, 'blueprint.yaml'))
  .filter(f => fs.existsSync(f))
  .map(f => blueprintSchema.parse(parse(fs.readFileSync(f, 'utf8'))));

const guardrails = parse(
  fs.readFileSync(
    path.join(repo, 'policies/portal/guardrails/data.yaml'),
    'utf8',
  ),
) as {
  blueprints: Record<
    string,
    {
      sizes: string[];
      max_ttl_hours: Record<string, number>;
      hard_max_ttl_hours: number;
    }
  >;
};

describe('the maximum TTL: each blueprint, and its copies', () => {
  it('reads every blueprint, and the guardrail data has an entry for each and no other', () => {
    expect(blueprints.map(b => b.metadata.name).sort()).toEqual([
      'k8s-namespace',
      'postgres-sandbox',
      'workspace',
    ]);
    expect(Object.keys(guardrails.blueprints).sort()).toEqual(
      blueprints.map(b => b.metadata.name).sort(),
    );
  });

  it.each(blueprints.map(b => [b.metadata.name, b] as const))(
    "%s: the policy's hard maximum is the blueprint's maxHours, and no role may set more",
    (name, blueprint) => {
      const data = guardrails.blueprints[name];
      const { maxHours } = blueprint.spec.ttl;
      expect({ name, hard_max_ttl_hours: data.hard_max_ttl_hours }).toEqual({
        name,
        hard_max_ttl_hours: maxHours,
      });
      for (const [role, hours] of Object.entries(data.max_ttl_hours)) {
        expect({ name, role, hours: Math.min(hours, maxHours) }).toEqual({
          name,
          role,
          hours,
        });
      }
      // the sizes the policy offers are sizes of the blueprint
      for (const size of data.sizes)
        expect(Object.keys(blueprint.spec.sizes)).toContain(size);
    },
  );

  it('lets the golden-path template offer up to the largest maximum of the blueprints it offers, and no more', () => {
    const template = parse(
      fs.readFileSync(
        path.join(repo, 'templates/sandbox-environment/template.yaml'),
        'utf8',
      ),
    );
    const properties = Object.assign(
      {},
      ...template.spec.parameters.map((p: any) => p.properties ?? {}),
    );
    const offered: string[] = properties.blueprint.enum;
    const largest = Math.max(
      ...blueprints
        .filter(b => offered.includes(b.metadata.name))
        .map(b => b.spec.ttl.maxHours),
    );
    expect(offered.length).toBeGreaterThan(0);
    expect(properties.ttlHours.maximum).toBe(largest);
  });
});
