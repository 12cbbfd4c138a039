// Reading request bodies, never more than the cap, and what the records keep of them.
import type { IncomingMessage } from 'http';

export type BodyRead = { ok: true; raw: string } | { ok: false };

/**
 * The body as text, or not ok as soon as it passes `maxBytes`: a declared Content-Length over the
 * cap is refused unread, and a longer chunked body is dropped at the first chunk past it. What the
 * client sends after that is read and discarded, so it can still read the answer (closing with
 * unread data would reset the connection under it).
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const tooLarge = (): BodyRead => {
    req.removeAllListeners('data');
    req.resume();
    return { ok: false };
  };
  if (Number(req.headers['content-length']) > maxBytes) return Promise.resolve(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        req.removeAllListeners('end');
        resolve(tooLarge());
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => resolve({ ok: true, raw: Buffer.concat(chunks).toString('utf8') }));
    req.on('error', reject);
  });
}

/** Parsed JSON when possible, the raw text otherwise, undefined when empty. */
export function bodyForRecord(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
