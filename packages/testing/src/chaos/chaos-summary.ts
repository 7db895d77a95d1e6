import type { FaultCounts } from './nemesis.js';

/** What a chaos run did and found (see {@link runChaos}). */
export interface ChaosSummary {
  /** Seed of the run's choices of operations and faults. */
  readonly seed: number;
  readonly servers: number;
  /** Time the workload ran under faults. */
  readonly workloadMs: number;
  /** Wall time of the whole run: start, workload, heal, convergence, check. */
  readonly elapsedMs: number;
  /** Register operations recorded, final reads included. */
  readonly operations: number;
  /** Answered ok. */
  readonly acknowledged: number;
  /** Acknowledged creates, sets and deletes. */
  readonly acknowledgedWrites: number;
  /** Answered with a definite ZooKeeper error (BAD_VERSION, NODE_EXISTS, NO_NODE …). */
  readonly failed: number;
  /** Without an answer (connection loss, timeout, expiry). */
  readonly indeterminate: number;
  /** Acknowledged creates of the set workload (and how many were not acknowledged). */
  readonly setCreates: { readonly acknowledged: number; readonly unacknowledged: number };
  readonly faults: FaultCounts;
  /** Znodes whose history has no linearization (0 when the check passes). */
  readonly violations: number;
  /** The checker's explanation of the first violation. */
  readonly violationExplanation: string | undefined;
  /** Time the linearizability check took. */
  readonly checkMs: number;
  /** Acknowledged writes the final state does not reflect. */
  readonly lostWrites: number;
  readonly lostWriteDetails: readonly string[];
  /** Every member reported the same zxid and tree digest after healing. */
  readonly digestsEqual: boolean;
  /** Each member's last `hash` answer. */
  readonly digests: readonly string[];
  /** Anything else that went wrong: no convergence, a check that timed out, a final read that failed. */
  readonly problems: readonly string[];
  /** Stopped early by the caller's signal; nothing was checked. */
  readonly aborted: boolean;
  /** No violation, no lost write, equal digests, no problem, not aborted. */
  readonly ok: boolean;
}

/** The summary as the `npm run chaos` report prints it. */
export function formatChaosSummary(summary: ChaosSummary): string {
  const { faults } = summary;
  const lines = [
    `chaos: ${summary.ok ? 'PASS' : summary.aborted ? 'ABORTED' : 'FAIL'} (seed ${summary.seed}, ${summary.servers} servers)`,
    `  time:           ${(summary.workloadMs / 1000).toFixed(1)} s under faults, ${(summary.elapsedMs / 1000).toFixed(1)} s in all`,
    `  operations:     ${summary.operations} (${summary.acknowledged} acknowledged, of which ${summary.acknowledgedWrites} writes; ${summary.failed} definite errors; ${summary.indeterminate} indeterminate)`,
    `  set creates:    ${summary.setCreates.acknowledged} acknowledged, ${summary.setCreates.unacknowledged} not`,
    `  faults:         ${faults.kills + faults.restarts + faults.pauses} (${faults.kills} kill -9, ${faults.restarts} kill -9 + restart, ${faults.pauses} SIGSTOP/SIGCONT)`,
    `  violations:     ${summary.violations} (check took ${(summary.checkMs / 1000).toFixed(2)} s)`,
    `  lost writes:    ${summary.lostWrites}`,
    `  digests equal:  ${summary.digestsEqual ? 'yes' : 'no'}`,
  ];
  for (const digest of summary.digests) lines.push(`    ${digest}`);
  for (const problem of summary.problems) lines.push(`  problem: ${problem}`);
  for (const detail of summary.lostWriteDetails.slice(0, 20)) lines.push(`  lost: ${detail}`);
  if (summary.violationExplanation !== undefined) lines.push('  first violation:', ...summary.violationExplanation.split('\n').map((line) => `    ${line}`));
  return lines.join('\n');
}
