/**
 * The portal's one Open Policy Agent client, shared as a backend service.
 *
 * @packageDocumentation
 */
export { opaClientServiceRef, clientOptionsFromConfig } from './service';
export { HttpOpaClient } from './HttpOpaClient';
export { stableHash } from './stableHash';
export type { HttpOpaClientOptions } from './HttpOpaClient';
export { LocalOpaServer } from './LocalOpaServer';
export type { LocalOpaServerOptions } from './LocalOpaServer';
export { OpaUnavailableError } from './OpaClient';
export {
  fallbackFromConfig,
  fallbackRuleFor,
  resolveFallbackConditions,
  FallbackConfigError,
  FALLBACK_PLACEHOLDERS,
  FALLBACK_MAX_DEPTH,
} from './fallback';
export type {
  OpaFallbackConfig,
  OpaFallbackConditional,
  OpaFallbackRule,
  FallbackPrincipal,
} from './fallback';
export type {
  OpaClient,
  OpaDecision,
  OpaFailure,
  OpaQueryOptions,
  OpaStatus,
} from './OpaClient';
export { CircuitBreaker } from './CircuitBreaker';
export type { BreakerState } from './CircuitBreaker';
export {
  permissionInput,
  cacheKeyOf,
  callingPlugin,
  PERMISSIONS_DECISION_PATH,
} from './inputDocument';
export type { OpaInputV1 } from './inputDocument';
