/*
 * scripts/generate-org: writes a synthetic organisation (catalog YAML, OPA policies with its role
 * data, repositories) to a folder, and the config that starts the portal on it.
 *
 *   scripts/generate-org --scale 100 --seed 1 --out /tmp/org-100
 */
import path from 'node:path';
import {
  generateOrganisation,
  Scale,
  SCALES,
  SIZES,
} from './generateOrganisation';
import { writeOrganisation } from './writeOrganisation';
import { writePortalConfig } from './writePortalConfig';

const usage = `usage: scripts/generate-org --scale ${SCALES.join(
  '|',
)} [--seed N] --out DIR`;

function parseArgs(argv: string[]) {
  const args: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(scale|seed|out)(?:=(.*))?$/.exec(argv[i]);
    if (!match) throw new Error(`unknown argument "${argv[i]}"\n${usage}`);
    const value = match[2] ?? argv[++i];
    if (value === undefined)
      throw new Error(`--${match[1]} needs a value\n${usage}`);
    args[match[1]] = value;
  }
  const scale = Number(args.scale) as Scale;
  if (!SIZES[scale])
    throw new Error(`--scale must be one of ${SCALES.join(', ')}\n${usage}`);
  const seed = Number(args.seed ?? 1);
  if (!Number.isInteger(seed))
    throw new Error(`--seed must be an integer\n${usage}`);
  if (!args.out) throw new Error(`--out is required\n${usage}`);
  return { scale, seed, out: path.resolve(args.out) };
}

async function main() {
  const { scale, seed, out } = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const org = generateOrganisation({ scale, seed });
  const t1 = Date.now();
  const written = await writeOrganisation(out, org);
  const portalConfig = await writePortalConfig(out, org);
  const t2 = Date.now();
  const counts = [
    `${org.groups.length} groups`,
    `${org.users.length} people`,
    `${org.domains.length} domains`,
    `${org.systems.length} systems`,
    `${org.components.length} components`,
    `${org.apis.length} APIs`,
    `${org.resources.length} resources`,
  ].join(', ');
  process.stdout.write(
    `generate-org: scale ${scale}, seed ${seed}: ${counts}\n` +
      `generate-org: generated in ${t1 - t0} ms, written in ${t2 - t1} ms (${
        written.files.length
      } files)\n` +
      `generate-org: catalog location ${written.locationFile}\n` +
      `generate-org: OPA policies with the role data ${written.policyDir}\n` +
      `generate-org: start the portal on it: scripts/start --config ${portalConfig}\n`,
  );
}

main().catch(e => {
  process.stderr.write(`generate-org: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
