import { ConfigReader } from '@backstage/config';
import { readSources } from './sources';

const sources = (...list: object[]) =>
  readSources(new ConfigReader({ dora: { sources: list } }));
const SECRET = 'a-secret-of-16-chars-or-more';

describe('dora.sources[].type', () => {
  it('accepts every webhook source type, gitea (Gitea and Forgejo) included', () => {
    const read = sources(
      { id: 'gh', type: 'github', secret: SECRET },
      { id: 'gl', type: 'gitlab', secret: SECRET },
      {
        id: 'forge',
        type: 'gitea',
        secret: SECRET,
        incidentLabels: ['Incident', 'sev-1'],
      },
      { id: 'cd', type: 'cdevents', secret: SECRET },
    );
    expect(read.get('forge')).toMatchObject({
      id: 'forge',
      type: 'gitea',
      secret: SECRET,
      incidentLabels: ['Incident', 'sev-1'],
    });
    expect([...read.values()].map(s => s.type)).toEqual([
      'github',
      'gitlab',
      'gitea',
      'cdevents',
    ]);
  });

  it('refuses another type, naming the source and the types it may be', () => {
    expect(() => sources({ id: 'svn', type: 'svn', secret: SECRET })).toThrow(
      "dora.sources[svn].type: must be github, gitlab, gitea or cdevents, not 'svn'",
    );
  });
});
