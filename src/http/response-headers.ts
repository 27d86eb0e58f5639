/**
 * Headers the gate adds to the response of a request it let through (a fresh `DPoP-Nonce`,
 * RFC 9449 §8.2), applied by each adapter without clobbering what the response already carries:
 * `Access-Control-Expose-Headers` lists are merged, every other header is set.
 *
 * @module
 * @internal
 * @see https://www.rfc-editor.org/rfc/rfc9449#section-8.2
 */

import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';

const EXPOSE = 'access-control-expose-headers';

/**
 * One value of a comma-separated list header (`Access-Control-Expose-Headers`, `Vary`) holding
 * the items of both lists, each once (compared case-insensitively), in order.
 *
 * @param existing - The value already on the response (a list, or several field lines).
 * @param added - The names to add.
 * @returns The merged list.
 * @see https://fetch.spec.whatwg.org/#http-access-control-expose-headers
 */
export function mergeHeaderLists(
  existing: string | number | readonly string[] | null | undefined,
  added: string,
): string {
  if (existing === undefined || existing === null || existing === '') return added;
  const text = Array.isArray(existing) ? existing.join(',') : String(existing);
  const names: string[] = [];
  const seen = new Set<string>();
  for (const name of `${text},${added}`.split(',')) {
    const trimmed = name.trim();
    const key = trimmed.toLowerCase();
    if (trimmed === '' || seen.has(key)) continue;
    seen.add(key);
    names.push(trimmed);
  }
  return names.join(', ');
}

/**
 * Sets the gate's headers on a `node:http` (or Express) response before the handler runs.
 *
 * @param res - The response.
 * @param headers - The pass's headers.
 */
export function setPassHeaders(
  res: ServerResponse,
  headers: Readonly<Record<string, string>>,
): void {
  for (const [name, value] of Object.entries(headers)) {
    const merged =
      name.toLowerCase() === EXPOSE ? mergeHeaderLists(res.getHeader(EXPOSE), value) : value;
    res.setHeader(name, merged);
  }
}

/**
 * The headers a proxy writes over a response the gate already put headers on: the gate's
 * headers win, `Access-Control-Expose-Headers` lists are merged.
 *
 * @param res - The response the gate set headers on.
 * @param incoming - The headers about to be written (the upstream's).
 * @returns `incoming`, adjusted in place.
 */
export function keepPassHeaders(
  res: ServerResponse,
  incoming: OutgoingHttpHeaders,
): OutgoingHttpHeaders {
  for (const name of res.getHeaderNames()) {
    if (name !== EXPOSE) {
      delete incoming[name];
      continue;
    }
    const upstream = incoming[EXPOSE];
    const mine = res.getHeader(EXPOSE);
    if (upstream === undefined || mine === undefined) continue;
    incoming[EXPOSE] = mergeHeaderLists(
      mine,
      Array.isArray(upstream) ? upstream.join(',') : String(upstream),
    );
  }
  return incoming;
}

/**
 * The handler's `Response` with the gate's headers added: the same object when its headers can
 * be changed, a copy (same status, headers and body stream) when they are immutable.
 *
 * @param response - What the handler answered.
 * @param headers - The pass's headers.
 * @returns The response to send.
 */
export function withPassHeaders(
  response: Response,
  headers: Readonly<Record<string, string>>,
): Response {
  const apply = (target: Headers): void => {
    for (const [name, value] of Object.entries(headers)) {
      const merged =
        name.toLowerCase() === EXPOSE ? mergeHeaderLists(target.get(EXPOSE), value) : value;
      target.set(name, merged);
    }
  };
  try {
    apply(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    apply(copy.headers);
    return copy;
  }
}
