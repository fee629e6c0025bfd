// Which product types may move between partners, and why the others never can.

import {
  type NON_TRANSFERABLE_PRODUCT_TYPES,
  type ProductType,
  TRANSFERABLE_PRODUCT_TYPES,
  type TransferableProductType,
} from './model.ts';

export type NonTransferableProductType = (typeof NON_TRANSFERABLE_PRODUCT_TYPES)[number];

const TRANSFERABLE: ReadonlySet<string> = new Set(TRANSFERABLE_PRODUCT_TYPES);

/** The sentence a refused line item carries, one per kind that can never move. */
export const NON_TRANSFERABLE_REASONS: Record<NonTransferableProductType, string> = {
  SoftwareSubscription:
    'Software subscriptions cannot be transferred between partners; the customer buys them again from the new partner.',
  PerpetualSoftware:
    'Perpetual software is a one-time purchase with nothing left to bill, so there is nothing to transfer.',
  ThirdPartyMarketplace:
    'Third-party marketplace subscriptions are sold under the publisher’s terms and cannot be transferred.',
};

export function isTransferableProductType(productType: ProductType): productType is TransferableProductType {
  return TRANSFERABLE.has(productType);
}

/** undefined when the type may move; otherwise the reason it may not. */
export function nonTransferableReason(productType: ProductType): string | undefined {
  return isTransferableProductType(productType) ? undefined : NON_TRANSFERABLE_REASONS[productType];
}

/** targetProductTypes absent, null or empty means every transferable type is requested. */
export function isRequestedProductType(
  productType: TransferableProductType,
  targetProductTypes: readonly TransferableProductType[] | null | undefined,
): boolean {
  return !targetProductTypes || targetProductTypes.length === 0 || targetProductTypes.includes(productType);
}
