/**
 * The portal's permission policy, backed by Open Policy Agent.
 *
 * @packageDocumentation
 */
export { permissionModuleOpa as default } from './module';
export {
  OpaPermissionPolicy,
  DECISION_PATH,
  BATCH_PATH,
} from './OpaPermissionPolicy';
export type { ExplainedDecision } from './OpaPermissionPolicy';
export { ConditionValidator, metadataRuleLoader } from './ConditionValidator';
export type { RuleMetadata, RuleLoader } from './ConditionValidator';
