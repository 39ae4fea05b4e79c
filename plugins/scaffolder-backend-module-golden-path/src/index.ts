/**
 * The golden paths' scaffolder actions.
 *
 * @packageDocumentation
 */
export { scaffolderModuleGoldenPath as default } from './module';
export * from './actions';
export { GiteaClient, ForgeError } from './forge/GiteaClient';
