import type { Context, MiddlewareHandler } from 'hono';
import { problems } from '@rapport/core';

/**
 * The size limit of upload routes, counted as the route reads the body: a file sent without a
 * Content-Length (chunked, as a streamed upload is) goes through in constant memory and is refused
 * with 413 as soon as it passes the limit. Hono's bodyLimit reads such a body whole before the route
 * sees it: a 113 MB import took the server to 2.6 GB.
 */
export function uploadLimit(maxSize: number, tooLarge: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (!raw.body) return next();
    const declared = raw.headers.get('content-length');
    if (declared !== null && !raw.headers.has('transfer-encoding')) return Number(declared) > maxSize ? tooLarge(c) : next();
    let size = 0;
    let exceeded = false;
    const counted = raw.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          size += chunk.byteLength;
          // The route reading the body gets the problem as its error, and answers with it.
          if (size <= maxSize) return controller.enqueue(chunk);
          exceeded = true;
          controller.error(problems.payloadTooLarge(maxSize));
        },
      }),
    );
    c.req.raw = new Request(raw, { body: counted, duplex: 'half' } as RequestInit);
    await next();
    // The rest of the body is left unread: the connection cannot carry another request.
    if (exceeded) c.res.headers.set('connection', 'close');
  };
}
