import type { Context, MiddlewareHandler } from 'hono';
import { problems, ProblemError } from '@rapport/core';

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/** Reads a JSON body: 415 when it is not JSON, 400 when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!JSON_TYPE.test(type)) {
    throw new ProblemError({ status: 415, slug: 'unsupported-media-type', title: 'Unsupported media type', detail: 'Send the body as JSON with "Content-Type: application/json"' });
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw problems.badRequest('The body is not valid JSON', [{ field: '(body)', code: 'invalid_json', message: 'is not valid JSON' }]);
  }
}

/** Deeper JSON is refused before anything walks it: validation, hashing and storage recurse, and would overflow the stack. */
export const MAX_JSON_DEPTH = 100;

/** Whether JSON text nests arrays and objects more than `max` levels (a linear scan that skips strings). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index++; // \ escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/** Refuses (400) a JSON body nested deeper than MAX_JSON_DEPTH, for every route, before any of them parses it. */
export const refuseDeepJson: MiddlewareHandler = async (c, next) => {
  if (c.req.raw.body && JSON_TYPE.test(c.req.header('content-type') ?? '') && jsonTooDeep(await c.req.text())) {
    throw problems.badRequest(`The body nests JSON deeper than ${MAX_JSON_DEPTH} levels`, [{ field: '(body)', code: 'too_deep', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }]);
  }
  return next();
};
