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
 * The budget a new run gets (DESIGN.md, Budget): the smallest of the request's `max_cost_usd`,
 * the API key's `max_cost_per_run_usd` and DEFAULT_MAX_COST_USD, each counted only when set
 * (above 0); none of them set → no budget (null). The key's limit and the operator's default
 * are ceilings a request may lower, never raise. A request's 0 means "not set", as in the
 * original, so a client cannot switch off a key's or the operator's budget by sending 0.
 */
export function resolveBudget(sources: BudgetSources): number | null {
  const limits = [sources.requestedUsd, sources.tenantKeyUsd, sources.defaultUsd].filter(isSet);
  return limits.length === 0 ? null : Math.min(...limits);
}
