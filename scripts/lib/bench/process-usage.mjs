// CPU time and resident memory of processes, read from /proc (Linux): the benchmark reports how
// much CPU each service spends per step, a figure that a busy machine distorts far less than
// wall-clock throughput.
import { readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86_64 and arm64

/**
 * CPU seconds (user + system) a process has used so far, or null when it is gone.
 * @param {number} pid
 * @returns {number | null}
 */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return (utime + stime) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * Resident memory of a process in bytes, or null when it is gone.
 * @param {number} pid
 * @returns {number | null}
 */
export function rssBytesOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Total CPU seconds of groups of processes: `{ gateway: [pid], postgres: [pid, pid…] }`.
 * @param {Record<string, number[]>} groups
 * @returns {Record<string, number>}
 */
export function cpuSecondsOfGroups(groups) {
  return Object.fromEntries(
    Object.entries(groups).map(([name, pids]) => [
      name,
      pids.reduce((sum, pid) => sum + (cpuSecondsOf(pid) ?? 0), 0),
    ]),
  );
}

/**
 * CPU milliseconds per step of each group between two readings of cpuSecondsOfGroups.
 * @param {Record<string, number>} before
 * @param {Record<string, number>} after
 * @param {number} steps
 * @returns {Record<string, number>}
 */
export function cpuMsPerStep(before, after, steps) {
  const perStep = Object.fromEntries(
    Object.keys(after).map((name) => [
      name,
      Number((((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / Math.max(1, steps)).toFixed(3),
    ]),
  );
  return Object.fromEntries(Object.entries(perStep).map(([k, v]) => [k, Number(v)]));
}
