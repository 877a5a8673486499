import type { ModelEntry } from '@sandcastle/config';
import type { AttemptRequest, RuntimeProgress } from '../agent-runtime';
import type { SseEvent } from '../sse-parser';
import {
  AnswerDraft,
  callLabel,
  jsonInText,
  tokens,
  type ModelAnswer,
  type ModelApiClient,
  type ModelApiClientOptions,
} from './model-api-client';
import { providerErrorType, ProviderCallError } from './provider-call-error';
import { eventJson, streamProvider, type EventVerdict } from './provider-stream';

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The instruction added to the prompt when the server cannot enforce a JSON schema itself. */
export function schemaInstruction(schema: Record<string, unknown>): string {
  return (
    '\n\nAnswer with only one JSON value (no prose, no code fence) that matches this JSON Schema:\n' +
    JSON.stringify(schema)
  );
}

/**
 * Any OpenAI-compatible Chat Completions server (OpenAI, vLLM, Ollama, OpenRouter…) with
 * `stream: true` and `stream_options.include_usage` (the usage arrives in the last chunk). An
 * `output_schema` goes as `response_format: json_schema` where the endpoint is configured to
 * support it (`json_schema: true`), else as an instruction in the prompt; either way the answer is
 * parsed and validated on return. Cached prompt tokens (`prompt_tokens_details.cached_tokens`)
 * are priced as cache reads and the rest of the prompt as input.
 */
export class OpenAiClient implements ModelApiClient {
  readonly kind = 'openai' as const;

  constructor(private readonly options: ModelApiClientOptions) {}

  async call(
    entry: ModelEntry,
    apiKey: string | null,
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<ModelAnswer> {
    const draft = new AnswerDraft(entry);
    const schema = req.outputSchema;
    const inPrompt = schema !== null && !entry.jsonSchema;
    let finishReason: string | null = null;
    const body: Record<string, unknown> = {
      model: entry.providerModel,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: entry.maxOutputTokens,
      messages: [{ role: 'user', content: inPrompt ? req.prompt + schemaInstruction(schema) : req.prompt }],
    };
    if (schema !== null && entry.jsonSchema) {
      body['response_format'] = {
        type: 'json_schema',
        json_schema: { name: 'output', schema, strict: false },
      };
    }
    const headers: Record<string, string> = {};
    if (apiKey !== null) headers['authorization'] = `Bearer ${apiKey}`;

    const onEvent = (event: SseEvent): EventVerdict => {
      if (event.data.trim() === '[DONE]') return 'done';
      const data = record(eventJson(event));
      if (data['error'] !== undefined) {
        const type = providerErrorType(data);
        const overloaded = type !== null && /overload|rate_limit/i.test(type);
        throw new ProviderCallError(
          `${callLabel(entry)} sent an error in the stream${type !== null ? ` (${type})` : ''}`,
          overloaded || type === 'server_error',
          null,
          overloaded,
        );
      }
      if (typeof data['model'] === 'string') draft.reportedModel = data['model'].slice(0, 200);
      const choices = Array.isArray(data['choices']) ? (data['choices'] as unknown[]) : [];
      const choice = record(choices[0]);
      const delta = record(choice['delta']);
      if (typeof delta['content'] === 'string' && delta['content'] !== '') {
        draft.text.push(delta['content']);
        draft.outputStarted = true;
        onProgress({ kind: 'ping' });
      }
      if (typeof choice['finish_reason'] === 'string') finishReason = choice['finish_reason'];
      const usage = record(data['usage']);
      if (data['usage'] !== undefined && data['usage'] !== null) {
        const cached = tokens(record(usage['prompt_tokens_details'])['cached_tokens']);
        const prompt = tokens(usage['prompt_tokens']);
        draft.usage.cacheReadInputTokens = Math.min(cached, prompt);
        draft.usage.inputTokens = prompt - draft.usage.cacheReadInputTokens;
        draft.usage.outputTokens = tokens(usage['completion_tokens']);
      }
      return 'more';
    };

    let complete: boolean;
    try {
      complete = await streamProvider(
        { url: `${entry.baseUrl}/chat/completions`, headers, body, label: callLabel(entry) },
        this.options,
        signal,
        onEvent,
        () => onProgress({ kind: 'ping' }),
      );
    } catch (err) {
      throw draft.failed(err);
    }
    // Some servers close after the usage chunk without `[DONE]`: a finish reason is enough.
    if (!complete && finishReason === null) {
      throw draft.failed(
        new ProviderCallError(`${callLabel(entry)}: the stream ended before the answer was complete`, true),
      );
    }
    const text = draft.text.join('');
    if (schema === null) return draft.answer(text, null);
    if (finishReason === 'length') {
      throw draft.fail(`the structured answer was cut at max_output_tokens (${entry.maxOutputTokens})`);
    }
    const output = jsonInText(text);
    if (output === undefined) throw draft.fail('the answer is not JSON, but the step has an output_schema');
    return draft.answer(output, schema);
  }
}
