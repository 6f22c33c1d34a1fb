// What Kontrata tells the user about its services: why it will not start one, what is
// missing and the shortest way to get it, and what it started where.
import { LOCAL_HOSTS, serviceName, type Endpoint, type ServiceKind } from './endpoint.js';

const INSTALL: Record<ServiceKind, { programs: string; debian: string; macos: string }> = {
  postgres: { programs: "PostgreSQL's server programs (initdb, pg_ctl)", debian: 'sudo apt-get install postgresql', macos: 'brew install postgresql@16' },
  redis: { programs: 'redis-server', debian: 'sudo apt-get install redis-server', macos: 'brew install redis' },
};

function unreachable(e: Endpoint, error: string): string {
  return `${serviceName(e.kind)} is not reachable at ${e.address} (${e.variable}): ${error}`;
}

/** NODE_ENV=production: report, never start. */
export function productionMessage(e: Endpoint, error: string): string {
  return `${unreachable(e, error)}\n  NODE_ENV=production: Kontrata starts no services in production. Start ${serviceName(e.kind)}, or point ${e.variable} at a running server.`;
}

/** A URL that does not point at this machine: report, never start. */
export function remoteMessage(e: Endpoint, error: string): string {
  const where = e.host ? `${e.host} is not this machine` : 'the URL names no TCP host on this machine';
  return (
    `${unreachable(e, error)}\n  ${where}: Kontrata starts services only on ${[...LOCAL_HOSTS].join(', ')}. ` +
    `Start it there, or point ${e.variable} at a running server.`
  );
}

/** Something listens on the port but does not answer as the service should (password, another program). */
export function listeningButFailingMessage(e: Endpoint, error: string): string {
  return (
    `${serviceName(e.kind)} at ${e.address} (${e.variable}) does not answer as expected: ${error}\n` +
    `  Something listens on that port, so Kontrata starts no server there. Check ${e.variable} (user, password, port), or free the port.`
  );
}

/** Nothing listens, and neither Docker nor the server programs are there to start it. */
export function missingMessage(e: Endpoint, dockerReason: string): string {
  const i = INSTALL[e.kind];
  return (
    `${serviceName(e.kind)} is not running at ${e.address} (${e.variable}), and Kontrata has nothing to start it with: ` +
    `${dockerReason}, and ${i.programs} ${e.kind === 'postgres' ? 'are' : 'is'} not installed. Any one of these fixes it; then run the command again:\n` +
    `  Debian/Ubuntu:  ${i.debian}\n` +
    `  macOS:          ${i.macos}\n` +
    '  Docker:         install Docker and start its engine (`docker info` must answer); Kontrata then runs `docker compose up -d --wait`'
  );
}

/** A server that could be started but failed to come up. */
export function startFailedMessage(e: Endpoint, how: string, error: string): string {
  return `${serviceName(e.kind)} is not running at ${e.address} (${e.variable}), and starting ${how} failed:\n${error}`;
}
