import { Parser } from 'yaml';

const CLOSED: Record<string, RegExp> = {
  // '' is an escaped quote inside single quotes; \" (any \x) inside double quotes.
  'single-quoted-scalar': /^'(?:[^']|'')*'$/s,
  'double-quoted-scalar': /^"(?:[^"\\]|\\.)*"$/s,
};

/**
 * Where the first quoted scalar that is never closed starts (an offset into `text`), or
 * undefined. The YAML parser reports an unclosed quote where it gave up — the end of the file —
 * while the mistake is where the quote opens; this finds that place in the parser's token tree.
 */
export function unclosedQuoteStart(text: string): number | undefined {
  let found: number | undefined;
  const visit = (node: unknown): void => {
    if (found !== undefined || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const token = node as { type?: unknown; source?: unknown; offset?: unknown };
    const closed = typeof token.type === 'string' ? CLOSED[token.type] : undefined;
    if (closed && typeof token.source === 'string' && typeof token.offset === 'number') {
      if (!closed.test(token.source)) {
        found = token.offset;
        return;
      }
    }
    for (const value of Object.values(node)) visit(value);
  };
  for (const token of new Parser().parse(text)) visit(token);
  return found;
}
