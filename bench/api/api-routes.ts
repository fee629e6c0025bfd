// The three API operations the API benchmark measures, as autocannon and the in-process breakdown send them.
import { randomUUID } from 'node:crypto';
import {
  CREATE_BENCH_CUSTOMER,
  createBenchTransferBody,
  transferPath,
  transfersPath,
} from '../support/transfer-requests.ts';

export const API_OPERATIONS = ['get', 'list', 'create'] as const;
export type ApiOperation = (typeof API_OPERATIONS)[number];

export interface OperationRequest {
  /** The route id in functions/api/routes.ts. */
  routeId: string;
  method: 'GET' | 'POST';
  path: string;
  pathParameters: Record<string, string>;
  body?: string;
  /** A new MS-RequestId per request (a write, like a partner system retrying safely would send it). */
  requestIdPerRequest: boolean;
}

export function operationRequest(operation: ApiOperation, ids: { customerId: string; transferId: string }) {
  const requests: Record<ApiOperation, OperationRequest> = {
    get: {
      routeId: 'getTransfer',
      method: 'GET',
      path: transferPath(ids.transferId, ids.customerId),
      pathParameters: { customerId: ids.customerId, transferId: ids.transferId },
      requestIdPerRequest: false,
    },
    list: {
      routeId: 'listCustomerTransfers',
      method: 'GET',
      path: transfersPath(ids.customerId),
      pathParameters: { customerId: ids.customerId },
      requestIdPerRequest: false,
    },
    create: {
      routeId: 'createTransfer',
      method: 'POST',
      path: transfersPath(CREATE_BENCH_CUSTOMER),
      pathParameters: { customerId: CREATE_BENCH_CUSTOMER },
      body: JSON.stringify(createBenchTransferBody()),
      requestIdPerRequest: true,
    },
  };
  return requests[operation];
}

export const requestHeaders = (request: OperationRequest, token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  accept: 'application/json',
  ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
  ...(request.requestIdPerRequest ? { 'MS-RequestId': randomUUID() } : {}),
});
