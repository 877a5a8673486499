import type { ModelEntry } from '@sandcastle/config';
import type { AttemptRequest, RuntimeProgress } from '../agent-runtime';
import type { SseEvent } from '../sse-parser';
import {
  AnswerDraft,
  callLabel,
  tokens,
  type ModelAnswer,
  type ModelApiClient,
  type ModelApiClientOptions,
} from './model-api-client';
import { ProviderCallError } from './provider-call-error';
import { eventJson, streamProvider, type EventVerdict } from './provider-stream';

export const ANTHROPIC_VERSION = '2023-06-01';
/** The tool the model must call when the step has an `output_schema`. */
export const OUTPUT_TOOL = 'submit_output';

/** Anthropic tools take an object schema; any other root is wrapped in `{value: …}`. */
function toolSchema(schema: Record<string, unknown>): { schema: Record<string, unknown>; wrapped: boolean } {
  if (schema['type'] === 'object') return { schema, wrapped: false };
  return { schema: { type: 'object', properties: { value: schema }, required: ['value'] }, wrapped: true };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/**
 * Anthropic's Messages API with `stream: true`. One user message per attempt; an `output_schema`
 * becomes a forced tool call whose input is the structured output, checked again on return (the
 * model can still produce input that breaks the schema). Usage arrives in `message_start`
 * (input and cache tokens) and `message_delta` (cumulative output tokens).
 */
export class AnthropicClient implements ModelApiClient {
  readonly kind = 'anthropic' as const;

  constructor(private readonly options: ModelApiClientOptions) {}

  async call(
    entry: ModelEntry,
    apiKey: string | null,
    req: AttemptRequest,
    signal: AbortSignal,
    onProgress: (p: RuntimeProgress) => void,
  ): Promise<ModelAnswer> {
    const draft = new AnswerDraft(entry);
    const tool = req.outputSchema === null ? null : toolSchema(req.outputSchema);
    const toolInput: string[] = [];
    let stopReason: string | null = null;
    const body: Record<string, unknown> = {
      model: entry.providerModel,
      max_tokens: entry.maxOutputTokens,
      stream: true,
      messages: [{ role: 'user', content: req.prompt }],
    };
    if (tool !== null) {
      body['tools'] = [
        {
          name: OUTPUT_TOOL,
          description: 'Submit the final answer. Its input is the structured output the task asks for.',
          input_schema: tool.schema,
        },
      ];
      body['tool_choice'] = { type: 'tool', name: OUTPUT_TOOL };
    }
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION };
    if (apiKey !== null) headers['x-api-key'] = apiKey;

    const onEvent = (event: SseEvent): EventVerdict => {
      const data = record(eventJson(event));
      const type = typeof data['type'] === 'string' ? data['type'] : event.event;
      switch (type) {
        case 'message_start': {
          const message = record(data['message']);
          if (typeof message['model'] === 'string') draft.reportedModel = message['model'].slice(0, 200);
          const usage = record(message['usage']);
          draft.usage.inputTokens = tokens(usage['input_tokens']);
          draft.usage.cacheCreationInputTokens = tokens(usage['cache_creation_input_tokens']);
          draft.usage.cacheReadInputTokens = tokens(usage['cache_read_input_tokens']);
          draft.usage.outputTokens = tokens(usage['output_tokens']);
          return 'more';
        }
        case 'content_block_delta': {
          const delta = record(data['delta']);
          if (delta['type'] === 'text_delta' && typeof delta['text'] === 'string')
            draft.text.push(delta['text']);
          if (delta['type'] === 'input_json_delta' && typeof delta['partial_json'] === 'string') {
            toolInput.push(delta['partial_json']);
          }
          draft.outputStarted = true;
          onProgress({ kind: 'ping' });
          return 'more';
        }
        case 'message_delta': {
          const delta = record(data['delta']);
          if (typeof delta['stop_reason'] === 'string') stopReason = delta['stop_reason'];
          const usage = record(data['usage']);
          if (usage['output_tokens'] !== undefined) draft.usage.outputTokens = tokens(usage['output_tokens']);
          return 'more';
        }
        case 'message_stop':
          return 'done';
        case 'error': {
          const errorType = record(data['error'])['type'];
          const kind =
            typeof errorType === 'string' && /^[a-z_]{1,60}$/.test(errorType) ? errorType : 'error';
          const overloaded = kind === 'overloaded_error' || kind === 'rate_limit_error';
          throw new ProviderCallError(
            `${callLabel(entry)} sent an error event (${kind})`,
            overloaded || kind === 'api_error',
            null,
            overloaded,
          );
        }
        case 'ping':
          onProgress({ kind: 'ping' });
          return 'more';
        default:
          // content_block_start/stop and event types added later carry nothing we need.
          return 'more';
      }
    };

    let complete: boolean;
    try {
      complete = await streamProvider(
        { url: `${entry.baseUrl}/v1/messages`, headers, body, label: callLabel(entry) },
        this.options,
        signal,
        onEvent,
        () => onProgress({ kind: 'ping' }),
      );
    } catch (err) {
      throw draft.failed(err);
    }
    if (!complete) {
      throw draft.failed(
        new ProviderCallError(`${callLabel(entry)}: the stream ended before message_stop`, true),
      );
    }
    if (stopReason === 'refusal') throw draft.fail('the model refused to answer (stop_reason: refusal)');
    // Free text cut at max_tokens is still an answer (a summary that ran long): it is returned.
    if (tool === null) return draft.answer(draft.text.join(''), null);
    if (stopReason === 'max_tokens') {
      throw draft.fail(`the structured answer was cut at max_output_tokens (${entry.maxOutputTokens})`);
    }
    let input: unknown;
    try {
      input = JSON.parse(toolInput.join('') || '{}') as unknown;
    } catch {
      throw draft.fail(`the ${OUTPUT_TOOL} tool input is not valid JSON`);
    }
    const output = tool.wrapped ? record(input)['value'] : input;
    return draft.answer(output, req.outputSchema);
  }
}
