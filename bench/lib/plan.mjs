// How long and how hard each workload runs, for the smoke run (CI, under a minute) and the full run
// (about ten minutes for both targets).

/**
 * The plan for a smoke or a full run:
 * - `levels`: the (sessions × in-flight) levels of the basic workloads;
 * - `warmupMs` / `basicDurationMs` / `basicMaxOps`: unrecorded lead-in, measured time and operation cap of one basic run;
 * - `targetWarmupMs`: unmeasured load once per target before the first measurement (JIT warm-up);
 * - `basicClients` and `includeBasic(kind, level, name)`: which client kinds run which basic runs;
 * - `churn`, `watch`, `lock`, `failover`, `election`, `memory`, `recovery`: sizes of the other workloads
 *   (`recovery` undefined: skipped);
 * - `watchdogMs`: the whole run is abandoned (servers killed) after this long.
 */
export function makePlan({ smoke }) {
  if (smoke) {
    return {
      watchdogMs: 180_000,
      levels: [
        { sessions: 1, inFlight: 1 },
        { sessions: 16, inFlight: 16 },
        { sessions: 64, inFlight: 32 },
      ],
      warmupMs: 100,
      targetWarmupMs: 1_000,
      basicDurationMs: 300,
      basicMaxOps: 200_000,
      basicClients: ['tcp', 'ws', 'nzk'],
      // WebSocket and node-zookeeper-client only once each, to keep their code paths covered.
      includeBasic: (kind, level, name) => kind === 'tcp' || (level.sessions === 16 && (name === 'getData' || name === 'create')),
      churn: { churners: 8, ephemeralsPerSession: 5, durationMs: 500 },
      watch: { sessions: 100, watchersPerSession: 10, rounds: 3, budgetMs: 3_000 },
      lock: { contenders: [1, 16], durationMs: 500 },
      failover: { runs: 1, writers: 4 },
      election: { extraRuns: 0 },
      memory: { znodes: 10_000 },
      recovery: undefined,
    };
  }
  return {
    watchdogMs: 1_800_000,
    levels: [
      { sessions: 1, inFlight: 1 },
      { sessions: 16, inFlight: 16 },
      { sessions: 64, inFlight: 32 },
    ],
    warmupMs: 500,
    targetWarmupMs: 8_000,
    basicDurationMs: 2_000,
    basicMaxOps: 5_000_000,
    basicClients: ['tcp', 'ws', 'nzk'],
    includeBasic: () => true,
    churn: { churners: 16, ephemeralsPerSession: 10, durationMs: 3_000 },
    watch: { sessions: 1_000, watchersPerSession: 1, rounds: 20, budgetMs: 20_000 },
    lock: { contenders: [1, 16], durationMs: 3_000 },
    failover: { runs: 5, writers: 8 },
    election: { extraRuns: 2 },
    memory: { znodes: 100_000 },
    recovery: { znodes: 1_000_000 },
  };
}
