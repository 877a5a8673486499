import type { TokenUsage } from '@sandcastle/contracts';
import { AttemptFailedError, type AttemptOutput } from './agent-runtime';

/** What one Sandstorm SSE `data` payload means for the attempt. */
export type SandstormEventMeaning =
  | { kind: 'message'; summary: string; initModel: string | null }
  | { kind: 'ignored' }
  | { kind: 'success'; output: AttemptOutput }
  | { kind: 'failure'; error: AttemptFailedError };

export interface SandstormEventContext {
  requestedModel: string;
  maxTurns: number;
  /** `model` of the `system` init event, once seen. */
  initModel: string | null;
}

const SUMMARY_CHARS = 200;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function nonNegative(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
}

function count(v: unknown): number {
  const n = nonNegative(v);
  return n === null ? 0 : Math.round(n);
}

function truncate(text: string, max = SUMMARY_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function contentBlocks(data: Json): Json[] {
  const message = data['message'];
  const content = isObject(message) ? message['content'] : undefined;
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.filter(isObject) : [];
}

function summarizeAssistant(data: Json): string {
  const parts: string[] = [];
  for (const block of contentBlocks(data)) {
    const text = str(block['text']);
    const name = str(block['name']);
    if (block['type'] === 'text' && text) parts.push(text);
    else if (block['type'] === 'tool_use' && name) parts.push(`[tool: ${name}]`);
    else if (block['type'] === 'thinking') parts.push('[thinking]');
  }
  return parts.length > 0 ? truncate(parts.join(' ')) : 'assistant message';
}

function summarizeUser(data: Json): string {
  const results = contentBlocks(data).filter((b) => b['type'] === 'tool_result');
  if (results.length === 0) return 'user message';
  const failed = results.filter((b) => b['is_error'] === true).length;
  return failed > 0 ? `tool result (${failed} error${failed > 1 ? 's' : ''})` : 'tool result';
}

function usageOf(data: Json): TokenUsage {
  const u = isObject(data['usage']) ? data['usage'] : {};
  return {
    inputTokens: count(u['input_tokens']),
    outputTokens: count(u['output_tokens']),
    cacheCreationInputTokens: count(u['cache_creation_input_tokens']),
    cacheReadInputTokens: count(u['cache_read_input_tokens']),
  };
}

function failedResultMessage(data: Json, ctx: SandstormEventContext): string {
  const subtype = str(data['subtype']) ?? 'unknown';
  let message: string;
  switch (subtype) {
    case 'error_max_turns':
      message = `the agent reached max_turns (${ctx.maxTurns}) without finishing`;
      break;
    case 'error_max_budget_usd':
      message = 'the agent hit its budget cap (max_budget_usd)';
      break;
    case 'error_during_execution':
      message = 'the agent failed during execution';
      break;
    case 'error_max_structured_output_retries':
      message = 'the agent could not produce output matching output_schema';
      break;
    default:
      message = `the agent finished with an error (${subtype})`;
  }
  const errors = Array.isArray(data['errors']) ? data['errors'].filter((e) => typeof e === 'string') : [];
  const detail = errors.length > 0 ? errors.join('; ') : (str(data['result']) ?? '');
  return detail ? `${message}: ${truncate(detail, 1000)}` : message;
}

function interpretResult(data: Json, ctx: SandstormEventContext): SandstormEventMeaning {
  const costUsd = nonNegative(data['total_cost_usd']) ?? nonNegative(data['cost_usd']) ?? 0;
  const usage = usageOf(data);
  const numTurns = count(data['num_turns']);
  const model = ctx.initModel ?? ctx.requestedModel;
  if (data['subtype'] === 'success' && data['is_error'] !== true) {
    const structured = data['structured_output'];
    const output = structured !== null && structured !== undefined ? structured : (str(data['result']) ?? '');
    return { kind: 'success', output: { output, costUsd, usage, numTurns, model } };
  }
  const error = new AttemptFailedError(failedResultMessage(data, ctx), costUsd, usage, numTurns, model);
  return { kind: 'failure', error };
}

/**
 * Maps one parsed Sandstorm event (an Agent SDK message or a Sandstorm-made one, keyed on its
 * `type` field, see spec/sandstorm-api.md A.4) to what it means for the attempt.
 */
export function interpretSandstormEvent(data: unknown, ctx: SandstormEventContext): SandstormEventMeaning {
  if (!isObject(data)) return { kind: 'ignored' };
  const type = str(data['type']) ?? '';
  switch (type) {
    case 'system': {
      const subtype = str(data['subtype']) ?? 'message';
      const model = subtype === 'init' ? str(data['model']) : null;
      return {
        kind: 'message',
        summary: model ? `system ${subtype} (model ${model})` : `system ${subtype}`,
        initModel: model,
      };
    }
    case 'assistant':
      return { kind: 'message', summary: summarizeAssistant(data), initModel: null };
    case 'user':
      return { kind: 'message', summary: summarizeUser(data), initModel: null };
    case 'error': {
      const text = str(data['error']) ?? 'unknown error';
      const requestId = str(data['request_id']);
      const message = `Sandstorm error: ${text}${requestId ? ` (request ${requestId})` : ''}`;
      return { kind: 'failure', error: new AttemptFailedError(message, 0, undefined, 0, ctx.initModel) };
    }
    case 'result':
      return interpretResult(data, ctx);
    default:
      // stderr, warning, file and anything newer servers add: informational only.
      return { kind: 'ignored' };
  }
}
