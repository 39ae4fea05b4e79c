import { SignalClient } from '@backstage/plugin-signals';
import { signalsConnected } from './useLiveReload';

describe('signalsConnected', () => {
  it("reads Backstage's SignalClient: no socket yet is not connected", () => {
    // The real client, before anything subscribed: if upstream renames its socket field, this
    // answers undefined and the test fails, rather than the views quietly never polling.
    const client = SignalClient.create({
      identity: { getCredentials: async () => ({}) } as any,
      discoveryApi: { getBaseUrl: async () => 'http://localhost:7007' },
    });
    expect(signalsConnected(client)).toBe(false);
  });

  it('is true for an open socket and false for one connecting, closing or closed', () => {
    expect(signalsConnected({ ws: { readyState: 1 } })).toBe(true);
    for (const readyState of [0, 2, 3])
      expect(signalsConnected({ ws: { readyState } })).toBe(false);
  });

  it('does not know for another implementation of the signals API', () => {
    expect(signalsConnected({ subscribe: () => ({}) })).toBeUndefined();
    expect(signalsConnected(undefined)).toBeUndefined();
    expect(signalsConnected({ ws: {} })).toBeUndefined();
  });
});
