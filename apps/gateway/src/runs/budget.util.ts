/**
 * The budget a new run gets: the request's `max_cost_usd` when it is above 0, otherwise
 * DEFAULT_MAX_COST_USD when above 0, otherwise none (null). A request's 0 means "not set", as in
 * the original, so a client cannot switch off the operator's default budget by sending 0.
 * (API keys will add their own limit between the two.)
 */
export function resolveBudget(requestedUsd: number | undefined, defaultUsd: number): number | null {
  if (requestedUsd !== undefined && requestedUsd > 0) return requestedUsd;
  if (defaultUsd > 0) return defaultUsd;
  return null;
}
