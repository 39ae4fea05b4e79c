/**
 * Sign-in for the portal: OIDC accounts and guest resolved to catalog Users, with a readiness gate
 * for the organisation's ingestion.
 *
 * @packageDocumentation
 */
export { authModuleCatalogSignIn as default } from './module';
export { NO_CATALOG_USER } from './resolvers';
export { SIGN_IN_WAIT } from './waitForCatalogUser';
