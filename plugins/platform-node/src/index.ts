/**
 * Node.js library shared by the portal's backend plugins.
 *
 * @packageDocumentation
 */
export { TOOLS, findTool, toolVersion } from './tools';
export type { ToolName, ToolSpec, ResolvedTool } from './tools';
export { readYamlFile } from './yamlFile';
export { freePort } from './freePort';
export {
  successAtDebug,
  webhookRootHttpRouterServiceFactory,
} from './webhookRootHttpRouter';
export { fieldName, inputError, parseInput } from './http/inputError';
export {
  DefaultReadinessService,
  READINESS_CHECK_TIMEOUT_MS,
  readinessServiceRef,
  rootHealthWithGatesServiceFactory,
} from './readiness/readiness';
export type { ReadinessService } from './readiness/readiness';
export {
  PRODUCTION_MIN_SECRET_LENGTH,
  REPOSITORY_SECRETS,
} from './repositorySecrets';
