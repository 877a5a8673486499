/** The comment line an idle stream sends so proxies keep the connection open. */
export const SSE_KEEP_ALIVE = ': keep-alive\n\n';

/**
 * One Server-Sent Event: `id`, `event`, then the JSON on `data:` lines, and the blank line that
 * ends it. JSON.stringify never emits a raw line break, but data is split on line breaks anyway
 * so that no value can end the event early or forge another field.
 */
export function formatSseEvent(id: number, event: string, data: unknown): string {
  const json = JSON.stringify(data) ?? 'null';
  const lines = json.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `id: ${id}\nevent: ${event}\n${lines.join('')}\n`;
}

/**
 * The position a reconnecting client sends (`Last-Event-ID`). Our ids are JetStream stream
 * sequences; anything else (absent, empty, not a whole number) means "start from a snapshot".
 */
export function parseLastEventId(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const text = value.trim();
  if (!/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
