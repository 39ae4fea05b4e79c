/**
 * Test helpers shared by the portal's backend plugins.
 *
 * @packageDocumentation
 */
export { actorAwareMockAuthFactory } from './actorAwareMockAuth';
export {
  orgUserInfoFactory,
  userInfoFactoryFrom,
  exampleMemberships,
  exampleOrgFile,
} from './orgUserInfo';
export { captureService } from './captureService';
export { environmentsTestConfig } from './environmentsConfig';
export { appendBenchmarkSection, describeMachine } from './benchmarks';
export { checkpointStore, runAction, exampleSteps } from './scaffolderActions';
export { repoRoot } from './repoRoot';
export {
  testForge,
  folderFiles,
  forgeRelay,
  type TestForge,
  type TestRepository,
} from './forge';
export {
  recordScale,
  recordScaleNote,
  readScaleResults,
  scaleResultsFile,
  scaleTables,
  type ScaleRecord,
} from './scaleResults';
export { permissionBatch } from './permissionBatch';
