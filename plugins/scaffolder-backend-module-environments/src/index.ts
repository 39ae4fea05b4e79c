/**
 * Scaffolder actions for sandbox environments.
 *
 * @packageDocumentation
 */
export { scaffolderModuleEnvironments as default } from './module';
export {
  createEnvironmentActions,
  createEnvironmentCreateAction,
  createEnvironmentDestroyAction,
  createEnvironmentExtendAction,
} from './actions';
export { EnvironmentsClient } from './EnvironmentsClient';
