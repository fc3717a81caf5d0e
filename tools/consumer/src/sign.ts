// WP3-v2.1 request signing as an openapi-fetch middleware. A generator's
// static API key cannot do this: the digest covers each request's path,
// query, body and time.
import { createHash } from 'node:crypto';
import type { Middleware } from 'openapi-fetch';

export interface Credentials {
  merchantKey: string;
  authenticityToken: string;
  /** Unix seconds; injected so that a test could pin it. */
  now?: () => number;
}

export function digest(merchantKey: string, timestamp: string, token: string, fullpath: string, body: string): string {
  return createHash('sha512').update(merchantKey + timestamp + token + fullpath + body, 'utf8').digest('hex');
}

export function wp3(creds: Credentials): Middleware {
  return {
    async onRequest({ request }) {
      const url = new URL(request.url);
      const fullpath = url.pathname + url.search; // exactly the target sent
      const body = request.body === null ? '' : await request.clone().text(); // exactly the bytes sent
      const timestamp = String(creds.now?.() ?? Math.floor(Date.now() / 1000));
      const d = digest(creds.merchantKey, timestamp, creds.authenticityToken, fullpath, body);
      request.headers.set('Authorization', `WP3-v2.1 ${creds.authenticityToken} ${timestamp} ${d}`);
      return request;
    },
  };
}
