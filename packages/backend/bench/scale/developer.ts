/*
 * The catalog scale bench's user (catalog.bench.ts): a developer of the team with the median head
 * count, whose team is one of the deepest groups, and what that developer may read.
 */
import { CONFIDENTIAL_ANNOTATION, Organisation } from './generateOrganisation';

/** The member of the team with the median head count, and what it may read. */
export function developerOf(org: Organisation) {
  const byTeam = new Map<string, string[]>();
  for (const u of org.users) {
    for (const team of (u.spec?.memberOf ?? []) as string[]) {
      byTeam.set(team, [...(byTeam.get(team) ?? []), u.metadata.name]);
    }
  }
  const teams = [...byTeam.entries()].sort(
    (a, b) => a[1].length - b[1].length || a[0].localeCompare(b[0]),
  );
  const [team, members] = teams[Math.floor(teams.length / 2)];
  const readable = org.components.filter(
    c =>
      c.metadata.annotations?.[CONFIDENTIAL_ANNOTATION] !== 'true' ||
      c.spec?.owner === team,
  );
  const own = readable.find(c => c.spec?.owner === team) ?? readable[0];
  return {
    user: `user:default/${members[0]}`,
    team,
    readable: readable.length,
    pageOf: own.metadata.name,
  };
}
