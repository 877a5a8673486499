import { useState } from 'react';
import { authHeaders } from '../api/session';

/**
 * A step output stored as an object because it was too large to keep inline (the run detail's
 * `output_ref`, docs/storage.md): its preview, size and a download of the whole object.
 */
export interface OutputRef {
  name: string;
  size: number;
  content_type: string;
  preview: string;
  url: string;
}

/** The `output_ref` of a step view, when it is one (the generated type says `unknown`). */
export function outputRefOf(value: unknown): OutputRef | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const r = value as Record<string, unknown>;
  if (typeof r['url'] !== 'string' || typeof r['name'] !== 'string') return null;
  return {
    name: r['name'],
    url: r['url'],
    size: typeof r['size'] === 'number' ? r['size'] : 0,
    content_type: typeof r['content_type'] === 'string' ? r['content_type'] : 'application/octet-stream',
    preview: typeof r['preview'] === 'string' ? r['preview'] : '',
  };
}

const PRE =
  'max-h-80 overflow-auto whitespace-pre-wrap break-words rounded bg-slate-100 p-3 font-mono text-xs dark:bg-slate-800';

/**
 * Downloads an artifact of the gateway with the API key in its header (a plain link could not
 * send it, and the key never goes into a URL), then hands the bytes to the browser as a file.
 */
async function download(ref: OutputRef): Promise<void> {
  const response = await fetch(ref.url, { headers: authHeaders() });
  if (!response.ok) throw new Error(`the gateway answered ${response.status}`);
  const blob = await response.blob();
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = ref.name;
  link.click();
  URL.revokeObjectURL(href);
}

function StoredOutput({ outputRef }: { outputRef: OutputRef }) {
  const [problem, setProblem] = useState<string | null>(null);
  // Only the gateway's own paths are fetched (the key must not travel anywhere else).
  const sameSite = outputRef.url.startsWith('/') && !outputRef.url.startsWith('//');
  return (
    <div>
      <pre className={PRE}>{outputRef.preview}</pre>
      <p className="mt-1 text-xs">
        Stored output ({outputRef.size.toLocaleString()} bytes, {outputRef.content_type}):{' '}
        {sameSite ? (
          <button
            type="button"
            className="text-blue-700 underline dark:text-blue-300"
            onClick={() => {
              setProblem(null);
              download(outputRef).catch((err: unknown) => setProblem((err as Error).message));
            }}
          >
            download full output
          </button>
        ) : (
          <code>{outputRef.url}</code>
        )}
      </p>
      {problem && (
        <p role="alert" className="mt-1 text-xs text-red-700 dark:text-red-300">
          Download failed: {problem}
        </p>
      )}
    </div>
  );
}

/** A step output as it is: text as text, JSON pretty-printed, a stored output as preview + download. */
export function OutputView({ value, outputRef }: { value: unknown; outputRef?: unknown }) {
  const stored = outputRefOf(outputRef);
  if (stored) return <StoredOutput outputRef={stored} />;
  if (value === null || value === undefined)
    return <p className="text-sm text-slate-600 dark:text-slate-400">No output.</p>;
  if (typeof value === 'string') return <pre className={PRE}>{value}</pre>;
  return <pre className={PRE}>{JSON.stringify(value, null, 2)}</pre>;
}
