import * as http from 'node:http';
import * as https from 'node:https';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

export interface HttpGetOptions {
  readonly headers?: http.OutgoingHttpHeaders;
  readonly signal?: AbortSignal;
  /** A connection that sends nothing for this long is destroyed with a StalledError. */
  readonly idleTimeoutMs: number;
}

export interface HttpResponse {
  readonly response: http.IncomingMessage;
  /** Where the body actually came from, after redirects. */
  readonly url: URL;
  /** Why the connection was cut by this side, if it was (the body's own error just says "aborted"). */
  readonly cutReason: () => Error | undefined;
}

/** Raised when the connection goes quiet: the server or the network stopped delivering without closing. */
export class StalledError extends Error {
  constructor(idleTimeoutMs: number) {
    super(`no data arrived for ${idleTimeoutMs / 1000} s`);
    this.name = 'StalledError';
  }
}

/** Raised for a redirect loop or a redirect without a Location. */
export class RedirectError extends Error {}

/**
 * GET that follows redirects (Zenodo sends its files from another address) and resolves with the final
 * response, whatever its status; the headers, such as Range, go to every hop.
 */
export async function httpGet(url: URL, options: HttpGetOptions): Promise<HttpResponse> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const { response, cutReason } = await getOnce(current, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0)) return { response, url: current, cutReason };
    response.resume();
    if (!location) throw new RedirectError(`${current.href} answered HTTP ${response.statusCode} without saying where to go`);
    current = new URL(location, current);
  }
  throw new RedirectError(`${url.href} redirected more than ${MAX_REDIRECTS} times`);
}

function getOnce(url: URL, { headers, signal, idleTimeoutMs }: HttpGetOptions): Promise<Omit<HttpResponse, 'url'>> {
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (!client) return Promise.reject(new Error(`${url.href}: only http and https addresses can be downloaded`));
  let cut: Error | undefined;
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers, signal }, (response) => resolve({ response, cutReason: () => cut }));
    request.on('error', reject);
    // The timeout watches the socket for the whole exchange, so it also catches a body that stops midway.
    request.setTimeout(idleTimeoutMs, () => {
      cut = new StalledError(idleTimeoutMs);
      request.destroy(cut);
    });
  });
}
