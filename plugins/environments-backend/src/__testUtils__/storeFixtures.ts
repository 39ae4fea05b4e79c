/*
 * Test-only: what the store tests share (the engines, a new environment, the guardrails'
 * decisions). Imported by *.test.ts files alone, never by production code.
 */
/* eslint-disable @backstage/no-undeclared-imports */
import { TestDatabases } from '@backstage/backend-test-utils';
import { AdmissionDecision, NewEnvironment } from '../store/types';

/** The engines the portal runs on: PostgreSQL 15 (a fresh database per init) and SQLite. */
export const storeDatabases = () =>
  TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

let created = 0;

/** A request of payments for a small postgres-sandbox (half a unit an hour), named env-<n>. */
export const newEnvironment = (
  overrides: Partial<NewEnvironment> = {},
): NewEnvironment => ({
  name: `env-${++created}`,
  blueprint: 'postgres-sandbox',
  owner: 'group:default/payments',
  requestedBy: 'user:default/dev',
  size: 'small',
  variables: { purpose: 'demo' },
  costPerHour: 0.5,
  ttlHours: 24,
  ...overrides,
});

/** The guardrails allow the request: it is queued, with its apply run. */
export const allow = async (): Promise<AdmissionDecision> => ({
  state: 'queued',
  reason: 'allowed by policy',
  decisionId: 'd-1',
});

/** The guardrails refuse the request: it is stored as rejected. */
export const refuse = async (): Promise<AdmissionDecision> => ({
  state: 'rejected',
  reason: 'quota',
});
