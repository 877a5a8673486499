/** A reference to an output stored elsewhere (too large to inline): shown as preview + link. */
function reference(value: unknown): { preview: string; href: string; size?: number } | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const candidate = (record['$ref'] ?? record['ref'] ?? record['reference'] ?? record) as Record<
    string,
    unknown
  > | null;
  if (!candidate || typeof candidate !== 'object') return null;
  const href = candidate['url'] ?? candidate['link'] ?? candidate['href'];
  if (typeof href !== 'string') return null;
  const preview = candidate['preview'];
  const size = candidate['size_bytes'] ?? candidate['size'];
  return {
    href,
    preview: typeof preview === 'string' ? preview : JSON.stringify(preview ?? '', null, 2),
    ...(typeof size === 'number' ? { size } : {}),
  };
}

const PRE =
  'max-h-80 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-800';

/** A step output as it is: text as text, JSON pretty-printed, offloaded output as preview + link. */
export function OutputView({ value }: { value: unknown }) {
  if (value === null || value === undefined)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No output.</p>;
  if (typeof value === 'string') return <pre className={PRE}>{value}</pre>;
  const ref = reference(value);
  if (ref) {
    // Only same-site or http(s) links are followed.
    const safe = /^(https?:\/\/|\/)/.test(ref.href);
    return (
      <div>
        <pre className={PRE}>{ref.preview}</pre>
        <p className="mt-1 text-xs">
          Stored output{ref.size !== undefined ? ` (${ref.size} bytes)` : ''}:{' '}
          {safe ? (
            <a
              className="text-blue-700 underline dark:text-blue-300"
              href={ref.href}
              target="_blank"
              rel="noreferrer"
            >
              open full output
            </a>
          ) : (
            <code>{ref.href}</code>
          )}
        </p>
      </div>
    );
  }
  return <pre className={PRE}>{JSON.stringify(value, null, 2)}</pre>;
}
