import { suggestWorkflowName } from './workflow-name-suggestion.util';

const KNOWN = ['lead-enrichment', 'competitor-monitor', 'support-triage', 'etl'];

describe('suggestWorkflowName', () => {
  it.each([
    ['lead-enrichmnt', 'lead-enrichment'],
    ['lead-enrichemnt', 'lead-enrichment'],
    ['Lead Enrichment', 'lead-enrichment'],
    ['lead_enrichment', 'lead-enrichment'],
    ['competitor-monitr', 'competitor-monitor'],
    ['suport-triage', 'support-triage'],
  ])('%s → %s', (typed, meant) => {
    expect(suggestWorkflowName(typed, KNOWN)).toBe(meant);
  });

  it.each([['payroll'], ['lead'], ['etx'], ['x'.repeat(101)]])('gives no hint for %s', (typed) => {
    expect(suggestWorkflowName(typed, KNOWN)).toBeNull();
  });

  it('gives no hint without saved workflows', () => {
    expect(suggestWorkflowName('lead-enrichmnt', [])).toBeNull();
  });
});
