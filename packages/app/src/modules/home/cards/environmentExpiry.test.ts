import { expiryText } from './environmentExpiry';

const now = Date.parse('2026-03-01T12:00:00Z');
const at = (ms: number) => new Date(now + ms).toISOString();

describe('expiryText', () => {
  it('says how long an environment with an expiry has left', () => {
    const env = { state: 'active', ttlHours: 24 };
    expect(expiryText({ ...env, expiresAt: at(200 * 60_000) }, now)).toBe(
      '3 h 20 min left',
    );
    expect(expiryText({ ...env, expiresAt: at(5 * 60_000) }, now)).toBe(
      '5 min left',
    );
    expect(expiryText({ ...env, expiresAt: at(72 * 3600_000) }, now)).toBe(
      '3 days left',
    );
    expect(expiryText({ ...env, expiresAt: at(-1) }, now)).toBe('expired');
  });

  it('gives the time to live before the environment is active, and what is happening to it after', () => {
    expect(expiryText({ state: 'provisioning', ttlHours: 8 }, now)).toBe(
      'ends 8 h after it is active',
    );
    expect(
      expiryText(
        { state: 'destroying', ttlHours: 8, expiresAt: at(-1000) },
        now,
      ),
    ).toBe('being destroyed');
    expect(expiryText({ state: 'quarantined', ttlHours: 8 }, now)).toMatch(
      /platform team/,
    );
  });
});
