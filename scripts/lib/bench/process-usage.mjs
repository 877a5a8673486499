// CPU time and resident memory of processes, read from /proc (Linux): the benchmark reports how
// much CPU each service spends per step, a figure that a busy machine distorts far less than
// wall-clock throughput.
import { readdirSync, readFileSync } from 'node:fs';

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
 * Processes whose command name (/proc/<pid>/comm) is `name`, e.g. the machine's nats-server.
 * @param {string} name
 * @returns {number[]}
 */
export function pidsNamed(name) {
  /** @type {number[]} */
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Write system calls a process has made so far (`syscw` of /proc/<pid>/io), or null when it is
 * gone or unreadable. On a VM a write to a loopback socket wakes its reader and costs tens of
 * microseconds on both sides, so writes per step explain much of the CPU per step.
 * @param {number} pid
 * @returns {number | null}
 */
export function writeCallsOf(pid) {
  try {
    const match = /^syscw:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

/**
 * A per-process counter (cpuSecondsOf, writeCallsOf) read for every process of the groups:
 * `{ gateway: [pid], postgres: [pid, pid…] }`.
 * @param {Record<string, number[]>} groups
 * @param {(pid: number) => number | null} read
 * @returns {Map<number, number>}
 */
export function readingByPid(groups, read) {
  /** @type {Map<number, number>} */
  const byPid = new Map();
  for (const pids of Object.values(groups)) for (const pid of pids) byPid.set(pid, read(pid) ?? 0);
  return byPid;
}

/**
 * How much a counter grew per step in each group, from a reading taken before (readingByPid) to
 * the groups as they are now: a process started meanwhile (a new database connection) counts
 * from zero, so connections opened during the measurement are not missed.
 * @param {Map<number, number>} before
 * @param {Record<string, number[]>} groupsNow
 * @param {number} steps
 * @param {(pid: number) => number | null} read
 * @param {number} scale multiplies the growth (1000: seconds to milliseconds)
 * @param {number} digits
 * @returns {Record<string, number>}
 */
export function growthPerStep(before, groupsNow, steps, read, scale, digits) {
  return Object.fromEntries(
    Object.entries(groupsNow).map(([name, pids]) => {
      const grown = pids.reduce(
        (sum, pid) => sum + Math.max(0, (read(pid) ?? 0) - (before.get(pid) ?? 0)),
        0,
      );
      return [name, Number(((grown * scale) / Math.max(1, steps)).toFixed(digits))];
    }),
  );
}
