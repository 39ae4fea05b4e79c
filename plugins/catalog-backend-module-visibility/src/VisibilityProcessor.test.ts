import { VisibilityProcessor } from './VisibilityProcessor';

const entity = (metadata: object) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', ...metadata },
  spec: {},
});

describe('VisibilityProcessor', () => {
  const p = new VisibilityProcessor();

  it('marks confidential entities and platform-only ones as restricted', async () => {
    const conf = await p.preProcessEntity(
      entity({
        annotations: { 'portal.acme.example/confidential': 'true' },
      }) as any,
    );
    expect(conf.metadata.annotations).toMatchObject({
      'portal.acme.example/restricted': 'true',
    });
    const tagged = await p.preProcessEntity(
      entity({ tags: ['runbook', 'platform-only'] }) as any,
    );
    expect(tagged.metadata.annotations).toEqual({
      'portal.acme.example/restricted': 'true',
    });
  });

  it('leaves every other entity as it is', async () => {
    const plain = entity({
      tags: ['java'],
      annotations: { 'portal.acme.example/confidential': 'false' },
    });
    expect(await p.preProcessEntity(plain as any)).toBe(plain);
  });
});
