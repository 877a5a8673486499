import { didYouMean, editDistance } from './did-you-mean.util';
import { MODEL_ALIASES, WORKFLOW_LIMITS } from './workflow-schema';
import type { SectionReader } from './section-reader.util';

/**
 * Models are passed to the runtime as written (an alias such as `sonnet`, or a full model id),
 * so any plausible name is accepted. What is caught: whitespace, absurd lengths, and near-misses
 * of an alias (`sonet`, `Haiku`) that the runtime would only reject mid-run.
 */
export function readModel(reader: SectionReader, key: string): string | undefined {
  const model = reader.string(key);
  if (model === undefined) return undefined;
  return readModelName(reader, key, model);
}

/** One model name read from `key` (a `model` field or an entry of a `models` list). */
export function readModelName(reader: SectionReader, key: string, model: string): string | undefined {
  if (model.length > WORKFLOW_LIMITS.modelLength || /\s/.test(model)) {
    reader.report(
      key,
      `${reader.name(key)} '${model.slice(0, 40)}' is not a model name (no spaces, at most ${WORKFLOW_LIMITS.modelLength} characters)`,
    );
    return undefined;
  }
  if (looksLikeMistypedAlias(model)) {
    reader.report(key, `unknown model '${model}'${didYouMean(model.toLowerCase(), MODEL_ALIASES)}`);
    return undefined;
  }
  return model;
}

function looksLikeMistypedAlias(model: string): boolean {
  if ((MODEL_ALIASES as readonly string[]).includes(model)) return false;
  if (!/^[A-Za-z]+$/.test(model)) return false; // ids like `claude-sonnet-4-5` or `gpt-4o` are fine
  const lower = model.toLowerCase();
  return MODEL_ALIASES.some((alias) => editDistance(lower, alias) <= 2);
}
