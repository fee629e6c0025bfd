// dynalite ships no type declarations: just what the tests and the local cloud use.
declare module 'dynalite' {
  import type { Server } from 'node:http';

  export interface DynaliteOptions {
    /** LevelDB folder; in memory when absent. */
    path?: string;
    /** How long a new table stays CREATING (default 500 ms). */
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    /** Item size limit in KB (default 400, like DynamoDB). */
    maxItemSizeKb?: number;
    verbose?: boolean;
    debug?: boolean;
    ssl?: boolean;
  }

  /** An HTTP server speaking the DynamoDB API; call `listen` to start it. */
  export default function dynalite(options?: DynaliteOptions): Server;
}
