// Copies what the compiled code reads from disk next to it in dist/: the Redis Lua scripts,
// the reference data of the generator, and the SQL migrations (src/db/migrate.ts finds them at
// ../../prisma/migrations from its own file). Plain JavaScript: it runs after tsc, without tsx.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = path.join(root, 'dist');
const ASSET = /\.(lua|csv\.gz)$/;

/** Every file under `dir` (relative to root) whose name matches ASSET. */
function assets(dir) {
  const out = [];
  for (const name of readdirSync(path.join(root, dir))) {
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...assets(rel));
    else if (ASSET.test(name)) out.push(rel);
  }
  return out;
}

const files = assets('src');
for (const rel of files) cpSync(path.join(root, rel), path.join(dist, rel));
cpSync(path.join(root, 'prisma', 'migrations'), path.join(dist, 'prisma', 'migrations'), { recursive: true });
console.log(`copied ${files.length} assets and prisma/migrations into dist/`);
