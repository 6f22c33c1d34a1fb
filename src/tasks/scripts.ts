// The Lua scripts that change task records. Every state change is one script, so that the
// record write, the in-flight claim, the result and the published event happen together
// (and in that order) or not at all. Sources live in ./lua; common.lua is prepended to each.
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

export const SCRIPT_NAMES = ['submit', 'start', 'progress', 'finish', 'lookup', 'monitor'] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];
export type ScriptRunner = (name: ScriptName, args: (string | number)[]) => Promise<unknown>;

let sources: Record<ScriptName, string> | undefined;

function loadSources(): Record<ScriptName, string> {
  if (sources) return sources;
  const read = (file: string) => readFileSync(new URL(`./lua/${file}.lua`, import.meta.url), 'utf8');
  const common = read('common');
  sources = Object.fromEntries(SCRIPT_NAMES.map((n) => [n, `${common}\n${read(n)}`])) as Record<ScriptName, string>;
  return sources;
}

/** Registers the scripts on an ioredis client (EVALSHA, falling back to EVAL) and returns a caller. */
export function scriptRunner(redis: Redis): ScriptRunner {
  const src = loadSources();
  for (const name of SCRIPT_NAMES) redis.defineCommand(`kontrata_${name}`, { numberOfKeys: 0, lua: src[name] });
  const commands = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<unknown>>;
  return (name, args) => {
    const command = commands[`kontrata_${name}`];
    if (!command) throw new Error(`Task script ${name} is not registered`);
    return command.apply(redis, args);
  };
}
