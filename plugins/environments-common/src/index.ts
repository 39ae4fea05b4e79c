/**
 * Sandbox environments: what the backend, the frontend and the scaffolder actions share.
 *
 * @packageDocumentation
 */
export * from './lifecycle';
export * from './permissions';
export * from './blueprint';
export * from './catalog';
