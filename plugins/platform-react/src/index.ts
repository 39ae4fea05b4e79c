/**
 * React components shared by the portal's frontend plugins.
 *
 * @packageDocumentation
 */
export { NamedTable, PAGE_SIZE, PAGE_SIZE_OPTIONS } from './NamedTable';
