// Where a configured service lives, read off its URL: host, port, whether that is this
// machine (the only case where Kontrata may start anything), and how to name it in messages
// (never with the password).

export type ServiceKind = 'postgres' | 'redis';

export type Endpoint = {
  kind: ServiceKind;
  /** The variable the URL came from, for messages. */
  variable: 'DATABASE_URL' | 'REDIS_URL';
  url: string;
  /** Host as written in the URL, brackets removed ('::1', not '[::1]'); '' for a Unix socket URL. */
  host: string;
  port: number;
  /** 127.0.0.1, localhost or ::1: a service Kontrata may start here. */
  isLocal: boolean;
  /** The user in the URL (PostgreSQL's superuser of a private cluster); '' when none. */
  user: string;
  /** host:port, for messages. */
  address: string;
};

/** Host names that mean this machine. Anything else (another name, a LAN address) is remote. */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);

const SPEC = {
  postgres: { variable: 'DATABASE_URL', defaultPort: 5432, protocols: ['postgres:', 'postgresql:'] },
  // rediss:// (TLS) is never local in practice: a private server would not speak TLS.
  redis: { variable: 'REDIS_URL', defaultPort: 6379, protocols: ['redis:'] },
} as const;

/** Parses a DATABASE_URL or REDIS_URL; throws on a URL that is not one. */
export function endpointOf(kind: ServiceKind, url: string): Endpoint {
  const spec = SPEC[kind];
  const u = new URL(url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = u.port ? Number(u.port) : spec.defaultPort;
  const protocolOk = (spec.protocols as readonly string[]).includes(u.protocol);
  return {
    kind,
    variable: spec.variable,
    url,
    host,
    port,
    isLocal: protocolOk && LOCAL_HOSTS.has(host.toLowerCase()),
    user: decodeURIComponent(u.username),
    address: host.includes(':') ? `[${host}]:${port}` : `${host || '(socket)'}:${port}`,
  };
}

/** The product's name for a service kind, for messages. */
export function serviceName(kind: ServiceKind): string {
  return kind === 'postgres' ? 'PostgreSQL' : 'Redis';
}
