// Redis is Kontrata's task store, not a cache: the queue, every task record and every
// result live only there. Checked once when an API or worker process starts, because the
// defaults of many Redis installations lose all of it:
// - no persistence (appendonly no, save ""): a restart empties the store, so every queued
//   task, every record and every result is gone;
// - an evicting maxmemory-policy: under memory pressure Redis deletes keys, bee-queue's
//   own among them (allkeys-*), which corrupts the queue, and task records and results.
// CONFIG GET is used where allowed; managed Redis services often forbid it (renamed or
// ACL-denied), and then INFO persistence / INFO memory tell most of the same.
import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export type DurabilityFinding = {
  /** The Redis setting at fault, as redis.conf names it. */
  setting: 'appendonly' | 'maxmemory-policy';
  /** Its value, as read (e.g. `no (save "")`, `allkeys-lru (maxmemory 104857600)`). */
  value: string;
  /** One sentence for the operator: the setting, its consequence, the fix. */
  message: string;
  /** Evicting policies: a production process refuses to start. */
  refuseInProduction: boolean;
};

export type DurabilityReport = {
  /** Where the settings were read: CONFIG GET, INFO (CONFIG forbidden), or nowhere (both forbidden). */
  source: 'CONFIG' | 'INFO' | 'NONE';
  settings: { appendonly?: string; save?: string; maxmemoryPolicy?: string; maxmemory?: number };
  findings: DurabilityFinding[];
};

const FIX_PERSISTENCE = 'Run Redis with --appendonly yes --appendfsync everysec (README, "Running in production").';
const FIX_EVICTION = 'Set maxmemory-policy noeviction and size maxmemory for the results (README, "Running in production").';

/** Reads Redis's persistence and eviction settings and says what each costs the task store. */
export async function inspectRedisDurability(redis: Redis): Promise<DurabilityReport> {
  const settings = (await readConfig(redis)) ?? (await readInfo(redis));
  if (!settings) return { source: 'NONE', settings: {}, findings: [] };
  const { source, ...s } = settings;
  const findings: DurabilityFinding[] = [];

  if (s.appendonly === 'no') {
    const noSnapshots = s.save === '';
    const value = s.save === undefined ? 'no' : `no (save "${s.save}")`;
    findings.push({
      setting: 'appendonly',
      value,
      refuseInProduction: false,
      message: noSnapshots
        ? `Redis persistence is off (appendonly ${value}): a Redis restart loses every queued task, every task record and every cached result; ` +
          `clients are told their tasks were lost and must submit again. ${FIX_PERSISTENCE}`
        : s.save === undefined
          ? `Redis has no append-only file (appendonly no; CONFIG is not allowed, so whether RDB snapshots are on is unknown): a Redis restart ` +
            `loses the queued tasks, task records and results written since the last snapshot, or all of them without snapshots. ${FIX_PERSISTENCE}`
          : `Redis has no append-only file (appendonly ${value}): a Redis restart loses the queued tasks, task records and results written ` +
            `since the last RDB snapshot. ${FIX_PERSISTENCE}`,
    });
  }

  // maxmemory 0 means no limit: the policy never applies.
  if (s.maxmemoryPolicy && s.maxmemoryPolicy !== 'noeviction' && s.maxmemory !== 0) {
    const limit = s.maxmemory === undefined ? '' : ` (maxmemory ${s.maxmemory} bytes)`;
    const queueToo = s.maxmemoryPolicy.startsWith('allkeys-');
    findings.push({
      setting: 'maxmemory-policy',
      value: `${s.maxmemoryPolicy}${limit}`,
      refuseInProduction: true,
      message:
        `Redis maxmemory-policy is ${s.maxmemoryPolicy}${limit}: when memory runs short Redis deletes keys` +
        (queueToo ? ', the task queue\'s own (bee-queue) keys included, which corrupts the queue,' : ' that have a TTL,') +
        ` and task records and results disappear (their clients are told the task was lost). ${FIX_EVICTION}`,
    });
  }
  return { source, settings: s, findings };
}

type Settings = DurabilityReport['settings'] & { source: 'CONFIG' | 'INFO' };

/** CONFIG GET of the three settings; null when CONFIG is forbidden (renamed away, ACL). */
async function readConfig(redis: Redis): Promise<Settings | null> {
  try {
    const get = async (name: string) => {
      const pair = (await redis.config('GET', name)) as string[];
      return pair[1];
    };
    const [appendonly, save, maxmemoryPolicy, maxmemory] = await Promise.all([get('appendonly'), get('save'), get('maxmemory-policy'), get('maxmemory')]);
    return { source: 'CONFIG', appendonly, save, maxmemoryPolicy, maxmemory: maxmemory === undefined ? undefined : Number(maxmemory) };
  } catch (err) {
    if (isForbidden(err)) return null;
    throw err;
  }
}

/** INFO persistence and INFO memory; null when INFO is forbidden too. */
async function readInfo(redis: Redis): Promise<Settings | null> {
  try {
    const info = parseInfo(`${await redis.info('persistence')}\n${await redis.info('memory')}`);
    const aof = info.aof_enabled;
    return {
      source: 'INFO',
      ...(aof === undefined ? {} : { appendonly: aof === '1' ? 'yes' : 'no' }),
      ...(info.maxmemory_policy === undefined ? {} : { maxmemoryPolicy: info.maxmemory_policy }),
      ...(info.maxmemory === undefined ? {} : { maxmemory: Number(info.maxmemory) }),
    };
  } catch (err) {
    if (isForbidden(err)) return null;
    throw err;
  }
}

function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

// "ERR unknown command 'CONFIG'" (rename-command), "NOPERM ..." (ACL), and the wordings of managed services.
function isForbidden(err: unknown): boolean {
  return /unknown command|NOPERM|no permissions|not allowed|disabled|unsupported/i.test(String((err as Error)?.message ?? err));
}

/**
 * The start-up check of API and worker processes: logs one warning per setting that can lose
 * tasks, and answers false (the caller refuses to start) when NODE_ENV=production and Redis
 * evicts keys. A check that cannot run (Redis unreachable, both CONFIG and INFO forbidden)
 * is logged and does not stop the start.
 */
export async function checkRedisDurability(config: { redisUrl: string; nodeEnv: string }, logger: Logger): Promise<boolean> {
  const redis = new Redis(config.redisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 1, retryStrategy: () => null });
  redis.on('error', () => {}); // the command's rejection says it
  try {
    await redis.connect();
    const report = await inspectRedisDurability(redis);
    if (report.source === 'NONE') {
      logger.warn('Could not check Redis persistence and eviction settings (CONFIG and INFO are not allowed); make sure Redis persists data (AOF) and never evicts keys (maxmemory-policy noeviction).');
    }
    let refuse = false;
    for (const f of report.findings) {
      const fatal = f.refuseInProduction && config.nodeEnv === 'production';
      refuse ||= fatal;
      const fields = { setting: f.setting, value: f.value, source: report.source };
      if (fatal) logger.fatal(fields, `Refusing to start (NODE_ENV=production): ${f.message}`);
      else logger.warn(fields, f.message);
    }
    return !refuse;
  } catch (err) {
    logger.warn({ err: { message: (err as Error).message } }, 'Could not check Redis persistence and eviction settings');
    return true;
  } finally {
    redis.disconnect();
  }
}
