import { describe, expect, it } from 'vitest';
import {
  DOMAIN_ERROR_CODES,
  DOMAIN_ERRORS,
  DomainError,
  type DomainErrorCode,
  fail,
  type HttpStatusHint,
  httpStatusFor,
  isDomainErrorCode,
  ok,
  unwrap,
} from '#domain/errors.ts';

// The documented mapping, written out so that a changed status is a visible, reviewed change.
const EXPECTED_STATUS: Record<DomainErrorCode, HttpStatusHint> = {
  CallerNotAPartner: 403,
  AdminAgentRequired: 403,
  ResellerMustActThroughProvider: 403,
  NotSourcePartner: 403,
  NotTargetPartner: 403,
  TransferNotFound: 404,
  SubscriptionNotFound: 404,
  LineItemNotFound: 404,
  WebhookEndpointNotFound: 404,
  WebhookDeliveryNotFound: 404,
  CustomerNotFound: 404,
  TransferNotActive: 409,
  TransferTerminal: 409,
  NoFailedLineItemsToRetry: 409,
  MoveWindowPassed: 409,
  TransferExpired: 409,
  TransferNotYetExpired: 409,
  IllegalTransition: 409,
  LineItemsNotSettled: 409,
  SubscriptionInOpenTransfer: 409,
  SourcePartnerTenantIdRequired: 400,
  InvalidQuantity: 400,
  InvalidWebhookUrl: 400,
  DuplicateLineItem: 400,
  UnsupportedTransferPath: 422,
  UnsupportedTransferType: 422,
  SourceEqualsTarget: 422,
  SourcePartnerNotFound: 422,
  PartnerAgreementNotSigned: 422,
  NoCustomerRelationship: 422,
  CustomerAgreementNotSigned: 422,
  SourcePartnerDoesNotBillCustomer: 422,
  PartnerOfRecordInvalid: 422,
  ProductTypeNotTransferable: 422,
  ProductTypeNotRequested: 422,
  SubscriptionNotBilledBySource: 422,
  QuantityExceedsSubscription: 422,
  NoLineItems: 422,
  LineItemsRefused: 422,
  WebhookEndpointLimitReached: 422,
};

describe('domain error codes', () => {
  it('lists exactly the documented codes', () => {
    expect([...DOMAIN_ERROR_CODES].sort()).toEqual(Object.keys(EXPECTED_STATUS).sort());
  });

  it.each(DOMAIN_ERROR_CODES)('%s has its documented status and a sentence', (code) => {
    expect(httpStatusFor(code)).toBe(EXPECTED_STATUS[code]);
    expect(DOMAIN_ERRORS[code].description).toMatch(/^[A-Z].+\.$/);
  });

  it('recognises codes and rejects anything else, including Object.prototype names', () => {
    expect(isDomainErrorCode('TransferExpired')).toBe(true);
    expect(isDomainErrorCode('toString')).toBe(false);
    expect(isDomainErrorCode('transferexpired')).toBe(false);
  });
});

describe('Result helpers', () => {
  it('fail carries the default sentence and status, or the given sentence and details', () => {
    expect(fail('TransferExpired')).toEqual({
      ok: false,
      error: { code: 'TransferExpired', status: 409, description: DOMAIN_ERRORS.TransferExpired.description },
    });
    const detailed = fail('LineItemsRefused', 'Two items refused.', [
      { code: 'InvalidQuantity', description: 'x', target: 's1' },
    ]);
    expect(detailed.ok).toBe(false);
    if (!detailed.ok) {
      expect(detailed.error.description).toBe('Two items refused.');
      expect(detailed.error.details).toHaveLength(1);
    }
  });

  it('fail leaves out empty details', () => {
    const r = fail('NoLineItems', undefined, []);
    expect(r.ok || 'details' in r.error).toBe(false);
  });

  it('unwrap returns the value of a success', () => {
    expect(unwrap(ok(42))).toBe(42);
  });

  it('unwrap throws a DomainError with code, status, message and details', () => {
    const details = [{ code: 'InvalidQuantity' as const, description: 'bad', target: 's1' }];
    let thrown: unknown;
    try {
      unwrap(fail('LineItemsRefused', 'Refused.', details));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    const domainError = thrown as DomainError;
    expect(domainError).toBeInstanceOf(Error);
    expect(domainError.code).toBe('LineItemsRefused');
    expect(domainError.status).toBe(422);
    expect(domainError.message).toBe('Refused.');
    expect(domainError.details).toEqual(details);
    expect(domainError.toFailure()).toEqual({
      code: 'LineItemsRefused',
      status: 422,
      description: 'Refused.',
      details,
    });
  });
});
