// `npm run schema:print`: rewrites schema.graphql at the repository root.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { printSchemaText } from './print.js';

const target = fileURLToPath(new URL('../../schema.graphql', import.meta.url));
await writeFile(target, printSchemaText());
console.log(`Wrote ${target}`);
