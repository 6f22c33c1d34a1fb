// Database ids for the generator's dimension names, assigned as the names are first used.
// Upserting all 74k real contractor names up front and pruning the unused ones afterwards
// cost ~10 s per run (GIN trigram maintenance on the names), even for 1,000 contracts;
// here only names that contracts actually use are inserted, in the swap transaction.
import type pg from 'pg';
import type { ReferenceEntity } from './reference/load.js';

type Queryable = pg.PoolClient | pg.Client;

/** Ids of one dimension table's reference names; new names get ids from the table's own sequence. */
export class DimensionIds {
  private readonly ids: Int32Array;
  private readonly fresh: number[] = [];
  private nextId: number;

  private constructor(
    readonly table: string,
    private readonly entities: readonly ReferenceEntity[],
    existing: Map<string, number>,
    private readonly sequence: string,
    firstFree: number,
  ) {
    this.ids = Int32Array.from(entities, (e) => existing.get(e.name) ?? 0);
    this.nextId = firstFree;
  }

  /** Reads the ids of the names already in `table` and reserves the next free id of its sequence. Hold the data-load lock. */
  static async load(client: Queryable, table: string, entities: readonly ReferenceEntity[]): Promise<DimensionIds> {
    const { rows } = await client.query<{ id: number; name: string }>(`SELECT id, name FROM ${table}`);
    const seq = (await client.query<{ s: string }>(`SELECT pg_get_serial_sequence($1, 'id') AS s`, [table])).rows[0]!.s;
    const first = (await client.query<{ n: string }>('SELECT nextval($1::regclass)::text AS n', [seq])).rows[0]!.n;
    return new DimensionIds(table, entities, new Map(rows.map((r) => [r.name, r.id])), seq, Number(first));
  }

  /** The id of reference entity `index`, assigning one if its name is not in the table yet. */
  id(index: number): number {
    let id = this.ids[index]!;
    if (id === 0) {
      id = this.nextId++;
      this.ids[index] = id;
      this.fresh.push(index);
    }
    return id;
  }

  /** Inserts the names first used by this run with their assigned ids and moves the sequence past them. */
  async insertNew(client: Queryable): Promise<number> {
    if (this.fresh.length === 0) return 0;
    await client.query(`INSERT INTO ${this.table} (id, name) SELECT * FROM unnest($1::int[], $2::text[])`, [
      this.fresh.map((i) => this.ids[i]),
      this.fresh.map((i) => this.entities[i]!.name),
    ]);
    await client.query('SELECT setval($1::regclass, $2)', [this.sequence, this.nextId - 1]);
    return this.fresh.length;
  }
}
