import { useState } from 'react';
import { ApiError } from '../api/client';
import { useStartRun } from '../api/queries';
import { useConnection } from '../lib/connection';
import { Button, Field, inputClass, Modal } from './ui';

/** Checks the input as the user types: it must be a JSON object. */
export function inputProblem(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? undefined
      : 'the input must be a JSON object';
  } catch (err) {
    return (err as Error).message;
  }
}

export function RunDialog({
  workflow,
  onClose,
  onStarted,
}: {
  workflow: string;
  onClose: () => void;
  onStarted: (runId: string) => void;
}) {
  const { demo } = useConnection();
  const [input, setInput] = useState('{\n  \n}');
  const [callback, setCallback] = useState('');
  const [budget, setBudget] = useState('');
  const [error, setError] = useState<string>();
  const start = useStartRun();
  const problem = inputProblem(input);
  const budgetProblem =
    budget !== '' && !(Number(budget) >= 0) ? 'a budget is a number of USD, 0 or more' : undefined;
  const submit = () => {
    start
      .mutateAsync({
        workflow,
        input: input.trim() ? (JSON.parse(input) as Record<string, unknown>) : {},
        ...(callback ? { callback_url: callback } : {}),
        ...(budget ? { max_cost_usd: Number(budget) } : {}),
      })
      .then(
        (answer) => onStarted(answer.run_id),
        (err: unknown) =>
          setError(
            err instanceof ApiError
              ? `${err.message}${err.details.map((d) => ` · ${d.field}: ${d.message}`).join('')}`
              : String(err),
          ),
      );
  };
  return (
    <Modal title={`Run ${workflow}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Field label="Input (JSON)" error={problem}>
          <textarea
            className={`${inputClass} font-mono`}
            rows={6}
            value={input}
            onChange={(e) => setInput(e.target.value)}
            aria-invalid={problem !== undefined}
          />
        </Field>
        <Field label="Callback URL (optional)" hint="Receives a signed webhook when the run ends.">
          <input
            className={inputClass}
            type="url"
            value={callback}
            onChange={(e) => setCallback(e.target.value)}
            placeholder="https://example.com/hooks/sandcastle"
          />
        </Field>
        <Field
          label="Budget in USD (optional)"
          error={budgetProblem}
          hint="Empty: your key's limit or the default."
        >
          <input
            className={inputClass}
            inputMode="decimal"
            value={budget}
            onChange={(e) => setBudget(e.target.value)}
            placeholder="0.50"
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
            type="submit"
            disabled={demo || problem !== undefined || budgetProblem !== undefined || start.isPending}
          >
            Start run
          </Button>
        </div>
      </form>
    </Modal>
  );
}
