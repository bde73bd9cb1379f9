export { BruteForceModel, modelDistance, distanceTolerance } from './model.js';
export type { ModelHit } from './model.js';
export { vectorArb, idArb, datasetArb, randomRows } from './arbitraries.js';
export type { Dataset } from './arbitraries.js';
export { checkResultInvariants, checkExact, recallVsModel } from './compare.js';
export { describeIndexLaws, buildFrom, expectCode, bytesEqual, resealHeader } from './laws.js';
export { runModelCommands } from './commands.js';
export type { IndexLawSpec } from './spec.js';
