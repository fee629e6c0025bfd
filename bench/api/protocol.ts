// What the API benchmark's server child and its driver tell each other over IPC.
import type { ApiOperation } from './api-routes.ts';

export interface OperationTrace {
  /** AWS operations per sequential stage, e.g. [["PutItem"], ["GetItem","GetItem"]]. */
  stages: string[][];
  awsCalls: number;
  dynamoDbCalls: number;
  /** Bytes of the API's response body, which the floor sends back too. */
  responseBytes: number;
  responseStatus: number;
}

export interface OperationBreakdown {
  /** The authorizer Lambda, called directly (JWT verification). */
  authorizerMs: number;
  /** The route's handler, called directly with a proxy event (no HTTP, no authorizer). */
  handlerMs: number;
  /** The recorded AWS calls replayed alone (the floor without HTTP). */
  awsCallsMs: number;
}

export interface ApiServerReady {
  type: 'ready';
  apiUrl: string;
  floorUrl: string;
  token: string;
  ids: { customerId: string; transferId: string };
  traces: Record<ApiOperation, OperationTrace>;
}

export interface ApiServerBreakdown {
  type: 'breakdown';
  breakdown: Record<ApiOperation, OperationBreakdown>;
}

export interface ApiServerSettled {
  type: 'settled';
  waitedMs: number;
  /** Event loop utilisation of the last window (0..1). */
  utilisation: number;
}

export type ApiServerMessage =
  | ApiServerReady
  | ApiServerSettled
  | ApiServerBreakdown
  | { type: 'error'; message: string };

/** Parent -> child: wait until background work (workflows that creates started) has died down. */
export const SETTLE_REQUEST = 'settle';

/** Parent -> child: time the authorizer, each handler and its AWS calls in process (answers ApiServerBreakdown). */
export const BREAKDOWN_REQUEST = 'breakdown';
