import fs from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/** The annotation that makes an entity readable by its owners only (catalog/, the policies). */
const CONFIDENTIAL = 'portal.acme.example/confidential';

export interface Person {
  name: string;
  /** The groups the User's spec.memberOf names: the owner refs the sign-in resolver gives. */
  teams: string[];
}

export interface Component {
  name: string;
  title: string;
  owner: string;
  confidential: boolean;
  repo?: string;
}

/**
 * A folder that scripts/generate-org wrote, as a person would count it: its catalog YAML
 * (catalog/<kind>s.yaml or <kind>s-N.yaml) and the config it starts the portal with.
 */
export function readOrganisation(folder: string) {
  const entitiesOf = (kind: string): any[] =>
    fs
      .readdirSync(path.join(folder, 'catalog'))
      .filter(f => new RegExp(`^${kind}s(-\\d+)?\\.yaml$`).test(f))
      .flatMap(f =>
        parseAllDocuments(
          fs.readFileSync(path.join(folder, 'catalog', f), 'utf8'),
        ).map(d => d.toJS()),
      );
  const groups = entitiesOf('group');
  const components: Component[] = entitiesOf('component').map(e => ({
    name: e.metadata.name,
    title: e.metadata.title ?? e.metadata.name,
    owner: e.spec.owner,
    confidential: e.metadata.annotations?.[CONFIDENTIAL] === 'true',
    repo: e.metadata.annotations?.['github.com/project-slug'],
  }));
  const users = entitiesOf('user');
  const config = parse(
    fs.readFileSync(path.join(folder, 'app-config.yaml'), 'utf8'),
  );
  return {
    components,
    teams: groups.filter(g => g.spec.type === 'team'),
    demoRepositories: (config.dora?.demo?.repositories ?? []) as string[],
    person(name: string): Person {
      const user = users.find(u => u.metadata.name === name);
      if (!user) throw new Error(`${folder} has no User ${name}`);
      return { name, teams: user.spec.memberOf ?? [] };
    },
    /** Every component but the confidential ones that none of the person's groups owns. */
    readableComponents(person: Person): Component[] {
      return components.filter(
        c => !c.confidential || person.teams.includes(c.owner),
      );
    },
    /** A group's title, as the Engineering metrics page names its row. */
    title(group: string): string {
      return (
        groups.find(e => e.metadata.name === group)?.metadata.title ?? group
      );
    },
  };
}
