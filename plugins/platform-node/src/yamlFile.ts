import fs from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

/**
 * Reads a YAML file the platform team keeps in git (a blueprint, a scorecard) against its schema.
 * Throws an Error whose message names every problem as `field: rule`, or says it is not YAML.
 */
export function readYamlFile<T>(file: string, schema: z.ZodType<T>): T {
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`not valid YAML: ${(e as Error).message}`);
  }
  const parsed = schema.safeParse(doc);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues
        .map(i => `${i.path.join('.') || '(document)'}: ${i.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}
