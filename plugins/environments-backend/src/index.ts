/**
 * The sandbox environment vending service.
 *
 * @packageDocumentation
 */
export { environmentsPlugin as default } from './plugin';
export { EnvironmentStore } from './store/EnvironmentStore';
export type * from './store/types';
export { BlueprintCatalog, readBlueprint } from './blueprints/BlueprintCatalog';
export type {
  LoadedBlueprint,
  BlueprintError,
} from './blueprints/BlueprintCatalog';
export { TofuRunner, TofuError } from './runner/TofuRunner';
export { EnvironmentService } from './service/EnvironmentService';
export { RunWorker } from './service/RunWorker';
export { Guardrails } from './service/Guardrails';
export {
  environmentEntity,
  ENVIRONMENT_ID_ANNOTATION,
} from './catalogEntities';
