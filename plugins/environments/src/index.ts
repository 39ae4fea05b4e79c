/**
 * Sandbox environments in the portal.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
export { environmentsApiRef, EnvironmentsClient } from './api';
export type {
  EnvironmentsApi,
  Environment,
  HistoryEntry,
  Run,
  LogLine,
} from './api';
