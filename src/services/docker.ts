// The Docker path: when a Docker engine answers (not merely a `docker` client on PATH),
// the project's docker-compose.yml runs PostgreSQL and Redis, published on the configured
// ports (KONTRATA_POSTGRES_PORT, KONTRATA_REDIS_PORT, KONTRATA_POSTGRES_USER in the file).
import { fileURLToPath } from 'node:url';
import type { Endpoint, ServiceKind } from './endpoint.js';
import { CommandError, findExecutable, run } from './run.js';

/** The project's compose file. */
export const COMPOSE_FILE = fileURLToPath(new URL('../../docker-compose.yml', import.meta.url));

/** The compose service of each kind. */
export const COMPOSE_SERVICE: Record<ServiceKind, string> = { postgres: 'postgres', redis: 'redis' };

export type DockerState = { available: true; docker: string } | { available: false; reason: string };

/** Whether a Docker engine answers and `docker compose` exists; the reason when not. */
export async function dockerState(): Promise<DockerState> {
  const docker = await findExecutable('docker');
  if (!docker) return { available: false, reason: 'Docker is not installed' };
  const info = await run(docker, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 15_000 });
  if (info.code !== 0) return { available: false, reason: 'the docker client is installed but no Docker engine answers (`docker info` fails)' };
  const compose = await run(docker, ['compose', 'version'], { timeoutMs: 15_000 });
  if (compose.code !== 0) return { available: false, reason: 'Docker runs but the compose plugin is missing (`docker compose version` fails)' };
  return { available: true, docker };
}

function composeEnv(endpoints: Endpoint[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const e of endpoints) {
    if (e.kind === 'postgres') {
      env.KONTRATA_POSTGRES_PORT = String(e.port);
      if (e.user) env.KONTRATA_POSTGRES_USER = e.user;
    } else {
      env.KONTRATA_REDIS_PORT = String(e.port);
    }
  }
  return env;
}

/** `docker compose up -d --wait` for the given services, published on their configured ports. */
export async function composeUp(docker: string, endpoints: Endpoint[]): Promise<void> {
  const services = endpoints.map((e) => COMPOSE_SERVICE[e.kind]);
  // Pulling an image on first use can take minutes.
  const { code, output } = await run(docker, ['compose', '-f', COMPOSE_FILE, 'up', '-d', '--wait', ...services], { env: composeEnv(endpoints), timeoutMs: 600_000 });
  if (code !== 0) throw new CommandError(`docker compose up -d --wait ${services.join(' ')} failed:\n${output.trim()}`);
}

/** `docker compose stop` for the given services of a compose file (containers and volumes are kept). */
export async function composeStop(composeFile: string, services: string[]): Promise<void> {
  const docker = await findExecutable('docker');
  if (!docker) throw new CommandError('docker is not installed: cannot stop the compose services.');
  const { code, output } = await run(docker, ['compose', '-f', composeFile, 'stop', ...services], { timeoutMs: 120_000 });
  if (code !== 0) throw new CommandError(`docker compose stop ${services.join(' ')} failed:\n${output.trim()}`);
}
