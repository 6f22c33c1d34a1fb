// The start-up check of Redis as a task store, against private redis-servers configured
// the ways operators run them: durable, without persistence, with RDB snapshots only,
// evicting, and with CONFIG renamed away as managed Redis services do.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRedisDurability, inspectRedisDurability } from '../../src/tasks/redis-durability.js';
import { ADMIN_URL } from '../helpers/db.js';
import { privateRedisServer, VOLATILE_REDIS_ARGS, type PrivateServer } from '../helpers/private-servers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EVICTING = ['--maxmemory', '100mb', '--maxmemory-policy', 'allkeys-lru'];
const NO_CONFIG = ['--rename-command', 'CONFIG', ''];

type RedisMode = 'durable' | 'volatile';
const servers: PrivateServer[] = [];
/** A private Redis: `durable` as docker-compose.yml runs it, `volatile` without persistence; `extra` directives on top. */
async function server(mode: RedisMode, extra: string[] = []): Promise<PrivateServer> {
  const s = await privateRedisServer({ extraArgs: [...(mode === 'volatile' ? VOLATILE_REDIS_ARGS : []), ...extra] });
  servers.push(s);
  return s;
}

async function inspect(url: string) {
  const redis = new Redis(url);
  try {
    return await inspectRedisDurability(redis);
  } finally {
    redis.disconnect();
  }
}

/** Runs the start-up check with a logger that keeps its lines. */
async function check(url: string, nodeEnv: string) {
  const lines: { level: number; msg: string; setting?: string; stack?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });
  const ok = await checkRedisDurability({ redisUrl: url, nodeEnv }, logger);
  return { ok, lines };
}

/** Spawns an entry point (worker or API) and resolves with its exit code and output; kills it after 30 s. */
function runEntry(entry: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'info', WORKER_METRICS_PORT: '0', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => child.once('exit', (code) => (clearTimeout(timer), resolve({ code, output }))));
}

describe('Redis durability check', () => {
  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.remove()));
  });

  describe('when Redis runs as docker-compose.yml runs it (AOF everysec, noeviction)', () => {
    it('finds nothing to warn about, and production starts', async () => {
      const s = await server('durable');
      expect(await inspect(s.url)).toMatchObject({ source: 'CONFIG', settings: { appendonly: 'yes', maxmemoryPolicy: 'noeviction' }, findings: [] });
      expect(await check(s.url, 'production')).toEqual({ ok: true, lines: [] });
    });
  });

  describe('when persistence is off', () => {
    it('logs one warning naming appendonly and what a restart loses, and still starts in production', async () => {
      const s = await server('volatile');
      const { ok, lines } = await check(s.url, 'production');
      expect(ok).toBe(true);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, setting: 'appendonly' });
      expect(lines[0]!.msg).toMatch(/persistence is off \(appendonly no \(save ""\)\): a Redis restart loses every queued task, every task record and every cached result/);
      expect(lines[0]!.stack).toBeUndefined();
    });

    it('says what RDB snapshots alone lose', async () => {
      const s = await server('volatile', ['--save', '3600 1']);
      const { findings } = await inspect(s.url);
      expect(findings.map((f) => f.setting)).toEqual(['appendonly']);
      expect(findings[0]!.message).toMatch(/no append-only file \(appendonly no \(save "3600 1"\)\).*since the last RDB snapshot/);
    });
  });

  describe('when Redis evicts keys', () => {
    it('warns outside production, naming maxmemory-policy and the corrupted queue', async () => {
      const s = await server('durable', EVICTING);
      const { ok, lines } = await check(s.url, 'development');
      expect(ok).toBe(true);
      expect(lines).toEqual([expect.objectContaining({ level: 40, setting: 'maxmemory-policy' })]);
      expect(lines[0]!.msg).toMatch(/maxmemory-policy is allkeys-lru \(maxmemory 104857600 bytes\).*bee-queue.*corrupts the queue/);
    });

    it('refuses to start in production', async () => {
      const s = await server('durable', EVICTING);
      const { ok, lines } = await check(s.url, 'production');
      expect(ok).toBe(false);
      expect(lines).toEqual([expect.objectContaining({ level: 60, setting: 'maxmemory-policy', msg: expect.stringMatching(/^Refusing to start \(NODE_ENV=production\)/) })]);
    });

    it('does not count a policy without a memory limit (maxmemory 0 never evicts)', async () => {
      const s = await server('durable', ['--maxmemory-policy', 'allkeys-lru']);
      expect((await inspect(s.url)).findings).toEqual([]);
    });

    it('stops a production worker and API process before they touch anything', async () => {
      const s = await server('durable', EVICTING);
      const env = { NODE_ENV: 'production', REDIS_URL: s.url, DATABASE_URL: ADMIN_URL.replace(/\/[^/]*$/, '/kontrata_never_created'), QUEUE_PREFIX: 'kontrata-test:durability' };
      const [worker, api] = await Promise.all([runEntry('worker/index.ts', env), runEntry('src/index.ts', env)]);
      for (const run of [worker, api]) {
        expect(run.code).toBe(1);
        expect(run.output).toMatch(/Refusing to start \(NODE_ENV=production\): Redis maxmemory-policy is allkeys-lru/);
      }
    });
  });

  describe('when CONFIG is forbidden (a managed Redis)', () => {
    it('reads INFO instead and still finds persistence off and an evicting policy', async () => {
      const s = await server('volatile', [...EVICTING, ...NO_CONFIG]);
      const report = await inspect(s.url);
      expect(report.source).toBe('INFO');
      expect(report.findings.map((f) => [f.setting, f.value])).toEqual([
        ['appendonly', 'no'],
        ['maxmemory-policy', 'allkeys-lru (maxmemory 104857600 bytes)'],
      ]);
      expect(report.findings[0]!.message).toMatch(/CONFIG is not allowed, so whether RDB snapshots are on is unknown/);
    });

    it('finds a durable one fine', async () => {
      const s = await server('durable', NO_CONFIG);
      expect(await inspect(s.url)).toMatchObject({ source: 'INFO', findings: [] });
      expect((await check(s.url, 'production')).ok).toBe(true);
    });
  });
});
