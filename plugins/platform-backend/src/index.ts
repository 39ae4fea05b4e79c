/**
 * The platform backend plugin: what the portal runs on.
 *
 * @packageDocumentation
 */
export { platformPlugin as default } from './plugin';
