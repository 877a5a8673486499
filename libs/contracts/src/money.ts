/**
 * Adds USD amounts without binary drift: 0.4 + 0.45 is 0.85, not 0.8500000000000001. Rounds to
 * nano-dollars, far below any price an agent runtime reports. Every total of cost uses it, so
 * the orchestrator's run totals and the gateway's checkpoint totals agree to the last digit.
 */
export function addUsd(a: number, b: number): number {
  return Math.round((a + b) * 1e9) / 1e9;
}
