// The rule lives in contracts: the scheduler resolves the budget of a scheduled run the same way.
export { resolveBudget, type BudgetSources } from '@sandcastle/contracts';
