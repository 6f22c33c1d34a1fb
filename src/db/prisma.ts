// Prisma client factory. Prisma 7 talks to PostgreSQL through the node-postgres driver
// adapter (no Rust query engine to download), so the pool settings are pg's.
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

const urls = new WeakMap<Db, string>();

/** Creates a Prisma client for `databaseUrl`; the caller owns it and must `$disconnect()`. */
export function createPrisma(databaseUrl: string, opts: { max?: number } = {}): Db {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: opts.max ?? 10 });
  const db = new PrismaClient({ adapter });
  urls.set(db, databaseUrl);
  return db;
}

/** The database URL `db` was created for (createPrisma), for work Prisma cannot do (a COPY); undefined for other clients. */
export function databaseUrlOf(db: Db): string | undefined {
  return urls.get(db);
}
