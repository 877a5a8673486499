import { ApiException } from '../http/api.exception';
import { resolveWorkflowReference } from './workflow-reference.util';

const YAML = 'name: Demo\nsteps:\n  - id: a\n    prompt: hi\n';

function refusal(fields: Parameters<typeof resolveWorkflowReference>[0]): ApiException {
  try {
    resolveWorkflowReference(fields);
  } catch (err) {
    if (err instanceof ApiException) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('resolveWorkflowReference', () => {
  it('reads a value with a line break as inline YAML', () => {
    expect(resolveWorkflowReference({ workflow: YAML })).toEqual({ kind: 'inline', yaml: YAML });
    expect(resolveWorkflowReference({ workflow: 'name: x\r\nsteps: []' }).kind).toBe('inline');
  });

  it('reads a value without a line break as a saved name', () => {
    expect(resolveWorkflowReference({ workflow: 'lead-enrichment' })).toEqual({
      kind: 'saved',
      name: 'lead-enrichment',
    });
  });

  it('takes workflow_name as a name, also with the file extension clients of the original sent', () => {
    expect(resolveWorkflowReference({ workflow_name: 'lead-enrichment' })).toEqual({
      kind: 'saved',
      name: 'lead-enrichment',
    });
    expect(resolveWorkflowReference({ workflow_name: 'lead-enrichment.yaml' })).toEqual({
      kind: 'saved',
      name: 'lead-enrichment',
    });
    expect(resolveWorkflowReference({ workflow: ' seo-audit.yml ' })).toEqual({
      kind: 'saved',
      name: 'seo-audit',
    });
  });

  it('refuses a request that names no workflow, with the field', () => {
    for (const fields of [{}, { workflow: '   ' }, { workflow_name: '' }]) {
      const err = refusal(fields);
      expect(err.code).toBe('VALIDATION_ERROR');
      expect(err.details).toEqual([{ field: 'workflow', message: expect.stringContaining('workflow_name') }]);
    }
  });

  it('accepts both fields only when they name the same workflow', () => {
    expect(resolveWorkflowReference({ workflow: 'a', workflow_name: 'a.yaml' })).toEqual({
      kind: 'saved',
      name: 'a',
    });
    expect(refusal({ workflow: 'a', workflow_name: 'b' }).code).toBe('VALIDATION_ERROR');
    expect(refusal({ workflow: YAML, workflow_name: 'demo' }).message).toMatch(/not both/);
  });
});
