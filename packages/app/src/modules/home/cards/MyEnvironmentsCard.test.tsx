import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  EnvironmentsApi,
  environmentsApiRef,
} from '@internal/plugin-environments';
import { screen, within } from '@testing-library/react';
import { MyEnvironmentsCard } from './MyEnvironmentsCard';

const environment = (id: string, name: string, state: string, hours = 5) => ({
  id,
  name,
  blueprint: 'postgres',
  owner: 'group:default/payments',
  requestedBy: 'user:default/guest',
  size: 'small',
  state,
  costPerHour: 0.1,
  ttlHours: 24,
  expiresAt:
    state === 'active'
      ? new Date(Date.now() + hours * 3600_000 + 30.5 * 60_000).toISOString()
      : undefined,
  drift: false,
  createdAt: '2026-03-01T00:00:00Z',
});

function apiWith(items: ReturnType<typeof environment>[]) {
  return {
    list: jest.fn(async () => ({ items })),
  } as unknown as jest.Mocked<EnvironmentsApi>;
}

describe('MyEnvironmentsCard', () => {
  it("lists the teams' live environments with their expiry, linking to each", async () => {
    const api = apiWith([
      environment('e1', 'orders-db', 'active', 5),
      environment('e2', 'old-db', 'destroyed'),
      environment('e3', 'new-db', 'provisioning'),
    ]);
    await renderInTestApp(<MyEnvironmentsCard />, {
      apis: [[environmentsApiRef, api]],
    });

    const list = await screen.findByRole('list', { name: 'My environments' });
    expect(api.list).toHaveBeenCalledWith('team');
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(
      within(list).getByRole('link', { name: 'orders-db' }),
    ).toHaveAttribute('href', '/environments/e1');
    expect(list).toHaveTextContent('postgres for payments: 5 h 30 min left');
    expect(list).toHaveTextContent('ends 24 h after it is active');
    expect(list).not.toHaveTextContent('old-db');
    expect(
      screen.getByRole('link', { name: 'All environments' }),
    ).toHaveAttribute('href', '/environments');
  });

  it('points to the sandbox template when there is none', async () => {
    await renderInTestApp(<MyEnvironmentsCard />, {
      apis: [[environmentsApiRef, apiWith([])]],
    });
    expect(
      await screen.findByRole('link', {
        name: 'Request a sandbox environment',
      }),
    ).toHaveAttribute('href', '/create/templates/default/sandbox-environment');
  });

  it("says so when the environments can't be loaded", async () => {
    const api = {
      list: jest.fn(async () => {
        throw new Error('environments backend is down');
      }),
    } as unknown as EnvironmentsApi;
    await renderInTestApp(<MyEnvironmentsCard />, {
      apis: [[environmentsApiRef, api]],
    });
    expect(
      await screen.findByText(/Could not load your environments/),
    ).toBeInTheDocument();
  });
});
