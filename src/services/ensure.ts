// Makes the configured PostgreSQL and Redis answer, for `npm start`, the API, the test
// suite's global setup and CI alike:
//   1. the URL answers: use it;
//   2. nothing listens and the URL points at this machine (not in production): with a Docker
//      engine, `docker compose up -d --wait`; else, with the server programs installed, a
//      private server under ./var on the configured port;
//   3. otherwise one message per service: what is missing and how to get it.
// It never starts anything for another host or in production, and records what it started
// (./var/services.json) so that `npm run services:stop` stops exactly that.
import { endpointOf, serviceName, type Endpoint, type ServiceKind } from './endpoint.js';
import { composeUp, COMPOSE_FILE, COMPOSE_SERVICE, dockerState } from './docker.js';
import { listeningButFailingMessage, missingMessage, productionMessage, remoteMessage, startFailedMessage } from './messages.js';
import { findPostgresPrograms, letPostgresReach, postgresPaths, postgresPid, startPostgres } from './postgres-server.js';
import { probe } from './probe.js';
import { findStarted, privateDirs, PROJECT_VAR_DIR, recordStarted, withServicesLock, type StartedService } from './record.js';
import { findRedisServer, redisPaths, redisPid, startRedis } from './redis-server.js';

export type EnsureOptions = {
  databaseUrl: string;
  redisUrl: string;
  nodeEnv: 'development' | 'production' | 'test';
  /** Where private servers keep their data and the record of what was started (default: the project's ./var). */
  varDir?: string;
  /** Try Docker before the installed server programs (default true). */
  useDocker?: boolean;
};

export type ServiceReport = {
  kind: ServiceKind;
  address: string;
  /** `answers`: it was running already; `started`: started by this call. */
  state: 'answers' | 'started';
  /** Set when the project started it (now or earlier): it runs until `npm run services:stop`. */
  startedBy?: StartedService;
  /** One line for the user: what runs where, and where its data lives. */
  message: string;
  /** Anything else the user should know (permissions changed to make it work). */
  notes: string[];
};

/** Thrown when a service does not answer and cannot (or must not) be started; one paragraph per service. */
export class ServicesUnavailableError extends Error {
  override name = 'ServicesUnavailableError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n\n'));
  }
}

function dataOf(entry: StartedService): string {
  if (entry.how === 'docker') return `in the Docker volume of compose service ${entry.service}`;
  return entry.kind === 'postgres' ? `in ${postgresPaths(entry.dir).dataDir}` : `in ${entry.dir}`;
}

/** Whether a private server from the record still runs (its pid file names a live server). */
export async function privateServerRuns(entry: Extract<StartedService, { how: 'private' }>): Promise<boolean> {
  return (entry.kind === 'postgres' ? await postgresPid(entry.dir) : await redisPid(entry.dir, entry.port)) !== null;
}

/** The report for a service that answers, saying so when it is one the project started earlier. */
async function answering(e: Endpoint, varDir: string): Promise<ServiceReport> {
  let entry = await findStarted(varDir, e.kind, e.port);
  if (entry?.how === 'private' && !(await privateServerRuns(entry))) entry = undefined; // stopped by hand; someone else's now
  const message = entry
    ? `${serviceName(e.kind)} at ${e.address}: the project's ${entry.how === 'docker' ? 'Docker container' : 'private server'}, data ${dataOf(entry)}.`
    : `${serviceName(e.kind)} at ${e.address} answers.`;
  return { kind: e.kind, address: e.address, state: 'answers', startedBy: entry, message, notes: [] };
}

async function startWithDocker(docker: string, endpoints: Endpoint[], varDir: string): Promise<ServiceReport[]> {
  await composeUp(docker, endpoints);
  return Promise.all(
    endpoints.map(async (e) => {
      const entry: StartedService = { kind: e.kind, how: 'docker', address: e.address, port: e.port, composeFile: COMPOSE_FILE, service: COMPOSE_SERVICE[e.kind], startedAt: new Date().toISOString() };
      await recordStarted(varDir, entry);
      const message = `${serviceName(e.kind)}: nothing answered at ${e.address}, so Kontrata started it with docker compose (service ${entry.service}); data ${dataOf(entry)}.`;
      return { kind: e.kind, address: e.address, state: 'started' as const, startedBy: entry, message, notes: [] };
    }),
  );
}

async function startPrivate(e: Endpoint, varDir: string): Promise<ServiceReport> {
  const dir = privateDirs(varDir)[e.kind];
  const notes: string[] = [];
  let message: string;
  if (e.kind === 'postgres') {
    notes.push(...(await letPostgresReach(varDir)));
    const pg = await startPostgres({ dir, port: e.port, host: e.host, superuser: e.user || 'postgres' });
    message =
      `PostgreSQL: nothing answered at ${e.address}, so Kontrata started a private server there (PostgreSQL ${pg.version}${pg.initialised ? ', new cluster' : ''}).\n` +
      `  data ${pg.dataDir}\n  log  ${pg.logFile}`;
  } else {
    const redis = await startRedis({ dir, port: e.port, host: e.host });
    message =
      `Redis: nothing answered at ${e.address}, so Kontrata started a private redis-server there (${redis.version}; append-only file, noeviction).\n` +
      `  data ${dir}\n  log  ${redisPaths(dir).logFile}`;
  }
  const entry: StartedService = { kind: e.kind, how: 'private', address: e.address, port: e.port, host: e.host, dir, startedAt: new Date().toISOString() };
  await recordStarted(varDir, entry);
  return { kind: e.kind, address: e.address, state: 'started', startedBy: entry, message, notes };
}

/** Starts the endpoints that nothing listens on (holding the lock); returns a report for each. */
async function startMissing(endpoints: Endpoint[], varDir: string, useDocker: boolean): Promise<ServiceReport[]> {
  // Another process may have started them while we waited for the lock.
  const probes = await Promise.all(endpoints.map(probe));
  const reports = await Promise.all(endpoints.filter((_, i) => probes[i]!.state === 'answers').map((e) => answering(e, varDir)));
  const missing = endpoints.filter((_, i) => probes[i]!.state !== 'answers');
  if (!missing.length) return reports;

  const docker = useDocker ? await dockerState() : ({ available: false, reason: 'Docker is not used here' } as const);
  // Docker publishes on 127.0.0.1; an IPv6-only URL (::1) goes to a private server.
  if (docker.available && missing.every((e) => e.host !== '::1')) {
    try {
      return [...reports, ...(await startWithDocker(docker.docker, missing, varDir))];
    } catch (err) {
      throw new ServicesUnavailableError(missing.map((e) => startFailedMessage(e, 'it with docker compose', (err as Error).message)));
    }
  }

  const reason = docker.available ? 'Docker publishes on 127.0.0.1 only' : docker.reason;
  const programs = await Promise.all(missing.map((e) => (e.kind === 'postgres' ? findPostgresPrograms() : findRedisServer())));
  const absent = missing.filter((_, i) => !programs[i]);
  // Start nothing unless everything can be started: a half-started set helps no one.
  if (absent.length) throw new ServicesUnavailableError(absent.map((e) => missingMessage(e, reason)));

  const results = await Promise.allSettled(missing.map((e) => startPrivate(e, varDir)));
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [startFailedMessage(missing[i]!, 'a private server', (r.reason as Error).message)] : []));
  if (failures.length) throw new ServicesUnavailableError(failures); // what did start is recorded: services:stop stops it
  return [...reports, ...results.map((r) => (r as PromiseFulfilledResult<ServiceReport>).value)];
}

/**
 * Makes DATABASE_URL's PostgreSQL and REDIS_URL's Redis answer, starting local ones if
 * needed and allowed; resolves with one report per service (PostgreSQL first), or throws
 * ServicesUnavailableError saying what is wrong and how to fix it.
 */
export async function ensureServices(opts: EnsureOptions): Promise<ServiceReport[]> {
  const varDir = opts.varDir ?? PROJECT_VAR_DIR;
  const endpoints = [endpointOf('postgres', opts.databaseUrl), endpointOf('redis', opts.redisUrl)];
  const probes = await Promise.all(endpoints.map(probe));
  const problems: string[] = [];
  const toStart: Endpoint[] = [];
  endpoints.forEach((e, i) => {
    const p = probes[i]!;
    if (p.state === 'answers') return;
    if (opts.nodeEnv === 'production') problems.push(productionMessage(e, p.error));
    else if (!e.isLocal) problems.push(remoteMessage(e, p.error));
    else if (p.state === 'fails') problems.push(listeningButFailingMessage(e, p.error));
    else toStart.push(e);
  });
  if (problems.length) throw new ServicesUnavailableError(problems);
  const started = toStart.length ? await withServicesLock(varDir, () => startMissing(toStart, varDir, opts.useDocker ?? true)) : [];
  return Promise.all(endpoints.map((e) => started.find((r) => r.kind === e.kind) ?? answering(e, varDir)));
}

/** The lines `npm start` and the test setup print about the services. */
export function describeServices(reports: ServiceReport[]): string[] {
  const lines = reports.flatMap((r) => [r.message, ...r.notes.map((n) => `  note: ${n}`)]);
  if (reports.some((r) => r.startedBy)) lines.push('The servers the project started keep running when Kontrata stops; `npm run services:stop` stops them.');
  return lines;
}
