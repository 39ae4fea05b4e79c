/**
 * Scaffolder actions for sandbox environments.
 *
 * @packageDocumentation
 */
export { scaffolderModuleEnvironments as default } from './module';
export { createEnvironmentActions } from './actions';
export { EnvironmentsClient } from './EnvironmentsClient';
