// Who is calling: the key of per-client limits (operation rate, submissions, open
// connections), never used for authorisation.
//
// Directly exposed (TRUST_PROXY=0), the client is the socket's address. Behind N proxies
// (TRUST_PROXY=N), the socket address and the N-1 rightmost X-Forwarded-For entries are the
// proxies' own; the entry before them is what the outermost trusted proxy saw, i.e. the
// client. Entries further left were written by the client and are never believed. This is
// Express's numeric `trust proxy` (proxy-addr with a hop-count trust function).
//
// One client, one id: an IPv6 client controls a whole /64 (its addresses are free to it),
// so IPv6 addresses are grouped by /64; IPv4-mapped IPv6 addresses are the IPv4 client.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/** The caller's id: its IPv4 address or IPv6 /64 (`2001:db8:1:2::/64`), found as described above. */
export function clientIdOf(req: IncomingMessage | undefined, trustedHops: number): string {
  const socketAddress = req?.socket?.remoteAddress;
  if (!req || !socketAddress) return 'unknown';
  let address = socketAddress;
  if (trustedHops > 0) {
    // proxy-addr reads req.connection; a bare socket-shaped request (tests, graphql-ws upgrade) has it too.
    const candidate = proxyaddr(req, (_addr, i) => i < trustedHops);
    // A malformed entry (a misconfigured proxy) must not become a client-chosen key: fall back to the proxy.
    if (isIP(candidate)) address = candidate;
  }
  return groupAddress(address);
}

/** IPv4 as is; IPv4-mapped IPv6 as IPv4; other IPv6 as its /64 network. Non-IP text is returned unchanged. */
export function groupAddress(address: string): string {
  if (!isIP(address)) return address;
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const v6 = parsed as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const net = v6.parts.slice(0, 4).map((p) => p.toString(16)).join(':');
  return `${net}::/64`;
}
