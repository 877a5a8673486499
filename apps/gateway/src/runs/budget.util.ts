/** Where a new run's budget can come from, in the order they are tried. */
export interface BudgetSources {
  /** The request's `max_cost_usd`; absent or 0 means "not set". */
  requestedUsd: number | undefined | null;
  /** The `max_cost_per_run_usd` of the caller's API key; null without a key (auth off, admin). */
  tenantKeyUsd: number | null;
  /** DEFAULT_MAX_COST_USD; 0 means no default. */
  defaultUsd: number;
}

const isSet = (usd: number | undefined | null): usd is number => usd !== undefined && usd !== null && usd > 0;

/**
 * The budget a new run gets (DESIGN.md, Budget). The API key's `max_cost_per_run_usd` is a
 * ceiling: a request's `max_cost_usd` may lower it, never raise it (a larger request gets the
 * key's limit). Without a key limit the request's budget stands; without either,
 * DEFAULT_MAX_COST_USD applies; else none (null). A request's 0 means "not set", as in the
 * original, so a client cannot switch off a key's or the operator's budget by sending 0.
 */
export function resolveBudget(sources: BudgetSources): number | null {
  const requested = isSet(sources.requestedUsd) ? sources.requestedUsd : null;
  const ceiling = isSet(sources.tenantKeyUsd) ? sources.tenantKeyUsd : null;
  if (requested !== null && ceiling !== null) return Math.min(requested, ceiling);
  if (requested !== null) return requested;
  if (ceiling !== null) return ceiling;
  if (isSet(sources.defaultUsd)) return sources.defaultUsd;
  return null;
}
