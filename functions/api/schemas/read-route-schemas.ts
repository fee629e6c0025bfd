import {
  CUSTOMER_PARAMS_SCHEMA,
  PAGINATION_QUERY_SCHEMA,
  type RouteSchemas,
  SUBSCRIPTION_PARAMS_SCHEMA,
  TRANSFER_PARAMS_SCHEMA,
} from './common-schemas.ts';
import {
  API_DESCRIPTION_SCHEMA,
  AUDIT_RECORD_COLLECTION_SCHEMA,
  CUSTOMER_PARTNER_COLLECTION_SCHEMA,
  HEALTH_SCHEMA,
  LIST_AUDIT_RECORDS_QUERY_SCHEMA,
  PARTNER_PROFILE_SCHEMA,
  RELATIONSHIP_COLLECTION_SCHEMA,
} from './partner-read-schemas.ts';
import {
  CUSTOMER_ELIGIBILITY_QUERY_SCHEMA,
  ELIGIBILITY_COLLECTION_SCHEMA,
  SUBSCRIPTION_COLLECTION_SCHEMA,
  SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA,
  SUBSCRIPTION_ELIGIBILITY_SCHEMA,
} from './subscription-read-schemas.ts';
import {
  LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA,
  LIST_PARTNER_TRANSFERS_QUERY_SCHEMA,
  TRANSFER_COLLECTION_SCHEMA,
  TRANSFER_SCHEMA,
} from './transfer-read-schemas.ts';

const LISTING_ERRORS = ['InvalidContinuationToken'] as const;

export const READ_ROUTE_SCHEMAS = /* @__PURE__ */ (() =>
  ({
    getHealth: {
      response: { status: 200, description: 'The service is up.', body: HEALTH_SCHEMA },
      errorCodes: [],
    },
    getApiDescription: {
      response: { status: 200, description: 'This OpenAPI 3.1 document.', body: API_DESCRIPTION_SCHEMA },
      errorCodes: [],
    },
    getOwnPartnerProfile: {
      response: {
        status: 200,
        description: "The caller tenant's partner profile.",
        body: PARTNER_PROFILE_SCHEMA,
      },
      errorCodes: ['NotFound'],
    },
    getTransfer: {
      params: TRANSFER_PARAMS_SCHEMA,
      response: {
        status: 200,
        description:
          'The transfer with its line items (each with status, attempts and last error) and progress. Visible to ' +
          'its source and target partners (any role) and a reseller named as partner of record; 404 for anyone else.',
        body: TRANSFER_SCHEMA,
      },
      errorCodes: ['TransferNotFound'],
    },
    listCustomerTransfers: {
      params: CUSTOMER_PARAMS_SCHEMA,
      query: LIST_CUSTOMER_TRANSFERS_QUERY_SCHEMA,
      response: {
        status: 200,
        description: "The customer's transfers that the caller is a party to, newest first.",
        body: TRANSFER_COLLECTION_SCHEMA,
      },
      errorCodes: LISTING_ERRORS,
    },
    listPartnerTransfers: {
      query: LIST_PARTNER_TRANSFERS_QUERY_SCHEMA,
      response: {
        status: 200,
        description: "The caller's incoming or outgoing transfers across customers, newest first.",
        body: TRANSFER_COLLECTION_SCHEMA,
      },
      errorCodes: LISTING_ERRORS,
    },
    getSubscriptionTransferEligibility: {
      params: SUBSCRIPTION_PARAMS_SCHEMA,
      query: SUBSCRIPTION_ELIGIBILITY_QUERY_SCHEMA,
      response: {
        status: 200,
        description:
          'Whether the subscription could be transferred away, and why not. Only for the partner that bills it; ' +
          '404 for anyone else.',
        body: SUBSCRIPTION_ELIGIBILITY_SCHEMA,
      },
      errorCodes: ['SubscriptionNotFound'],
    },
    listCustomerTransferEligibility: {
      params: CUSTOMER_PARAMS_SCHEMA,
      query: CUSTOMER_ELIGIBILITY_QUERY_SCHEMA,
      response: {
        status: 200,
        description: 'Eligibility of each subscription of the customer that the caller bills.',
        body: ELIGIBILITY_COLLECTION_SCHEMA,
      },
      errorCodes: LISTING_ERRORS,
    },
    listCustomerSubscriptions: {
      params: CUSTOMER_PARAMS_SCHEMA,
      query: PAGINATION_QUERY_SCHEMA,
      response: {
        status: 200,
        description: "The customer's subscriptions that the caller bills.",
        body: SUBSCRIPTION_COLLECTION_SCHEMA,
      },
      errorCodes: LISTING_ERRORS,
    },
    listRelationships: {
      query: PAGINATION_QUERY_SCHEMA,
      response: {
        status: 200,
        description: "The caller partner's customer relationships.",
        body: RELATIONSHIP_COLLECTION_SCHEMA,
      },
      errorCodes: LISTING_ERRORS,
    },
    listCustomerPartners: {
      params: CUSTOMER_PARAMS_SCHEMA,
      query: PAGINATION_QUERY_SCHEMA,
      response: {
        status: 200,
        description:
          "The customer's other partners (tenant id, name, kind, relationship status), by tenant id, for a partner " +
          'that has a relationship with the customer itself (any role); 404 for anyone else.',
        body: CUSTOMER_PARTNER_COLLECTION_SCHEMA,
      },
      errorCodes: [...LISTING_ERRORS, 'CustomerNotFound'],
    },
    listAuditRecords: {
      query: LIST_AUDIT_RECORDS_QUERY_SCHEMA,
      response: {
        status: 200,
        description: "The caller partner's audit entries, newest first.",
        body: AUDIT_RECORD_COLLECTION_SCHEMA,
      },
      errorCodes: LISTING_ERRORS,
    },
  }) as const satisfies Record<string, RouteSchemas>)();

export type ReadRouteId = keyof typeof READ_ROUTE_SCHEMAS;
