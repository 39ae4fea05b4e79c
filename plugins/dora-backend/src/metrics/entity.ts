import { InputError } from '@backstage/errors';
import { MetricsEntity } from '@internal/plugin-dora-common';

/** "org", a component ref, or a group ref, as the API takes it. */
export function parseEntity(value: string): MetricsEntity {
  if (value === 'org') return { kind: 'org' };
  const m = /^(component|group):([a-z0-9-_.]+)\/([a-z0-9-_.]+)$/i.exec(value);
  if (!m)
    throw new InputError(
      `entity: must be org, a component ref (component:default/name) or a group ref (group:default/name)`,
    );
  const ref = `${m[1]}:${m[2]}/${m[3]}`.toLowerCase();
  return m[1].toLowerCase() === 'component'
    ? { kind: 'component', ref }
    : { kind: 'team', ref };
}

export function entityString(e: MetricsEntity) {
  return e.kind === 'org' ? 'org' : e.ref;
}
