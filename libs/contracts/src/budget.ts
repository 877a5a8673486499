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
 * The budget a new run gets (DESIGN.md, Budget): the request's `max_cost_usd` when above 0,
 * else the tenant API key's limit when above 0, else DEFAULT_MAX_COST_USD when above 0, else
 * none (null). A request's 0 means "not set", as in the original, so a client cannot switch off
 * the operator's default budget by sending 0.
 */
export function resolveBudget(sources: BudgetSources): number | null {
  if (isSet(sources.requestedUsd)) return sources.requestedUsd;
  if (isSet(sources.tenantKeyUsd)) return sources.tenantKeyUsd;
  if (isSet(sources.defaultUsd)) return sources.defaultUsd;
  return null;
}
