// The transfer domain's vocabulary. Pure types: no AWS, no I/O.

export const PARTNER_KINDS = ['DirectBill', 'IndirectProvider', 'IndirectReseller'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

export const ROLES = ['AdminAgent', 'SalesAgent', 'HelpdeskAgent'] as const;
export type Role = (typeof ROLES)[number];

/** Product types as the reference system names them, plus the kinds that can never move. */
export const TRANSFERABLE_PRODUCT_TYPES = [
  'AzureSubscription',
  'AzureReservation',
  'AzureSavingsPlan',
  'OnlineServicesNCE',
] as const;
export const NON_TRANSFERABLE_PRODUCT_TYPES = [
  'SoftwareSubscription',
  'PerpetualSoftware',
  'ThirdPartyMarketplace',
] as const;
export type TransferableProductType = (typeof TRANSFERABLE_PRODUCT_TYPES)[number];
export type ProductType = TransferableProductType | (typeof NON_TRANSFERABLE_PRODUCT_TYPES)[number];

export const TRANSFER_STATUSES = [
  'Active',
  'Accepted',
  'InProgress',
  'Complete',
  'CompletedWithErrors',
  'Canceled',
  'Expired',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const LINE_ITEM_STATUSES = ['Pending', 'InProgress', 'Complete', 'Failed'] as const;
export type LineItemStatus = (typeof LINE_ITEM_STATUSES)[number];

export interface Partner {
  tenantId: string;
  name: string;
  kind: PartnerKind;
  /** Microsoft-style partner ID (MPN), used as partner of record. */
  partnerId: string;
  /** For an indirect reseller: the indirect provider that acts for it. */
  providerTenantId?: string;
  partnerAgreementSigned: boolean;
  adminEmails: string[];
}

export interface SandboxUser {
  userId: string;
  tenantId: string;
  role: Role;
  name: string;
  email: string;
}

export interface Customer {
  customerId: string;
  name: string;
  contactEmail: string;
}

export const RELATIONSHIP_STATUSES = ['Active', 'Pending', 'Terminated'] as const;
export type RelationshipStatus = (typeof RELATIONSHIP_STATUSES)[number];

/** A customer's relationship with one partner. */
export interface Relationship {
  customerId: string;
  partnerTenantId: string;
  status: RelationshipStatus;
  customerAgreementSigned: boolean;
}

export interface Subscription {
  subscriptionId: string;
  customerId: string;
  /** The partner that bills this subscription today. */
  billingPartnerTenantId: string;
  productType: ProductType;
  friendlyName: string;
  offerId: string;
  skuId: string;
  catalogItemId: string;
  quantity: number;
  billingCycle: 'Monthly' | 'Annual' | 'None';
  termDuration: string;
  partnerIdOnRecord?: string;
  /** Set while the subscription is claimed by an open transfer. */
  openTransferId?: string;
  /** Set once a transfer moved it; makes the move idempotent. */
  movedByTransferId?: string;
  version: number;
}

export interface TransferLineItem {
  id: string;
  subscriptionId: string;
  quantity: number;
  billingCycle: string;
  friendlyName: string;
  partnerIdOnRecord?: string;
  offerId: string;
  skuId: string;
  catalogItemId: string;
  termDuration: string;
  productType: ProductType;
  status: LineItemStatus;
  attempts: number;
  transferError?: { code: string; description: string };
  completedTime?: string;
}

export interface Transfer {
  id: string;
  customerTenantId: string;
  customerName?: string;
  customerEmailId: string;
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  targetPartnerTenantId: string;
  targetPartnerName: string;
  targetPartnerEmailId?: string;
  targetProductTypes?: TransferableProductType[];
  partnerOnRecord?: string;
  transferType: number;
  status: TransferStatus;
  createdTime: string;
  lastModifiedTime: string;
  lastModifiedUser: string;
  expirationTime: string;
  acceptedTime?: string;
  completedTime?: string;
  lineItems: TransferLineItem[];
  /** Errors that must not block the transfer, e.g. an email that could not be sent. */
  notificationErrors?: { event: string; recipient: string; description: string }[];
  version: number;
}

/** The identity the authorizer established for a request. */
export interface Caller {
  tenantId: string;
  userId: string;
  roles: Role[];
}

export type AuditOperation =
  | 'TransferCreated'
  | 'TransferUpdated'
  | 'TransferAccepted'
  | 'TransferCanceled'
  | 'TransferExpired'
  | 'TransferCompleted'
  /** Operations repaired a stuck transfer (restarted its workflow, expired or finalised it, retried failed items). */
  | 'TransferRepaired';

export interface AuditRecord {
  id: string;
  partnerTenantId: string;
  operation: AuditOperation;
  transferId: string;
  customerId: string;
  actor: string;
  at: string;
  details?: Record<string, string | number | boolean>;
}

/** What the target partner sends to create a transfer (reference TransferEntity; the server sets the rest). */
export interface CreateTransferRequest {
  sourcePartnerTenantId: string;
  sourcePartnerName: string;
  customerEmailId: string;
  customerName?: string;
  /** Defaults to the caller's tenant; any other value is refused. */
  targetPartnerTenantId?: string;
  targetPartnerEmailId?: string;
  /** null or absent: every transferable type. */
  targetProductTypes?: TransferableProductType[] | null;
  partnerOnRecord?: string;
  /** Only 3 (new commerce) is supported. */
  transferType?: number;
}

/** What the source partner sends per subscription when it sets the line items. */
export interface LineItemRequest {
  subscriptionId: string;
  /** Defaults to the subscription's whole quantity. */
  quantity?: number;
  partnerIdOnRecord?: string;
}
