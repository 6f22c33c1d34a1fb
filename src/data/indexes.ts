// Bulk loads are far faster into a table without secondary indexes, followed by one
// CREATE INDEX per index (a sorted build instead of a million random inserts; for the
// pg_trgm GIN indexes the difference is an order of magnitude). The definitions are read
// from the catalog, so indexes added by later migrations are handled too, and everything
// happens inside the caller's transaction: if the load fails, the DROPs roll back.
import type pg from 'pg';

type Queryable = pg.PoolClient | pg.Client;

export type SavedIndex = { name: string; definition: string };

/** Lists the indexes of `table` not backing a constraint (the primary key stays). */
export async function listDroppableIndexes(client: Queryable, table: string): Promise<SavedIndex[]> {
  const { rows } = await client.query<SavedIndex>(
    `SELECT quote_ident(ci.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
       JOIN pg_class ci ON ci.oid = i.indexrelid
      WHERE i.indrelid = $1::regclass
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY ci.relname`,
    [table],
  );
  return rows;
}

/** Drops the given indexes (inside the caller's transaction). */
export async function dropIndexes(client: Queryable, indexes: SavedIndex[]): Promise<void> {
  for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
}
