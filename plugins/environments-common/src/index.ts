/**
 * Sandbox environments: what the backend, the frontend and the scaffolder actions share.
 *
 * @packageDocumentation
 */
export * from './lifecycle';
export * from './runs';
export * from './requests';
export * from './types';
export * from './permissions';
export * from './blueprint';
export * from './catalog';
export * from './signals';
