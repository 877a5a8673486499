// The benchmark's workflows: the same shapes as the peers' chain3 and fanout20 workloads.

export const CHAIN = `name: Bench Chain
runtime: simulated
steps:
  - id: a
    prompt: "first {input.n}"
  - id: b
    depends_on: [a]
    prompt: "second {steps.a.output}"
  - id: c
    depends_on: [b]
    prompt: "third"
`;

export const FANOUT = `name: Bench Fanout
runtime: simulated
steps:
  - id: split
    prompt: "split"
    output_schema:
      type: object
      properties: { items: { type: array, minItems: 20, maxItems: 20, items: { type: string } } }
      required: [items]
  - id: each
    depends_on: [split]
    parallel_over: steps.split.output.items
    prompt: "work on {input._item}"
  - id: join
    depends_on: [each]
    prompt: "join"
`;

/**
 * The chain with attempts that take time: every attempt of the simulated runtime lasts
 * `latencyMs` (the workflow's `simulation.latency_ms`). With attempts that last, an executor's
 * slots (EXECUTOR_CONCURRENCY) are what bounds throughput, as with real agent steps; the
 * executor-scaling phase runs it with one executor more each time.
 * @param {number} latencyMs
 */
export function slowChainYaml(latencyMs) {
  return CHAIN.replace(
    'name: Bench Chain\n',
    `name: Bench Slow Chain\nsimulation:\n  latency_ms: ${latencyMs}\n`,
  );
}

/** The saved workflow of slowChainYaml (no peer: it measures our executors, not the engine). */
export const SLOW_CHAIN_WORKFLOW = 'bench-slow-chain';

/**
 * Workload name → the saved workflow it runs, the peer workload it is compared with, and the
 * closed loop's bound: at most `inflight` runs submitted but unfinished, the bound the peers'
 * bench applies to every peer (../shared/bench-peers/lib/common.js; `BENCH_INFLIGHT` sets both).
 * @type {Record<'chain' | 'fanout', { workflow: string, yaml: string, peerWorkload: 'chain3' | 'fanout20', stepsPerRun: number, inflight: number }>}
 */
export const WORKLOADS = {
  chain: { workflow: 'bench-chain', yaml: CHAIN, peerWorkload: 'chain3', stepsPerRun: 3, inflight: 100 },
  fanout: { workflow: 'bench-fanout', yaml: FANOUT, peerWorkload: 'fanout20', stepsPerRun: 22, inflight: 20 },
};

/**
 * The closed loop's bound for a workload (`BENCH_INFLIGHT` overrides it, for us and, as
 * `PEERS_INFLIGHT`, for the peer: see peer.mjs).
 * @param {keyof typeof WORKLOADS} workload
 */
export function inflightOf(workload) {
  const override = Number(process.env.BENCH_INFLIGHT);
  return Number.isInteger(override) && override > 0 ? override : WORKLOADS[workload].inflight;
}

/**
 * Run requests for a workload.
 * @param {keyof typeof WORKLOADS | 'slowChain'} workload
 * @param {number} count
 * @param {number} [offset]
 */
export function runRequests(workload, count, offset = 0) {
  return Array.from({ length: count }, (_, i) => ({
    workflow: workload === 'slowChain' ? SLOW_CHAIN_WORKFLOW : WORKLOADS[workload].workflow,
    input: { n: offset + i },
  }));
}
