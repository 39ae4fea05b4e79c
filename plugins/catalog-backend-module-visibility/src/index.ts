/**
 * One annotation for every entity whose reading the permission policy restricts.
 *
 * @packageDocumentation
 */
export { catalogModuleVisibility as default } from './module';
export {
  VisibilityProcessor,
  RESTRICTED_ANNOTATION,
  CONFIDENTIAL_ANNOTATION,
  PLATFORM_ONLY_TAG,
} from './VisibilityProcessor';
