/**
 * `@zkts/testing`: tools for testing zkts and applications built on it.
 *
 * - A linearizability checker for histories of znode operations under ZooKeeper's
 *   consistency model ({@link checkHistory}), and a {@link HistoryRecorder} that records such
 *   histories from real clients.
 * - A real-process chaos runner ({@link runChaos}, `npm run chaos`) that checks an ensemble of
 *   `zk-server` processes under kills and pauses.
 *
 * @module
 */

export { checkHistory, type CheckOptions, type CheckResult, type PathViolation } from './linearizability/check-history.js';
export {
  describeOperation,
  historyFromEvents,
  type HistoryEvent,
  type HistoryOperation,
  type InvokeEvent,
  type OpOutcome,
  type RegisterOp,
  type ReturnEvent,
} from './linearizability/history.js';
export { HistoryRecorder, RecordingClient, type HistoryRecorderOptions } from './linearizability/history-recorder.js';
export { ABSENT, type RegisterState } from './linearizability/register-model.js';
export type { UnansweredWrites } from './linearizability/check-path.js';
export { runChaos, type ChaosOptions } from './chaos/run-chaos.js';
export { formatChaosSummary, type ChaosSummary } from './chaos/chaos-summary.js';
export type { FaultCounts } from './chaos/nemesis.js';
