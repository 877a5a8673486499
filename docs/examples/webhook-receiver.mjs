// A Sandcastle webhook receiver: verifies X-Sandcastle-Signature (HMAC-SHA256 of the raw body
// with WEBHOOK_SECRET, compared in constant time), refuses a timestamp older than 5 minutes and
// a request it has already seen (a replay), and acknowledges with 2xx only what it accepted.
// Run: WEBHOOK_SECRET=... PORT=3000 node webhook-receiver.mjs
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';

const SECRET = process.env.WEBHOOK_SECRET ?? '';
const PORT = Number(process.env.PORT ?? 3000);
const TOLERANCE_MS = 5 * 60_000;
if (!SECRET) throw new Error('set WEBHOOK_SECRET to the value the notifier uses');

/** Signatures accepted within the tolerance: the same request sent again is a replay. */
const seen = new Map();

function verify(raw, signatureHex, now = Date.now()) {
  const expected = createHmac('sha256', SECRET).update(raw).digest();
  const given = Buffer.from(typeof signatureHex === 'string' ? signatureHex : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { error: 'bad signature' };
  const body = JSON.parse(raw.toString('utf8'));
  const sentAt = Date.parse(body.timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > TOLERANCE_MS) return { error: 'stale timestamp' };
  for (const [signature, expires] of seen) if (expires < now) seen.delete(signature);
  if (seen.has(signatureHex)) return { error: 'replayed' };
  seen.set(signatureHex, now + TOLERANCE_MS);
  return { body };
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    // Verify the bytes exactly as received: never re-serialise the JSON before checking.
    const { body, error } = verify(Buffer.concat(chunks), req.headers['x-sandcastle-signature']);
    if (error) {
      console.log(JSON.stringify({ rejected: error }));
      res.writeHead(401).end(error);
      return;
    }
    // A retry of a delivery carries the same X-Sandcastle-Delivery: handle each id once.
    const delivery = req.headers['x-sandcastle-delivery'];
    console.log(
      JSON.stringify({ accepted: delivery, event: body.event, run_id: body.run_id, status: body.status }),
    );
    res.writeHead(204).end();
  });
}).listen(PORT, () => console.log(JSON.stringify({ listening: PORT })));
