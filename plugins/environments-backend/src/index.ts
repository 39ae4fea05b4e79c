/**
 * The sandbox environment vending service (in progress: store, run queue and blueprints; the
 * plugin's REST API, runner and scheduled work come next).
 *
 * @packageDocumentation
 */
export { EnvironmentStore } from './store/EnvironmentStore';
export type { NewEnvironment, AdmissionDecision, TeamUsage } from './store/EnvironmentStore';
export type * from './store/types';
export { BlueprintCatalog, readBlueprint } from './blueprints/BlueprintCatalog';
export type { LoadedBlueprint, BlueprintError } from './blueprints/BlueprintCatalog';
