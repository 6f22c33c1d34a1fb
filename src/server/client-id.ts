// Who is calling: the key of per-client limits (SUBMIT_RATE_LIMIT), never used for
// authorisation. Directly exposed, it is the socket's address. Behind a reverse proxy or
// load balancer (TRUST_PROXY=true) every request comes from the proxy, so the client is
// the first address of X-Forwarded-For, which the proxy must set (overwriting whatever
// the client sent: otherwise a client can pick its own id and escape the limit).
import type { IncomingMessage } from 'node:http';

/** The caller's id: the first X-Forwarded-For address when `trustProxy`, else the socket address. */
export function clientIdOf(req: IncomingMessage | undefined, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req?.headers['x-forwarded-for'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (first) return normalizeAddress(first);
  }
  const remote = req?.socket?.remoteAddress;
  return remote ? normalizeAddress(remote) : 'unknown';
}

/** IPv4 clients of a dual-stack socket appear as '::ffff:1.2.3.4': one client, one id. */
function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
