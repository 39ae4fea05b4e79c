/** The annotation that links a catalog Resource (type `environment`) to its environment. */
export const ENVIRONMENT_ID_ANNOTATION = 'portal.acme.example/environment-id';

/** The catalog `spec.type` of an environment's Resource. */
export const ENVIRONMENT_ENTITY_TYPE = 'environment';
