// Every rule failure the domain can report: a stable code, a default sentence and the HTTP status the API answers
// with. The API layer maps errors here and nowhere else.
//
// Status hints:
//   400 the request itself is malformed in a way only the domain can see (e.g. an impossible quantity)
//   403 the caller is known but its role or party may not do this (never used when the transfer is invisible)
//   404 the thing does not exist *or the caller may not see it* (never leaks existence)
//   409 the transfer's or item's current state forbids the change (late, second or out-of-order calls)
//   422 the request is well-formed but breaks a business rule (path, prerequisites, eligibility)

export type HttpStatusHint = 400 | 403 | 404 | 409 | 422;

interface DomainErrorSpec {
  status: HttpStatusHint;
  description: string;
}

export const DOMAIN_ERRORS = {
  // Who may act (403).
  CallerNotAPartner: { status: 403, description: 'The calling tenant is not a registered partner.' },
  AdminAgentRequired: {
    status: 403,
    description: 'Only an admin agent may create, update, submit or cancel a transfer.',
  },
  ResellerMustActThroughProvider: {
    status: 403,
    description: 'An indirect reseller never owns billing: its indirect provider must act on its behalf.',
  },
  NotSourcePartner: { status: 403, description: 'Only the source partner may set line items and submit.' },
  NotTargetPartner: {
    status: 403,
    description: 'Only the target partner may do this, and a partner may only create transfers to itself.',
  },

  // Not found or not visible (404).
  TransferNotFound: { status: 404, description: 'The transfer does not exist.' },
  SubscriptionNotFound: { status: 404, description: 'The subscription does not exist for this customer.' },
  LineItemNotFound: { status: 404, description: 'The transfer has no line item with this id.' },
  WebhookEndpointNotFound: { status: 404, description: 'The webhook endpoint does not exist.' },
  WebhookDeliveryNotFound: { status: 404, description: 'The endpoint has no delivery with this id.' },
  CustomerNotFound: {
    status: 404,
    description: 'The customer does not exist, or your organisation has no relationship with it.',
  },

  // State conflicts (409).
  TransferNotActive: {
    status: 409,
    description: 'The transfer is no longer pending: it was already submitted.',
  },
  TransferTerminal: { status: 409, description: 'The transfer has finished and can never change again.' },
  NoFailedLineItemsToRetry: {
    status: 409,
    description: 'Only a CompletedWithErrors transfer with failed line items can have them retried.',
  },
  MoveWindowPassed: {
    status: 409,
    description: 'The 72 hour window for moving line items after acceptance has passed.',
  },
  TransferExpired: { status: 409, description: 'The acceptance window of this transfer has passed.' },
  TransferNotYetExpired: {
    status: 409,
    description: 'The acceptance window of this transfer is still open.',
  },
  IllegalTransition: { status: 409, description: 'This change is not allowed in the current state.' },
  LineItemsNotSettled: {
    status: 409,
    description: 'Some line items are still moving; the transfer cannot be finalised yet.',
  },
  SubscriptionInOpenTransfer: {
    status: 409,
    description: 'The subscription is already part of another open transfer.',
  },

  // Request shape that only the domain can judge (400).
  SourcePartnerTenantIdRequired: {
    status: 400,
    description: 'The request must name the source partner tenant (sourcePartnerTenantId).',
  },
  InvalidWebhookUrl: { status: 400, description: 'This URL cannot receive webhooks.' },
  InvalidQuantity: { status: 400, description: 'A line item quantity must be a whole number of at least 1.' },
  DuplicateLineItem: {
    status: 400,
    description: 'The same subscription appears in more than one line item.',
  },

  // Business rules (422).
  UnsupportedTransferPath: {
    status: 422,
    description: 'Transfers between these kinds of partners are not supported.',
  },
  UnsupportedTransferType: {
    status: 422,
    description: 'Only new commerce transfers (transferType 3) are supported.',
  },
  SourceEqualsTarget: { status: 422, description: 'The source and target partner must be different.' },
  SourcePartnerNotFound: { status: 422, description: 'The named source partner tenant is not a partner.' },
  PartnerAgreementNotSigned: {
    status: 422,
    description: 'The target partner has not signed the partner agreement.',
  },
  NoCustomerRelationship: {
    status: 422,
    description: 'The customer has no active relationship with the target partner.',
  },
  CustomerAgreementNotSigned: {
    status: 422,
    description: 'The customer has not signed the customer agreement with the target partner.',
  },
  SourcePartnerDoesNotBillCustomer: {
    status: 422,
    description: 'The source partner does not bill any subscription of this customer.',
  },
  PartnerOfRecordInvalid: {
    status: 422,
    description:
      'The partner of record must be the target itself or a reseller under the target indirect provider.',
  },
  ProductTypeNotTransferable: { status: 422, description: 'This kind of product cannot be transferred.' },
  ProductTypeNotRequested: {
    status: 422,
    description: 'The transfer is limited to other product types (targetProductTypes).',
  },
  SubscriptionNotBilledBySource: {
    status: 422,
    description: 'The subscription is not billed by the source partner of this transfer.',
  },
  QuantityExceedsSubscription: {
    status: 422,
    description: 'The quantity is larger than the quantity of the subscription.',
  },
  NoLineItems: {
    status: 422,
    description: 'A transfer needs at least one eligible line item to be submitted.',
  },
  WebhookEndpointLimitReached: {
    status: 422,
    description: 'A partner may register at most 10 webhook endpoints; delete one first.',
  },
  LineItemsRefused: { status: 422, description: 'Some line items cannot be transferred; see details.' },
} as const satisfies Record<string, DomainErrorSpec>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

// Pure: a bundle that never reads the codes (nor the table) leaves the table out.
export const DOMAIN_ERROR_CODES = /* @__PURE__ */ Object.keys(DOMAIN_ERRORS) as DomainErrorCode[];

/** Extra facts about a failure, e.g. one entry per refused line item. */
export interface DomainFailureDetail {
  code: DomainErrorCode;
  description: string;
  target?: string;
}

/** A rule failure as a value. */
export interface DomainFailure {
  code: DomainErrorCode;
  description: string;
  status: HttpStatusHint;
  details?: DomainFailureDetail[];
}

/** Outcome of every rule check and state change in the domain. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainFailure };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function failure(
  code: DomainErrorCode,
  description?: string,
  details?: DomainFailureDetail[],
): DomainFailure {
  const spec: DomainErrorSpec = DOMAIN_ERRORS[code];
  return {
    code,
    description: description ?? spec.description,
    status: spec.status,
    ...(details && details.length > 0 ? { details } : {}),
  };
}

export function fail<T = never>(
  code: DomainErrorCode,
  description?: string,
  details?: DomainFailureDetail[],
): Result<T> {
  return { ok: false, error: failure(code, description, details) };
}

export function httpStatusFor(code: DomainErrorCode): HttpStatusHint {
  return DOMAIN_ERRORS[code].status;
}

export function isDomainErrorCode(code: string): code is DomainErrorCode {
  return Object.hasOwn(DOMAIN_ERRORS, code);
}

/** The thrown form, for code paths where an exception reads better than a Result (handlers, workflow tasks). */
export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly status: HttpStatusHint;
  readonly details?: DomainFailureDetail[];

  constructor(domainFailure: DomainFailure) {
    super(domainFailure.description);
    this.name = 'DomainError';
    this.code = domainFailure.code;
    this.status = domainFailure.status;
    if (domainFailure.details) this.details = domainFailure.details;
  }

  toFailure(): DomainFailure {
    return failure(this.code, this.message, this.details);
  }
}

/** Returns the value, or throws the failure as a DomainError. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new DomainError(result.error);
}
