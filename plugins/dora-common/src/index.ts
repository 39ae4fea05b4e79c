/**
 * DORA metrics: what the backend, the frontend and the scorecards share.
 *
 * @packageDocumentation
 */
export * from './types';
export * from './benchmarks';
export * from './permissions';
export * from './scorecards';
export * from './paging';
export * from './metricsBatch';
