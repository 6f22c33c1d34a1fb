// `npm run db:seed -- --contracts N [--seed S]`: applies migrations, then replaces the
// generated contracts in DATABASE_URL with N synthetic ones (imported contracts stay).
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrate } from '../db/migrate.js';
import { describeDatabaseUrl } from '../db/pg.js';
import { ValidationError } from '../errors.js';
import { connectDataVersionNotifier } from '../tasks/data-version.js';
import { generateContracts, validateGenerateOptions } from './generate.js';
import { createProgressDisplay } from './progress.js';

const USAGE = `Usage: npm run db:seed -- --contracts N [--seed S]

Replaces the generated contracts in DATABASE_URL with N synthetic ones drawn from the real
PhilGEPS names and totals (imported contracts are kept). The same N and S give the same data.

  --contracts N   how many contracts to generate, e.g. 100000 (0 removes the generated ones)
  --seed S        random seed, a non-negative integer (default 1)
`;

/** Parses a whole number written with optional _ or , separators ("1_000_000"). */
function wholeNumber(flag: string, value: string): number {
  const digits = value.replace(/[_,]/g, '');
  if (!/^\d+$/.test(digits)) throw new ValidationError(flag, `must be a whole number, got "${value}"`);
  return Number(digits);
}

/** Reads and validates the command line; throws ValidationError with the offending flag. */
function parseCommandLine(argv: string[]): { contracts: number; seed: number } | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { contracts: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new ValidationError('arguments', (err as Error).message);
  }
  if (values.help) return 'help';
  if (values.contracts === undefined) throw new ValidationError('--contracts', 'is required');
  const opts = { contracts: wholeNumber('--contracts', values.contracts), seed: values.seed === undefined ? 1 : wholeNumber('--seed', values.seed) };
  try {
    validateGenerateOptions(opts);
  } catch (err) {
    if (err instanceof ValidationError) throw new ValidationError(`--${err.field}`, err.message.replace(/^[^:]*: /, ''));
    throw err;
  }
  return opts;
}

let args: ReturnType<typeof parseCommandLine>;
try {
  args = parseCommandLine(process.argv.slice(2));
} catch (err) {
  console.error(`${(err as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args === 'help') {
  console.log(USAGE);
  process.exit(0);
}

try {
  const config = loadConfig();
  await migrate(config.migrationDatabaseUrl);
  console.log(`Generating ${args.contracts.toLocaleString('en-US')} contracts (seed ${args.seed}) into ${describeDatabaseUrl(config.migrationDatabaseUrl)}`);
  const display = createProgressDisplay();
  // The API's copy of the data version (Redis) is told, so no cached answer outlives the old data.
  const dataVersion = connectDataVersionNotifier(config.redisUrl, config.queuePrefix);
  try {
    const result = await generateContracts(config.migrationDatabaseUrl, {
      contracts: args.contracts,
      seed: args.seed,
      onProgress: (p) => display.update(p.done, p.total, p.message),
      dataVersion,
    });
    display.stop();
    console.log(`Loaded ${result.contracts.toLocaleString('en-US')} generated contracts in ${(result.ms / 1000).toFixed(1)} s`);
  } finally {
    display.stop();
    await dataVersion.close();
  }
} catch (err) {
  console.error(`Seeding failed: ${(err as Error).message}`);
  process.exitCode = 1;
}
