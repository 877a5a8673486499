// Runs a peer engine's benchmark (../shared/bench-peers, outside this repository) in the same
// benchmark run as Sandcastle's, so that the two figures can be compared as a ratio on a machine
// whose speed changes from day to day.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Where the peers' run.sh is: BENCH_PEERS_RUN, else ../shared/bench-peers/run.sh beside the
 * repository, else null (the comparison is skipped with a note).
 * @param {string} repoRoot
 * @returns {string | null}
 */
export function peerRunner(repoRoot) {
  const candidates = [
    process.env.BENCH_PEERS_RUN,
    path.resolve(repoRoot, '..', 'shared', 'bench-peers', 'run.sh'),
    '/work/shared/bench-peers/run.sh',
  ];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

/**
 * One peer run: `run.sh <peer> <workload>`; returns its JSON line (steps_per_s, latencies…).
 * @param {string} runner
 * @param {string} peer
 * @param {'chain3' | 'fanout20'} workload
 * @returns {{ steps_per_s: number, first_step_p99_ms?: number, [key: string]: unknown }}
 */
export function runPeer(runner, peer, workload) {
  const result = spawnSync('bash', [runner, peer, workload], {
    // The same closed-loop bound on both sides (the peers' bench reads PEERS_INFLIGHT).
    env: process.env.BENCH_INFLIGHT
      ? { ...process.env, PEERS_INFLIGHT: process.env.BENCH_INFLIGHT }
      : process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  const line = result.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'));
  if (result.status !== 0 || !line) {
    throw new Error(
      `${runner} ${peer} ${workload} failed (exit ${result.status}): ${result.stderr.slice(-500)}`,
    );
  }
  return JSON.parse(line);
}
