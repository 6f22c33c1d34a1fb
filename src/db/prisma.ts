// Prisma client factory. Prisma 7 talks to PostgreSQL through the node-postgres driver
// adapter (no Rust query engine to download), so the pool settings are pg's.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

/** Creates a Prisma client for `databaseUrl`; the caller owns it and must `$disconnect()`. */
export function createPrisma(databaseUrl: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 });
  return new PrismaClient({ adapter });
}
