import { useEffect, useState } from 'react';
import type { Document } from 'yaml';
import { text } from '../lib/format';
import { readField, STEP_FIELDS, type StepFieldKey } from '../lib/workflow-doc';
import { Button, Field, inputClass } from './ui';

const LABELS: Record<StepFieldKey, string> = {
  prompt: 'Prompt',
  model: 'Model',
  max_turns: 'Max turns',
  timeout: 'Timeout (s)',
  'retry.max_attempts': 'Retry: max attempts',
  'retry.backoff': 'Retry: backoff',
  'retry.on_failure': 'On failure',
  parallel_over: 'Parallel over',
  output_schema: 'Output schema (JSON)',
  runtime: 'Runtime',
};

const CHOICES: Partial<Record<StepFieldKey, string[]>> = {
  'retry.backoff': ['', 'exponential', 'fixed'],
  'retry.on_failure': ['', 'abort', 'skip', 'fallback'],
  runtime: ['', 'sandstorm', 'simulated'],
};

function display(value: unknown, kind: string): string {
  if (value === undefined || value === null) return '';
  return kind === 'json' ? JSON.stringify(value, null, 2) : text(value);
}

/** One form field bound to a step; JSON is applied once it parses. */
function StepField({
  doc,
  index,
  field,
  problem,
  onChange,
}: {
  doc: Document;
  index: number;
  field: (typeof STEP_FIELDS)[number];
  problem: string | undefined;
  onChange: (value: unknown) => void;
}) {
  const current = display(readField(doc, index, field.path), field.kind);
  const [draft, setDraft] = useState(current);
  const [jsonError, setJsonError] = useState<string>();
  useEffect(() => setDraft(current), [current]);
  const id = `field-${field.key}`;
  const commit = (text: string) => {
    setDraft(text);
    if (field.kind === 'number') onChange(text === '' ? '' : Number(text));
    else if (field.kind === 'json') {
      if (text.trim() === '') {
        setJsonError(undefined);
        onChange('');
        return;
      }
      try {
        onChange(JSON.parse(text));
        setJsonError(undefined);
      } catch (err) {
        setJsonError((err as Error).message);
      }
    } else onChange(text);
  };
  const choices = CHOICES[field.key];
  const invalid = problem !== undefined || jsonError !== undefined;
  return (
    <Field label={LABELS[field.key]} error={problem ?? jsonError}>
      {choices ? (
        <select
          id={id}
          className={inputClass}
          value={draft}
          aria-invalid={invalid}
          onChange={(e) => commit(e.target.value)}
        >
          {choices.map((c) => (
            <option key={c} value={c}>
              {c === '' ? 'default' : c}
            </option>
          ))}
        </select>
      ) : field.kind === 'text' || field.kind === 'json' ? (
        <textarea
          id={id}
          className={`${inputClass} font-mono`}
          rows={field.kind === 'text' ? 4 : 3}
          value={draft}
          aria-invalid={invalid}
          onChange={(e) => commit(e.target.value)}
        />
      ) : (
        <input
          id={id}
          className={inputClass}
          type={field.kind === 'number' ? 'number' : 'text'}
          value={draft}
          aria-invalid={invalid}
          onChange={(e) => commit(e.target.value)}
        />
      )}
    </Field>
  );
}

export function StepForm({
  doc,
  index,
  stepId,
  problems,
  onRename,
  onField,
  onRemove,
  disabled,
}: {
  doc: Document;
  index: number;
  stepId: string;
  problems: Record<string, string>;
  onRename: (id: string) => void;
  onField: (path: readonly string[], value: unknown) => void;
  onRemove: () => void;
  disabled: boolean;
}) {
  const [id, setId] = useState(stepId);
  useEffect(() => setId(stepId), [stepId]);
  return (
    <fieldset disabled={disabled} data-testid="step-form">
      <legend className="mb-2 text-sm font-semibold">Step {stepId}</legend>
      <Field label="Id" error={problems['id']}>
        <input
          id="field-id"
          className={inputClass}
          value={id}
          onChange={(e) => setId(e.target.value)}
          onBlur={() => id !== stepId && id.trim() && onRename(id.trim())}
        />
      </Field>
      {problems['depends_on'] && (
        <p className="mb-2 text-xs text-red-700 dark:text-red-300">depends_on: {problems['depends_on']}</p>
      )}
      {problems[''] && <p className="mb-2 text-xs text-red-700 dark:text-red-300">{problems['']}</p>}
      {STEP_FIELDS.map((field) => (
        <StepField
          key={`${stepId}-${field.key}`}
          doc={doc}
          index={index}
          field={field}
          problem={problems[field.key]}
          onChange={(value) => onField(field.path, value)}
        />
      ))}
      <Button variant="danger" onClick={onRemove}>
        Remove step
      </Button>
    </fieldset>
  );
}
