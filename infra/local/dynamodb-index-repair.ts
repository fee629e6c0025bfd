// dynalite writes an item's secondary index entries and then the item itself, as separate LevelDB writes (its
// updateIndexes, then put). A kill -9 between them leaves an index that disagrees with its table for good: an item
// whose key attributes the index no longer lists (the chaos campaign found two transfer headers with unpublished
// events missing from the outbox index, so the relay never saw them again), or an entry for a version of the item
// that was never stored. DynamoDB's indexes converge on the table; dynalite's never do. So before the emulator
// serves a data folder, every secondary index is compared with what the stored items imply, with dynalite's own
// index rules (getIndexActions), and put right. A kill during the repair leaves work for the next start: the
// repair only ever writes what the items imply.
import { create, getIndexActions, type TableDescription } from 'dynalite/db/index.js';

export interface IndexRepair {
  tables: number;
  items: number;
  /** Entries written because they were missing or held another version of their item. */
  written: number;
  /** Entries deleted because no stored item implies them. */
  deleted: number;
}

const TABLE_PREFIX = 'table~';
const itemPrefix = (table: string) => `item-${table}~`;
const indexPrefix = (kind: 'local' | 'global', table: string, index: string) =>
  `index-${kind}~${table}~${index}~`;
/** Everything under a prefix: LevelDB keys sort as strings, and no key of ours contains U+FFFF. */
const under = (prefix: string) => ({ gte: prefix, lt: `${prefix}\uffff` });

/** Rebuilds what disagrees in the secondary indexes of every table in the dynalite folder `path`. */
export async function repairSecondaryIndexes(path: string): Promise<IndexRepair> {
  const { db } = create({ path });
  const repair: IndexRepair = { tables: 0, items: 0, written: 0, deleted: 0 };
  try {
    const tables: TableDescription[] = [];
    for await (const [, table] of db.iterator(under(TABLE_PREFIX))) tables.push(table as TableDescription);
    for (const table of tables) {
      repair.tables += 1;
      const indexes = [
        ...(table.LocalSecondaryIndexes ?? []).map((index) => ({ kind: 'local' as const, index })),
        ...(table.GlobalSecondaryIndexes ?? []).map((index) => ({ kind: 'global' as const, index })),
      ];
      if (indexes.length === 0) continue;
      const expected = new Map<string, string>();
      for await (const [, value] of db.iterator(under(itemPrefix(table.TableName)))) {
        repair.items += 1;
        for (const { kind, index } of indexes) {
          for (const put of getIndexActions([index], null, value as Record<string, unknown>, table).puts) {
            expected.set(
              `${indexPrefix(kind, table.TableName, put.index)}${put.key}`,
              JSON.stringify(put.item),
            );
          }
        }
      }
      const operations: Parameters<typeof db.batch>[0] = [];
      for (const { kind, index } of indexes) {
        for await (const [key, value] of db.iterator(
          under(indexPrefix(kind, table.TableName, index.IndexName)),
        )) {
          const wanted = expected.get(key);
          if (wanted === undefined) {
            operations.push({ type: 'del', key });
            repair.deleted += 1;
          } else if (wanted !== JSON.stringify(value)) {
            operations.push({ type: 'put', key, value: JSON.parse(wanted) });
            repair.written += 1;
          }
          expected.delete(key);
        }
      }
      for (const [key, value] of expected) {
        operations.push({ type: 'put', key, value: JSON.parse(value) });
        repair.written += 1;
      }
      if (operations.length > 0) await db.batch(operations);
    }
  } finally {
    await db.close();
  }
  return repair;
}
