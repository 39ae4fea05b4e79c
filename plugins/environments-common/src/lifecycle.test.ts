import {
  canReach,
  canTransition,
  DESTROYABLE_STATES,
  ENVIRONMENT_STATES,
  IN_PROGRESS_STATES,
  InvalidTransitionError,
  LIVE_STATES,
  NOT_GONE_STATES,
  TERMINAL_STATES,
  TRANSITIONS,
} from './lifecycle';

describe('environment lifecycle', () => {
  it('follows the designed paths', () => {
    const path = (...states: string[]) =>
      states
        .slice(1)
        .every((to, i) => canTransition(states[i] as any, to as any));
    expect(
      path(
        'requested',
        'queued',
        'provisioning',
        'active',
        'destroying',
        'destroyed',
      ),
    ).toBe(true);
    expect(path('requested', 'pending_approval', 'queued')).toBe(true);
    expect(path('requested', 'pending_approval', 'rejected')).toBe(true);
    expect(path('active', 'updating', 'active')).toBe(true);
    expect(path('provisioning', 'destroying')).toBe(true); // failed apply: clean up
    expect(
      path(
        'destroying',
        'destroying',
        'quarantined',
        'destroying',
        'destroyed',
      ),
    ).toBe(true);
  });

  it('never lets a failed destroy become destroyed without running, nor leaves a final state', () => {
    expect(canTransition('quarantined', 'destroyed')).toBe(false);
    expect(canTransition('provisioning', 'destroyed')).toBe(false);
    for (const s of TERMINAL_STATES) expect(TRANSITIONS[s]).toEqual([]);
    expect(canTransition('requested', 'active')).toBe(false);
  });

  it('knows every state, and counts only states that may hold resources as live', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual(
      [...ENVIRONMENT_STATES].sort(),
    );
    for (const targets of Object.values(TRANSITIONS)) {
      for (const t of targets) expect(ENVIRONMENT_STATES).toContain(t);
    }
    expect(LIVE_STATES).not.toContain('destroyed');
    expect(LIVE_STATES).not.toContain('pending_approval');
  });

  it('names the groups of states: not gone is waiting for approval or live, in progress is live and moving', () => {
    expect([...NOT_GONE_STATES].sort()).toEqual(
      [...LIVE_STATES, 'pending_approval'].sort(),
    );
    for (const s of TERMINAL_STATES) expect(NOT_GONE_STATES).not.toContain(s);
    expect(NOT_GONE_STATES).not.toContain('requested');
    expect([...IN_PROGRESS_STATES].sort()).toEqual([
      'destroying',
      'provisioning',
      'queued',
      'updating',
    ]);
    for (const s of IN_PROGRESS_STATES) expect(LIVE_STATES).toContain(s);
    // a destroy may be asked for where the lifecycle allows destroying and no run is working
    for (const s of DESTROYABLE_STATES) {
      expect(canTransition(s, 'destroying')).toBe(true);
      expect(s === 'queued' || !IN_PROGRESS_STATES.includes(s)).toBe(true);
    }
  });

  it('knows which states can still become another, in any number of steps', () => {
    // waiting for active: these will never get there
    expect(
      ENVIRONMENT_STATES.filter(s => !canReach(s, 'active')).sort(),
    ).toEqual(['destroyed', 'destroying', 'quarantined', 'rejected']);
    // everything but a rejected request can end destroyed
    expect(ENVIRONMENT_STATES.filter(s => !canReach(s, 'destroyed'))).toEqual([
      'rejected',
    ]);
    expect(canReach('requested', 'active')).toBe(true);
    expect(canReach('active', 'active')).toBe(true);
    expect(canReach('quarantined', 'destroyed')).toBe(true);
  });

  it('explains a refused transition with the allowed ones', () => {
    expect(new InvalidTransitionError('active', 'queued').message).toBe(
      'an environment that is active cannot become queued (from active it can become: updating, destroying)',
    );
    expect(new InvalidTransitionError('destroyed', 'active').message).toMatch(
      /destroyed is final/,
    );
  });
});
