import { useState } from 'react';
import { parse } from 'yaml';
import { ApiError } from '../api/client';
import { useFork } from '../api/queries';
import type { ForkBody, RunDetail } from '../api/types';
import { Button, Field, inputClass, Modal } from './ui';

interface StepDefaults {
  prompt?: string;
  model?: string;
  max_turns?: number;
  timeout?: number;
  output_schema?: unknown;
}

function stepDefaults(content: string | undefined, step: string): StepDefaults {
  if (!content) return {};
  try {
    const doc = parse(content) as { steps?: (StepDefaults & { id: string })[] };
    return doc.steps?.find((s) => s.id === step) ?? {};
  } catch {
    return {};
  }
}

function parseJson(text: string): { value?: unknown; error?: string } {
  if (text.trim() === '') return {};
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** Fork from a step: change the step's prompt, model, limits, schema or the run's input first. */
export function ForkDialog({
  run,
  step,
  content,
  onClose,
  onForked,
}: {
  run: RunDetail;
  step: string;
  content: string | undefined;
  onClose: () => void;
  onForked: (id: string) => void;
}) {
  const defaults = stepDefaults(content, step);
  const [prompt, setPrompt] = useState(defaults.prompt ?? '');
  const [model, setModel] = useState(defaults.model ?? '');
  const [maxTurns, setMaxTurns] = useState(defaults.max_turns?.toString() ?? '');
  const [timeout, setTimeoutValue] = useState(defaults.timeout?.toString() ?? '');
  const [schema, setSchema] = useState(
    defaults.output_schema ? JSON.stringify(defaults.output_schema, null, 2) : '',
  );
  const [input, setInput] = useState(JSON.stringify(run.input_data ?? {}, null, 2));
  const [error, setError] = useState<string>();
  const fork = useFork();
  const schemaParsed = parseJson(schema);
  const inputParsed = parseJson(input);

  const submit = () => {
    const changes: NonNullable<ForkBody['changes']> = {};
    if (prompt !== (defaults.prompt ?? '')) changes.prompt = prompt;
    if (model !== (defaults.model ?? '') && model !== '') changes.model = model;
    if (maxTurns !== (defaults.max_turns?.toString() ?? '') && maxTurns !== '')
      changes.max_turns = Number(maxTurns);
    if (timeout !== (defaults.timeout?.toString() ?? '') && timeout !== '') changes.timeout = Number(timeout);
    if (
      schemaParsed.value !== undefined &&
      JSON.stringify(schemaParsed.value) !== JSON.stringify(defaults.output_schema)
    )
      changes.output_schema = schemaParsed.value as Record<string, unknown>;
    const inputChanged = JSON.stringify(inputParsed.value) !== JSON.stringify(run.input_data);
    if (Object.keys(changes).length === 0) {
      setError('Change at least one of prompt, model, max turns, timeout or output schema.');
      return;
    }
    const body: ForkBody = {
      from_step: step,
      changes,
      ...(inputChanged ? { input: inputParsed.value as Record<string, unknown> } : {}),
    };
    fork.mutateAsync({ id: run.run_id, body }).then(
      (answer) => onForked(answer.new_run_id),
      (err: unknown) =>
        setError(
          err instanceof ApiError
            ? `${err.message}${err.details.map((d) => ` · ${d.field}: ${d.message}`).join('')}`
            : String(err),
        ),
    );
  };

  return (
    <Modal title={`Fork from ${step}`} onClose={onClose} wide>
      <Field label="Prompt">
        <textarea
          className={`${inputClass} font-mono`}
          rows={5}
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
        />
      </Field>
      <div className="grid grid-cols-3 gap-3">
        <Field label="Model">
          <input
            className={inputClass}
            value={model}
            onChange={(e) => setModel(e.target.value)}
            placeholder="sonnet"
          />
        </Field>
        <Field label="Max turns">
          <input
            className={inputClass}
            type="number"
            min={1}
            value={maxTurns}
            onChange={(e) => setMaxTurns(e.target.value)}
          />
        </Field>
        <Field label="Timeout (s)">
          <input
            className={inputClass}
            type="number"
            min={1}
            value={timeout}
            onChange={(e) => setTimeoutValue(e.target.value)}
          />
        </Field>
      </div>
      <Field label="Output schema (JSON)" error={schemaParsed.error}>
        <textarea
          className={`${inputClass} font-mono`}
          rows={4}
          value={schema}
          onChange={(e) => setSchema(e.target.value)}
        />
      </Field>
      <Field label="Run input (JSON)" error={inputParsed.error}>
        <textarea
          className={`${inputClass} font-mono`}
          rows={4}
          value={input}
          onChange={(e) => setInput(e.target.value)}
        />
      </Field>
      {error && (
        <p role="alert" className="mb-3 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose}>Close</Button>
        <Button
          variant="primary"
          disabled={fork.isPending || schemaParsed.error !== undefined || inputParsed.error !== undefined}
          onClick={submit}
        >
          Fork and run
        </Button>
      </div>
    </Modal>
  );
}
