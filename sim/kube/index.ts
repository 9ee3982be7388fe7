/** Public surface of the Kubernetes + Argo Rollouts simulator. */
export { SimKube, type SimKubeOptions, type LeaseSeed, type WaitOptions } from './sim.js';
export { ShiftableClock } from './clock.js';
export { RolloutController, type ControllerEvent, type ControllerOptions } from './controller/controller.js';
export type { Rollout, RolloutStatus, RolloutSpec, ReplicaSet, CanaryStep, Condition } from './controller/model.js';
export { HASH_LABEL, REVISION } from './controller/model.js';
export { podTemplateHash } from './controller/hash.js';
export { DEFAULT_STEPS, type RolloutSeed } from './seed.js';
export type { FaultSpec } from './faults.js';
export type { RequestRecord } from './server.js';
export type { WriteRecord, StoreEvent } from './store.js';
export type { KObject, SimClock, Actor } from './types.js';
export type { AnalysisScript, ExperimentScript, MetricScript, RunPhase } from './controller/runs.js';
export { EPHEMERAL_METADATA } from './controller/ephemeral.js';
export type { ManifestOptions } from './seed.js';
export {
  FIXTURES, SURVEY, fixturePath, fixtureRollout, loadFixture,
  type Expected as FixtureExpected, type Fixture, type Problem as FixtureProblem, type RefusalReason,
} from './fixtures/rollouts/index.js';
