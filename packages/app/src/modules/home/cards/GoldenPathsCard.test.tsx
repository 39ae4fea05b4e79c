import { renderInTestApp } from '@backstage/frontend-test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { screen, within } from '@testing-library/react';
import { GoldenPathsCard } from './GoldenPathsCard';

const template = (name: string, title: string, tags: string[]) => ({
  apiVersion: 'scaffolder.backstage.io/v1beta3',
  kind: 'Template',
  metadata: {
    name,
    namespace: 'default',
    title,
    description: `${title}.`,
    tags,
  },
  spec: {},
});

describe('GoldenPathsCard', () => {
  it('lists the templates tagged golden-path, each linking to its form', async () => {
    const catalogApi = catalogApiMock({
      entities: [
        template('sandbox-environment', 'Request a sandbox environment', [
          'environments',
          'golden-path',
        ]),
        template('node-service', 'Node.js service', ['nodejs', 'golden-path']),
        template('platform-runbook', 'Platform runbook entry', ['runbook']),
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'payments-api', tags: ['golden-path'] },
          spec: {},
        },
      ],
    });
    await renderInTestApp(<GoldenPathsCard />, {
      apis: [[catalogApiRef, catalogApi]],
    });

    const list = await screen.findByRole('list', { name: 'Golden paths' });
    const links = within(list).getAllByRole('link');
    expect(links.map(l => [l.textContent, l.getAttribute('href')])).toEqual([
      ['Node.js service', '/create/templates/default/node-service'],
      [
        'Request a sandbox environment',
        '/create/templates/default/sandbox-environment',
      ],
    ]);
    expect(list).toHaveTextContent('Node.js service.');
  });

  it('says so when there is none', async () => {
    await renderInTestApp(<GoldenPathsCard />, {
      apis: [[catalogApiRef, catalogApiMock({ entities: [] })]],
    });
    expect(
      await screen.findByText('No golden-path templates yet.'),
    ).toBeInTheDocument();
  });
});
