// What it takes to rebuild `contracts` as a new table and swap it in: its indexes,
// constraints, sequence, storage options, grants and owner, read from the catalog (so
// indexes that later migrations add are rebuilt too), and for a partitioned table (the
// keyword table, contract_search) its partitions. Objects a swap cannot carry over
// (views, triggers, foreign keys into contracts ...) are refused up front, by name.
import type pg from 'pg';

type Queryable = pg.PoolClient | pg.Client;

/** An index to rebuild; `constraint` when it backs a PRIMARY KEY or UNIQUE constraint of that name. */
export type PlannedIndex = {
  name: string;
  definition: string;
  constraint?: { kind: 'PRIMARY KEY' | 'UNIQUE'; name: string; definition: string };
  /** COMMENT ON INDEX statement to re-apply after the swap, if the index has a comment. */
  comment?: string;
};
export type TablePlan = {
  table: string;
  indexes: PlannedIndex[];
  /** Foreign keys of the table: constraint name and its definition (FOREIGN KEY (...) REFERENCES ...). */
  foreignKeys: { name: string; definition: string }[];
  /** Sequences owned by the table's columns (bigserial), which must survive the old table's DROP. */
  ownedSequences: { sequence: string; column: string }[];
  /** Statements (with %s for the new table) re-creating reloptions, statistics targets, grants, owner and comment. */
  extras: string[];
  /**
   * A partitioned table's partition key (as pg_get_partkeydef prints it) and partitions
   * (name, bound as pg_get_expr prints it, and their own extras). Each index of the table is
   * then built on every partition, and the table's own index adopts them.
   */
  partitioning?: { key: string; partitions: PartitionPlan[] };
};

/**
 * A partition of a partitioned table: a plain identifier, its bound, its extras (%s for the
 * new partition), and the names of its indexes, in the order of the table's (each the one the
 * table's index adopted).
 */
export type PartitionPlan = { name: string; bound: string; extras: string[]; indexNames: string[] };

/** Thrown when the table has dependents a swap would break. */
export class TableSwapUnsupportedError extends Error {
  override name = 'TableSwapUnsupportedError';
}

/** Reads everything needed to rebuild `table` (unqualified, in the search path); throws TableSwapUnsupportedError on blockers. */
export async function readTablePlan(client: Queryable, table: string): Promise<TablePlan> {
  const q = async <R extends pg.QueryResultRow>(sql: string) => (await client.query<R>(sql, [table])).rows;
  const blockers = await q<{ what: string }>(`
    SELECT 'view ' || v.oid::regclass::text AS what
      FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid JOIN pg_class v ON v.oid = r.ev_class
     WHERE d.classid = 'pg_rewrite'::regclass AND d.refobjid = $1::regclass AND v.oid <> $1::regclass
    UNION SELECT 'foreign key ' || conname::text || ' of ' || conrelid::regclass::text FROM pg_constraint
     WHERE confrelid = $1::regclass AND conrelid <> $1::regclass
    UNION SELECT 'trigger ' || tgname::text FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal
    UNION SELECT 'policy ' || polname::text FROM pg_policy WHERE polrelid = $1::regclass
    UNION SELECT 'constraint ' || conname::text || ' (type ' || contype::text || ')' FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype NOT IN ('p', 'u', 'f', 'c')
    UNION SELECT 'partition or inheritance' FROM pg_inherits WHERE inhrelid = $1::regclass
       OR (inhparent = $1::regclass AND (SELECT relkind FROM pg_class WHERE oid = $1::regclass) <> 'p')
    -- A partitioned table's partitions are rebuilt from the table's own indexes: they may
    -- not be partitioned themselves, nor have indexes, triggers or foreign keys of their own.
    UNION SELECT 'partition ' || p.oid::regclass::text || ' of its own (' || CASE p.relkind WHEN 'p' THEN 'partitions' ELSE 'name' END || ')'
      FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass AND (p.relkind = 'p' OR p.relname !~ '^[a-z_][a-z0-9_]*$')
    UNION SELECT 'index ' || x.indexrelid::regclass::text || ' of partition ' || x.indrelid::regclass::text || ' only'
      FROM pg_inherits i JOIN pg_index x ON x.indrelid = i.inhrelid
     WHERE i.inhparent = $1::regclass AND NOT EXISTS (SELECT 1 FROM pg_inherits ii WHERE ii.inhrelid = x.indexrelid)
    UNION SELECT 'trigger ' || t.tgname::text || ' of partition ' || t.tgrelid::regclass::text
      FROM pg_inherits i JOIN pg_trigger t ON t.tgrelid = i.inhrelid WHERE i.inhparent = $1::regclass AND NOT t.tgisinternal
    UNION SELECT 'foreign key ' || c.conname::text || ' of partition ' || c.conrelid::regclass::text
      FROM pg_inherits i JOIN pg_constraint c ON c.conrelid = i.inhrelid
     WHERE i.inhparent = $1::regclass AND c.contype = 'f' AND c.conparentid = 0
    -- LIKE ... INCLUDING IDENTITY would give the copy a new sequence starting again at 1.
    UNION SELECT 'identity column ' || attname::text FROM pg_attribute WHERE attrelid = $1::regclass AND attidentity <> ''`);
  if (blockers.length) {
    throw new TableSwapUnsupportedError(
      `${table} cannot be rebuilt by swapping tables because of: ${blockers.map((b) => b.what).join(', ')}`,
    );
  }
  const indexes = await q<{ name: string; definition: string; contype: string | null; conname: string | null; condef: string | null; comment: string | null }>(`
    SELECT quote_ident(ci.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition, c.contype, quote_ident(c.conname) AS conname,
           pg_get_constraintdef(c.oid) AS condef,
           'COMMENT ON INDEX ' || quote_ident(ci.relname) || ' IS ' || quote_literal(obj_description(i.indexrelid, 'pg_class')) AS comment
      FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
      LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u')
     WHERE i.indrelid = $1::regclass ORDER BY ci.relname`);
  const foreignKeys = await q<{ name: string; definition: string }>(`
    SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`);
  const ownedSequences = await q<{ sequence: string; column: string }>(`
    SELECT s.oid::regclass::text AS sequence, quote_ident(a.attname) AS column
      FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
      JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
     WHERE d.refobjid = $1::regclass AND d.classid = 'pg_class'::regclass AND d.deptype = 'a'`);
  const extras = await readExtras(client, table);
  const [partitioned] = await q<{ key: string | null }>(`SELECT pg_get_partkeydef($1::regclass) AS key`);
  const partitions = partitioned?.key
    ? await q<{ name: string; bound: string }>(`
        SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass ORDER BY c.relname`)
    : [];
  return {
    table,
    indexes: indexes.map((i) => ({
      name: i.name,
      definition: i.definition,
      ...(i.contype && i.conname && i.condef
        ? { constraint: { kind: i.contype === 'p' ? ('PRIMARY KEY' as const) : ('UNIQUE' as const), name: i.conname, definition: i.condef } }
        : {}),
      ...(i.comment ? { comment: i.comment } : {}),
    })),
    foreignKeys,
    ownedSequences,
    extras,
    ...(partitioned?.key
      ? {
          partitioning: {
            key: partitioned.key,
            partitions: await Promise.all(
              partitions.map(async (p) => ({ ...p, extras: await readExtras(client, p.name), indexNames: await readPartitionIndexNames(client, table, p.name, indexes) })),
            ),
          },
        }
      : {}),
  };
}

/** The names of `partition`'s indexes, in the order of `indexes` (the table's): each the one the table's index adopted. */
async function readPartitionIndexNames(client: Queryable, table: string, partition: string, indexes: { name: string }[]): Promise<string[]> {
  const { rows } = await client.query<{ parent: string; name: string }>(
    `SELECT quote_ident(pc.relname) AS parent, quote_ident(cc.relname) AS name
       FROM pg_index x JOIN pg_class cc ON cc.oid = x.indexrelid
       JOIN pg_inherits i ON i.inhrelid = x.indexrelid JOIN pg_class pc ON pc.oid = i.inhparent
      WHERE x.indrelid = $1::regclass`,
    [partition],
  );
  const byParent = new Map(rows.map((r) => [r.parent, r.name]));
  return indexes.map((index) => {
    const name = byParent.get(index.name);
    if (!name) throw new TableSwapUnsupportedError(`${table} cannot be rebuilt by swapping tables because of: index ${index.name} with no index on partition ${partition}`);
    return name;
  });
}

/** Statements (with %s for the new relation) re-creating `relation`'s reloptions, statistics targets, grants, owner and comment. */
async function readExtras(client: Queryable, relation: string): Promise<string[]> {
  const q = async <R extends pg.QueryResultRow>(sql: string) => (await client.query<R>(sql, [relation])).rows;
  const extras = await q<{ sql: string }>(`
    SELECT 'ALTER TABLE %s SET (' || array_to_string(reloptions, ', ') || ')' AS sql FROM pg_class
     WHERE oid = $1::regclass AND reloptions IS NOT NULL
    UNION ALL
    SELECT 'ALTER TABLE %s ALTER COLUMN ' || quote_ident(attname) || ' SET STATISTICS ' || attstattarget FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attstattarget >= 0
    UNION ALL
    SELECT 'GRANT ' || a.privilege_type || ' ON %s TO ' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END
      FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = $1::regclass AND a.grantee <> c.relowner
    UNION ALL
    SELECT 'ALTER TABLE %s OWNER TO ' || quote_ident(pg_get_userbyid(relowner)) FROM pg_class
     WHERE oid = $1::regclass AND relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
    UNION ALL
    SELECT 'COMMENT ON TABLE %s IS ' || quote_literal(obj_description($1::regclass, 'pg_class'))
     WHERE obj_description($1::regclass, 'pg_class') IS NOT NULL`);
  return extras.map((e) => e.sql);
}
