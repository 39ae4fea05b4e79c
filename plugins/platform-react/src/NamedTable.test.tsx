import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { NamedTable } from './NamedTable';

const rows = Array.from({ length: 25 }, (_, i) => ({
  name: `service-${String(i + 1).padStart(2, '0')}`,
  runs: (i * 7) % 25,
}));

describe('NamedTable', () => {
  it('is a named table that pages its rows and sorts by a column', async () => {
    await renderInTestApp(
      <NamedTable
        label="Services"
        title="Services"
        columns={[
          { title: 'Name', field: 'name' },
          { title: 'Runs', field: 'runs', type: 'numeric' },
        ]}
        data={rows}
      />,
    );
    const table = await screen.findByRole('table', { name: 'Services' });
    // header and the first page of 20
    expect(within(table).getAllByRole('row')).toHaveLength(21);
    // (the pager writes its caption twice, one of them hidden)
    expect(screen.getAllByText('1-20 of 25').length).toBeGreaterThan(0);

    await userEvent.click(within(table).getByText('Runs'));
    const firstRow = () => within(table).getAllByRole('row')[1];
    expect(firstRow()).toHaveTextContent(/^service-01\s*0$/);
    await userEvent.click(within(table).getByText('Runs'));
    expect(firstRow()).toHaveTextContent('24');
  }, 30_000); // Backstage's table renders slowly in jsdom on a busy machine

  it('says what it is empty of', async () => {
    await renderInTestApp(
      <NamedTable
        label="Services"
        columns={[{ title: 'Name', field: 'name' }]}
        data={[]}
        empty="No services in this window."
      />,
    );
    expect(
      await screen.findByText('No services in this window.'),
    ).toBeInTheDocument();
  });
});
