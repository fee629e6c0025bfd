// dynalite's storage module (no type declarations): what the index repair and the fair reads use of it.
declare module 'dynalite/db/index.js' {
  type Item = Record<string, unknown>;

  export interface IndexDescription {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  }

  export interface TableDescription {
    TableName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    LocalSecondaryIndexes?: IndexDescription[];
    GlobalSecondaryIndexes?: IndexDescription[];
  }

  /** The LevelDB instance behind a store (level 10): every sub-database is a key prefix in it. */
  export interface LevelDatabase {
    get(key: string): Promise<unknown>;
    iterator(options: { gte: string; lt: string }): AsyncIterable<[string, unknown]>;
    batch(
      operations: ({ type: 'put'; key: string; value: unknown } | { type: 'del'; key: string })[],
    ): Promise<void>;
    close(): Promise<void>;
    /** abstract-level's value iterator. */
    values(options: Record<string, unknown>): {
      nextv(size: number): Promise<unknown[]>;
      close(): Promise<void>;
    };
    /** What dynalite adds to it, and reads every Query and Scan through. */
    createValueStream?: (options: Record<string, unknown>) => NodeJS.ReadableStream;
  }

  export interface Store {
    db: LevelDatabase;
  }

  export function create(options: { path?: string }): Store;

  /** The module's exports object itself: dynalite's server calls `create` through it. */
  const dbModule: { create(options: { path?: string }): Store };
  export default dbModule;

  /** The index entries an item has (puts) and those its previous version had and it no longer has (deletes). */
  export function getIndexActions(
    indexes: IndexDescription[],
    existingItem: Item | null,
    item: Item | null,
    table: TableDescription,
  ): { puts: { index: string; key: string; item: Item }[]; deletes: { index: string; key: string }[] };
}
