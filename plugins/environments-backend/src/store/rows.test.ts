/*
 * The row mappers, on rows as each driver returns them: PostgreSQL (dates as Date, numbers as
 * numbers or numeric text, booleans) and SQLite (dates as milliseconds, booleans as 0 or 1).
 */
import {
  changeFromRow,
  envFromRow,
  EnvironmentRow,
  historyFromRow,
  logFromRow,
  runFromRow,
  toDate,
} from './rows';

const at = new Date('2026-12-01T10:00:00.000Z');

const envRow: EnvironmentRow = {
  id: 'e1',
  name: 'pay-db',
  blueprint: 'postgres-sandbox',
  owner: 'group:default/payments',
  requested_by: 'user:default/dev',
  size: 'small',
  variables: '{"purpose":"demo","seed_rows":2}',
  cost_per_hour: '0.5',
  ttl_hours: 24,
  expires_at: null,
  state: 'queued',
  drift: 0,
  outputs: null,
  secret_outputs: 'enc:v1:k:...',
  version: 3,
  created_at: at.getTime(),
  updated_at: at.toISOString(),
};

describe('store rows', () => {
  it('maps an environment row from either driver, without its secret columns', () => {
    const env = envFromRow(envRow);
    expect(env).toEqual({
      id: 'e1',
      name: 'pay-db',
      blueprint: 'postgres-sandbox',
      owner: 'group:default/payments',
      requestedBy: 'user:default/dev',
      size: 'small',
      variables: { purpose: 'demo', seed_rows: 2 },
      costPerHour: 0.5,
      ttlHours: 24,
      expiresAt: undefined,
      state: 'queued',
      drift: false,
      outputs: undefined,
      version: 3,
      createdAt: at,
      updatedAt: at,
    });
    expect(JSON.stringify(env)).not.toContain('enc:v1');
    expect(
      envFromRow({
        ...envRow,
        drift: true,
        cost_per_hour: 2,
        expires_at: at,
        outputs: '{"path":"/w"}',
      }),
    ).toMatchObject({
      drift: true,
      costPerHour: 2,
      expiresAt: at,
      outputs: { path: '/w' },
    });
  });

  it('maps history rows: null columns become absent, the numeric id a number', () => {
    const row = {
      id: '7',
      environment_id: 'e1',
      from_state: null,
      to_state: 'requested' as const,
      actor: 'user:default/dev',
      reason: null,
      decision_id: null,
      at: at.getTime(),
    };
    expect(historyFromRow(row)).toEqual({
      id: 7,
      environmentId: 'e1',
      from: undefined,
      to: 'requested',
      actor: 'user:default/dev',
      reason: undefined,
      decisionId: undefined,
      at,
    });
    const env = envFromRow(envRow);
    expect(
      changeFromRow(env, { ...row, from_state: 'queued', reason: 'why' }),
    ).toEqual({
      environment: env,
      from: 'queued',
      to: 'requested',
      actor: 'user:default/dev',
      reason: 'why',
      decisionId: undefined,
      at,
    });
    expect(changeFromRow(env, row).from).toBeNull();
  });

  it('maps runs and log lines', () => {
    expect(
      runFromRow({
        id: 'r1',
        environment_id: 'e1',
        kind: 'apply',
        state: 'running',
        attempt: 2,
        claimed_by: 'host:1',
        heartbeat_at: at,
        not_before: at.toISOString(),
        error: null,
        created_at: at,
        started_at: at.getTime(),
        finished_at: null,
      }),
    ).toEqual({
      id: 'r1',
      environmentId: 'e1',
      kind: 'apply',
      state: 'running',
      attempt: 2,
      claimedBy: 'host:1',
      heartbeatAt: at,
      notBefore: at,
      error: undefined,
      createdAt: at,
      startedAt: at,
      finishedAt: undefined,
    });
    expect(
      logFromRow({
        run_id: 'r1',
        seq: 4,
        level: 'warn',
        message: 'm',
        at: at.getTime(),
      }),
    ).toEqual({ seq: 4, level: 'warn', message: 'm', at });
    expect(toDate(undefined)).toBeUndefined();
    expect(toDate(null)).toBeUndefined();
    expect(toDate(0)).toEqual(new Date(0));
  });
});
