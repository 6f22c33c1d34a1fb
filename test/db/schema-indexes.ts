// The indexes prisma/schema.prisma declares, as PostgreSQL prints them (pg_indexes.indexdef),
// for test/db/schema-indexes.test.ts. Reads @id, @unique, @@id, @@unique and @@index (with
// map, type, sort, ops: raw(...), where: raw(...)) and Prisma's default names for them, plus
// the `// sql:` comment above an @@index that states what Prisma cannot (NULLS LAST, INCLUDE).
import { readFileSync } from 'node:fs';

export const SCHEMA_PATH = new URL('../../prisma/schema.prisma', import.meta.url);

/** Index name -> its definition as pg_indexes prints it for the `public` schema. */
export type IndexDefs = Map<string, string>;

type Model = { table: string; columns: Map<string, string>; lines: { text: string; comment: string | null }[] };

/** Strips what a `// sql:` comment may add to Prisma's rendering: NULLS FIRST/LAST and INCLUDE (...). */
export function withoutInexpressible(sql: string): string {
  return sql.replace(/ NULLS (FIRST|LAST)/g, '').replace(/ INCLUDE \([^)]*\)/g, '');
}

/** The indexes declared by a Prisma schema, keyed by name; throws when a `// sql:` comment disagrees with its @@index. */
export function schemaIndexes(schema = readFileSync(SCHEMA_PATH, 'utf8')): IndexDefs {
  const out: IndexDefs = new Map();
  for (const model of models(schema)) {
    const col = (field: string) => {
      const c = model.columns.get(field);
      if (!c) throw new Error(`${model.table}: no field ${field}`);
      return c;
    };
    const add = (name: string, def: string) => {
      if (out.has(name)) throw new Error(`index ${name} declared twice`);
      out.set(name, def);
    };
    const head = (unique: boolean, name: string, method = 'btree') =>
      `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ${name} ON public.${model.table} USING ${method} `;

    for (const { text, comment } of model.lines) {
      const field = /^(\w+)\s+\S+/.exec(text);
      if (field && !text.startsWith('@@')) {
        if (!model.columns.has(field[1]!)) continue; // a relation, not a column
        const column = col(field[1]!);
        if (/@id\b/.test(text)) add(`${model.table}_pkey`, `${head(true, `${model.table}_pkey`)}(${column})`);
        const unique = /@unique(?:\(\s*map:\s*"([^"]+)"\s*\))?/.exec(text);
        if (unique) {
          const name = unique[1] ?? `${model.table}_${column}_key`;
          add(name, `${head(true, name)}(${column})`);
        }
        continue;
      }
      const block = /^@@(id|unique|index)\(\[(.*?)\](.*)\)$/.exec(text);
      if (!block) continue;
      const [, kind, list, rest] = block as unknown as [string, 'id' | 'unique' | 'index', string, string];
      const keys = splitTopLevel(list).map((spec) => {
        const m = /^(\w+)(?:\((.*)\))?$/.exec(spec.trim());
        if (!m) throw new Error(`${model.table}: cannot read index field ${spec}`);
        const args = m[2] ?? '';
        const ops = /ops:\s*raw\("([^"]+)"\)/.exec(args)?.[1];
        const desc = /sort:\s*Desc/.test(args);
        return { column: col(m[1]!), sql: `${col(m[1]!)}${ops ? ` ${ops}` : ''}${desc ? ' DESC' : ''}` };
      });
      const map = /map:\s*"([^"]+)"/.exec(rest)?.[1];
      const method = (/type:\s*(\w+)/.exec(rest)?.[1] ?? 'BTree').toLowerCase();
      const where = /where:\s*raw\("([^"]+)"\)/.exec(rest)?.[1];
      const suffix = kind === 'id' ? 'pkey' : kind === 'unique' ? 'key' : 'idx';
      const name = kind === 'id' ? `${model.table}_pkey` : (map ?? `${model.table}_${keys.map((k) => k.column).join('_')}_${suffix}`);
      const prisma = `(${keys.map((k) => k.sql).join(', ')})${where ? ` WHERE (${where})` : ''}`;
      if (comment !== null && withoutInexpressible(comment) !== prisma) {
        throw new Error(`${name}: "// sql: ${comment}" does not match its @@index, which says ${prisma}`);
      }
      add(name, `${head(kind !== 'index', name, method)}${comment ?? prisma}`);
    }
  }
  return out;
}

/** The differences between the schema's indexes and a database's, one readable line each; empty when they agree. */
export function indexDifferences(schema: IndexDefs, database: IndexDefs): string[] {
  const out: string[] = [];
  for (const [name, def] of database) {
    const declared = schema.get(name);
    if (declared === undefined) out.push(`${name} is in the database but not in schema.prisma: ${def}`);
    else if (declared !== def) out.push(`${name} differs:\n  schema.prisma: ${declared}\n  database:      ${def}`);
  }
  for (const name of schema.keys()) if (!database.has(name)) out.push(`${name} is in schema.prisma but not in the database`);
  return out;
}

function models(schema: string): Model[] {
  const out: Model[] = [];
  let current: Model | null = null;
  let comment: string | null = null;
  for (const raw of schema.split('\n')) {
    const line = raw.trim();
    const start = /^model (\w+) \{$/.exec(line);
    if (start) {
      current = { table: start[1]!, columns: new Map(), lines: [] };
      continue;
    }
    if (!current) continue;
    if (line === '}') {
      out.push(current);
      current = null;
      continue;
    }
    const sql = /^\/\/ sql: (.*)$/.exec(line);
    if (sql) {
      comment = sql[1]!;
      continue;
    }
    if (line === '' || line.startsWith('//')) continue;
    const table = /^@@map\("([^"]+)"\)$/.exec(line);
    if (table) current.table = table[1]!;
    const field = /^(\w+)\s+(\w+)(\[\])?\??/.exec(line);
    if (field && !line.startsWith('@@')) {
      const isRelation = /@relation\b/.test(line) || field[3] === '[]';
      if (!isRelation) current.columns.set(field[1]!, /@map\("([^"]+)"\)/.exec(line)?.[1] ?? field[1]!);
    }
    current.lines.push({ text: line, comment });
    comment = null;
  }
  return out;
}

/** Splits `a, b(x: 1, y: 2), c` at the commas outside parentheses. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let part = '';
  for (const ch of list) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(part);
      part = '';
    } else part += ch;
  }
  if (part.trim()) parts.push(part);
  return parts;
}
