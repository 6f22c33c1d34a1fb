// The task scripts' key discipline (src/tasks/scripts.ts, lua/*.lua): every key a script
// touches reaches it in KEYS under a name declared once in SCRIPTS, and no script builds a
// key from the deployment prefix.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCRIPTS, type ScriptName } from '../../src/tasks/scripts.js';

const read = (file: string) => readFileSync(new URL(`../../src/tasks/lua/${file}.lua`, import.meta.url), 'utf8');
/** The code of a Lua source without its comments. */
const code = (lua: string) => lua.replace(/--.*$/gm, '');
const names = (lua: string, table: 'K' | 'A') => new Set([...code(lua).matchAll(new RegExp(`\\b${table}\\.(\\w+)`, 'g'))].map((m) => m[1]!));
const common = read('common');

describe('task scripts', () => {
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    describe(`when reading ${name}.lua`, () => {
      const own = read(name);
      const spec = SCRIPTS[name];

      it('uses only the KEYS and ARGV names it declares, and every one it declares', () => {
        const uses = (table: 'K' | 'A') => [...names(own, table)].sort();
        expect(uses('K').filter((k) => !(spec.keys as readonly string[]).includes(k))).toEqual([]);
        expect(uses('A').filter((a) => !(spec.args as readonly string[]).includes(a))).toEqual([]);
        // The helpers of common.lua a script calls may read K.stats and A.channels for it.
        const used = new Set([...names(own, 'K'), ...names(own, 'A'), ...(/commit_transition|end_task|publish_event|count_transition/.test(code(own)) ? ['stats', 'channels'] : [])]);
        expect([...spec.keys, ...spec.args].filter((n) => !used.has(n))).toEqual([]);
      });

      it('never names a key itself: no KEYS[n] or ARGV[n], no key built from a prefix and a literal', () => {
        const src = code(own);
        expect(src).not.toMatch(/\b(KEYS|ARGV)\[/);
        expect(src).not.toMatch(/prefix/i);
        // Appending an id is allowed only to a key family declared in KEYS (…Family).
        for (const m of src.matchAll(/(K\.\w+)\s*\.\./g)) expect(m[1]).toMatch(/Family$/);
        expect(src).not.toMatch(/'[^']*:'\s*\.\./);
      });
    });
  }

  describe('when reading common.lua', () => {
    it('reads no key but K.stats, and no argument but A.channels', () => {
      expect([...names(common, 'K')]).toEqual(['stats']);
      expect([...names(common, 'A')]).toEqual(['channels']);
      expect(code(common)).not.toMatch(/\b(KEYS|ARGV)\[|prefix/i);
    });
  });
});
