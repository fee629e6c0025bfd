// Words for what the API says in codes: statuses, roles, product types, dates, and which form field a refusal
// concerns. The API's own descriptions are already sentences; these only name and place them.
import type { CustomerPartner, TransferStatus } from '@partner-transfers/client';

export const STATUS_WORDS: Record<TransferStatus, string> = {
  Active: 'Waiting for the source',
  Accepted: 'Accepted',
  InProgress: 'Moving',
  Complete: 'Complete',
  CompletedWithErrors: 'Completed with errors',
  Canceled: 'Canceled',
  Expired: 'Expired',
};

export const TRANSFER_STATUSES = Object.keys(STATUS_WORDS) as TransferStatus[];

export const PRODUCT_TYPE_WORDS: Record<string, string> = {
  AzureSubscription: 'Azure plan subscription',
  AzureReservation: 'Azure reservation',
  AzureSavingsPlan: 'Azure savings plan',
  OnlineServicesNCE: 'License-based (new commerce)',
  SoftwareSubscription: 'Software subscription',
  PerpetualSoftware: 'Perpetual software',
  ThirdPartyMarketplace: 'Third-party (marketplace)',
};

export const PARTNER_KIND_WORDS: Record<CustomerPartner['kind'], string> = {
  DirectBill: 'direct bill',
  IndirectProvider: 'indirect provider',
  IndirectReseller: 'indirect reseller',
};

export const TRANSFERABLE_PRODUCT_TYPES = [
  'AzureSubscription',
  'AzureReservation',
  'AzureSavingsPlan',
  'OnlineServicesNCE',
] as const;

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** The new-transfer form's fields, and which of them each refusal of the create call is about. */
export type CreateField =
  | 'customer'
  | 'sourcePartnerTenantId'
  | 'sourcePartnerName'
  | 'customerEmailId'
  | 'productTypes';

const CREATE_REFUSAL_FIELDS: Record<string, CreateField> = {
  NoCustomerRelationship: 'customer',
  CustomerAgreementNotSigned: 'customer',
  SourcePartnerDoesNotBillCustomer: 'sourcePartnerTenantId',
  UnsupportedTransferPath: 'sourcePartnerTenantId',
  ResellerMustActThroughProvider: 'sourcePartnerTenantId',
  SourcePartnerNotFound: 'sourcePartnerTenantId',
  SourceEqualsTarget: 'sourcePartnerTenantId',
  SourcePartnerTenantIdRequired: 'sourcePartnerTenantId',
};

const BODY_FIELDS: Record<string, CreateField> = {
  'body.sourcePartnerTenantId': 'sourcePartnerTenantId',
  'body.sourcePartnerName': 'sourcePartnerName',
  'body.customerEmailId': 'customerEmailId',
  'body.targetProductTypes': 'productTypes',
  'path.customerId': 'customer',
};

/** The field a refusal belongs next to, from its per-field details or else from its code. */
export function fieldOfRefusal(code: string, detailField: string | undefined): CreateField | undefined {
  if (detailField) {
    const field = Object.entries(BODY_FIELDS).find(([prefix]) => detailField.startsWith(prefix))?.[1];
    if (field) return field;
  }
  return CREATE_REFUSAL_FIELDS[code];
}
