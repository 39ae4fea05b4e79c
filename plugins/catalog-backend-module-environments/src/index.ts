/**
 * Sandbox environments in the catalog.
 *
 * @packageDocumentation
 */
export { catalogModuleEnvironments as default } from './module';
export { EnvironmentEntityProvider } from './EnvironmentEntityProvider';
