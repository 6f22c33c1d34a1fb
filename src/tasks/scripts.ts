// The Lua scripts that change task records. Every state change is one script, so that the
// record write, the in-flight claim, the result and the published event happen together
// (and in that order) or not at all. Sources live in ./lua.
//
// Each script's KEYS and ARGV are named here, in the order Redis receives them. The loader
// prepends two generated lines that bind those names, `K.<key>` and `A.<arg>`, then
// common.lua, then the script: the Lua code reads every key from K (see keys.ts, "Keys in
// the Lua scripts"), and a caller that forgets a key or an argument does not compile.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export const SCRIPTS = {
  submit: {
    keys: ['stats', 'epoch', 'result', 'inflight', 'last', 'newTask', 'saving', 'rateLimit', 'beeJobs', 'beeWaiting', 'beeDelayed', 'taskFamily', 'dataVersion'],
    args: ['channels', 'cacheKey', 'newId', 'kind', 'now', 'nowMs', 'activeTtl', 'maxDepth', 'orphanMs', 'resultTtl', 'rateLimit', 'rateWindowMs', 'checkVersion', 'dataVersion'],
  },
  start: {
    keys: ['task', 'stats', 'inflightFamily', 'lastFamily'],
    args: ['channels', 'now', 'activeTtl', 'maxStalls', 'resultTtl'],
  },
  progress: {
    keys: ['task', 'stats'],
    args: ['channels', 'attempt', 'progress', 'status', 'activeTtl'],
  },
  finish: {
    keys: ['task', 'stats', 'cacheIndex', 'resultFamily', 'inflightFamily', 'lastFamily'],
    args: ['channels', 'attempt', 'outcome', 'now', 'status', 'error', 'resultTtl', 'activeTtl', 'resultJson'],
  },
  lookup: {
    keys: ['result', 'inflight', 'last', 'taskFamily'],
    args: [],
  },
  monitor: {
    keys: ['cacheIndex', 'stats', 'saving', 'workers', 'beeWaiting', 'beeDelayed', 'taskFamily', 'workerFamily'],
    args: [],
  },
} as const satisfies Record<string, { keys: readonly string[]; args: readonly string[] }>;

export type ScriptName = keyof typeof SCRIPTS;
export type ScriptKeys<N extends ScriptName> = Record<(typeof SCRIPTS)[N]['keys'][number], string>;
export type ScriptArgs<N extends ScriptName> = Record<(typeof SCRIPTS)[N]['args'][number], string | number>;
export type ScriptRunner = <N extends ScriptName>(name: N, keys: ScriptKeys<N>, args: ScriptArgs<N>) => Promise<unknown>;

const NAMES = Object.keys(SCRIPTS) as ScriptName[];
let sources: Record<ScriptName, string> | undefined;

/** `local K = { stats = KEYS[1], ... }`: binds names to positions, in the order scriptRunner sends them. */
function bindings(table: string, array: string, names: readonly string[]): string {
  return `local ${table} = { ${names.map((n, i) => `${n} = ${array}[${i + 1}]`).join(', ')} }`;
}

function loadSources(): Record<ScriptName, string> {
  if (sources) return sources;
  const read = (file: string) => readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');
  const common = read('common');
  sources = Object.fromEntries(
    NAMES.map((n) => [n, [bindings('K', 'KEYS', SCRIPTS[n].keys), bindings('A', 'ARGV', SCRIPTS[n].args), common, read(n)].join('\n')]),
  ) as Record<ScriptName, string>;
  return sources;
}

/** Registers the scripts on an ioredis client (EVALSHA, falling back to EVAL) and returns a caller. */
export function scriptRunner(redis: Redis): ScriptRunner {
  const src = loadSources();
  for (const name of NAMES) redis.defineCommand(`kontrata_${name}`, { numberOfKeys: SCRIPTS[name].keys.length, lua: src[name] });
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  return (name, keys, args) => {
    const command = commands[`kontrata_${name}`];
    if (!command) throw new Error(`Task script ${name} is not registered`);
    const spec = SCRIPTS[name];
    const k = keys as Record<string, string>;
    const a = args as Record<string, string | number>;
    return command.apply(redis, [...spec.keys.map((n) => k[n]!), ...spec.args.map((n) => a[n]!)]);
  };
}
