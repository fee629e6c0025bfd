// dynalite reads the items of a Query or Scan through a stream that asks its LevelDB iterator for one item at a time
// and is driven by promise continuations only, so the event loop reaches no I/O until the whole read is done. A
// Query of 1,000 line items held everything else in the process (API stand-in, handlers, Step Functions, every other
// DynamoDB request) for about 40 ms: a submit of 1,000 items waited that long for its own last writes and its answer
// behind the resumed workflow's StartMoving reading the line items. DynamoDB serves requests side by side; here every
// store dynalite creates reads in batches instead, and a read longer than one batch hands the event loop back
// between batches, so other requests go on while a large read runs. Same items, same order, same early end.
import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import dynaliteDb, { type LevelDatabase } from 'dynalite/db/index.js';

/** Items read per turn of the event loop (about 1 ms of dynalite's work each). */
export const ITEMS_PER_TURN = 32;

let installed = false;

/**
 * From now on, every dynalite store in this process (every `dynalite()` server) reads value streams in batches of
 * ITEMS_PER_TURN with a turn of the event loop between full batches. Call before creating the server; idempotent.
 */
export function installFairDynamoDbReads(): void {
  if (installed) return;
  const create = dynaliteDb.create;
  dynaliteDb.create = (options) => {
    const store = create(options);
    const { db } = store;
    // dynalite's own sub-databases call db.createValueStream for Query and Scan: fail loudly if that changed.
    if (typeof db.createValueStream !== 'function' || typeof db.values !== 'function') {
      throw new Error('dynalite no longer reads through db.createValueStream: see dynamodb-fair-reads.ts');
    }
    db.createValueStream = (streamOptions) => fairValueStream(db, streamOptions);
    return store;
  };
  installed = true;
}

function fairValueStream(db: LevelDatabase, options: Record<string, unknown>): Readable {
  const iterator = db.values(options);
  let lastBatchWasFull = false;
  return new Readable({
    objectMode: true,
    read() {
      // A short batch means the end is near: no turn for it, so a small read costs no extra turn.
      const batch = lastBatchWasFull
        ? nextTurn().then(() => iterator.nextv(ITEMS_PER_TURN))
        : iterator.nextv(ITEMS_PER_TURN);
      batch.then(
        (values) => {
          lastBatchWasFull = values.length === ITEMS_PER_TURN;
          if (values.length === 0) this.push(null);
          for (const value of values) this.push(value);
        },
        (error: unknown) => this.destroy(error instanceof Error ? error : new Error(String(error))),
      );
    },
    destroy(error, callback) {
      iterator.close().then(
        () => callback(error),
        () => callback(error),
      );
    },
  });
}
