import { ApiError } from '../api/api-error';
import {
  formatApiError,
  formatDuration,
  formatTable,
  formatTime,
  formatUsd,
  formatValue,
  indent,
} from './format.util';

describe('format utils', () => {
  it('writes money with four decimals', () => {
    expect(formatUsd(0.0123)).toBe('$0.0123');
    expect(formatUsd(1.5)).toBe('$1.5000');
    expect(formatUsd(null)).toBe('-');
  });

  it('writes durations for people', () => {
    expect(formatDuration(0.42)).toBe('0.4s');
    expect(formatDuration(59.94)).toBe('59.9s');
    expect(formatDuration(125)).toBe('2m 05s');
    expect(formatDuration(3725)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('-');
  });

  it('writes API times in UTC without fractions', () => {
    expect(formatTime('2026-03-02T10:15:00.123Z')).toBe('2026-03-02 10:15:00Z');
    expect(formatTime(null)).toBe('-');
  });

  it('aligns table columns and leaves no trailing spaces', () => {
    expect(
      formatTable(
        ['A', 'LONG HEADER', 'C'],
        [
          ['wide value', 'x', 'last'],
          ['y', '', ''],
        ],
      ),
    ).toEqual(['A           LONG HEADER  C', 'wide value  x            last', 'y']);
  });

  it('prints strings as they are and other values as indented JSON', () => {
    expect(formatValue('plain text')).toBe('plain text');
    expect(formatValue({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(indent('a\n\nb', 2)).toBe('  a\n\n  b');
  });

  it('prints an API error as CODE: message, then its field problems', () => {
    const error = new ApiError(400, 'INVALID_WORKFLOW', 'the workflow is not valid', [
      { field: 'steps[1].depends_on', message: "unknown step 'scrap'" },
      { field: '', message: 'a workflow must be a mapping' },
    ]);
    expect(formatApiError(error)).toEqual([
      'INVALID_WORKFLOW: the workflow is not valid',
      "  steps[1].depends_on: unknown step 'scrap'",
      '  (workflow): a workflow must be a mapping',
    ]);
  });

  it("prints a 404's did-you-mean once: the detail repeats the message", () => {
    const error = new ApiError(
      404,
      'WORKFLOW_NOT_FOUND',
      "workflow 'lead-enrichmnt' not found (did you mean 'lead-enrichment'?)",
      [{ field: 'workflow', message: "did you mean 'lead-enrichment'?" }],
    );
    expect(formatApiError(error)).toEqual([
      "WORKFLOW_NOT_FOUND: workflow 'lead-enrichmnt' not found (did you mean 'lead-enrichment'?)",
    ]);
  });
});
