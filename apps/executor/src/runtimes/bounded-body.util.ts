/**
 * The first `maxBytes` bytes of a response body as text; the rest is never read (the stream is
 * cancelled), so an error page of any size costs at most `maxBytes` of memory. A body that
 * breaks off early yields what arrived.
 */
export async function readBounded(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (total < maxBytes) {
      const read = await reader.read();
      if (read.done) break;
      const chunk = read.value as Uint8Array;
      const room = maxBytes - total;
      parts.push(chunk.byteLength > room ? chunk.subarray(0, room) : chunk);
      total += Math.min(chunk.byteLength, room);
    }
  } catch {
    // What arrived before the connection broke is all there is to show.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  // `fatal: false`: a cut inside a multi-byte character becomes U+FFFD, never an exception.
  return new TextDecoder('utf-8', { fatal: false }).decode(Buffer.concat(parts));
}
