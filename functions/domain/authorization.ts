// Who may do what to a transfer. Checked before any rule about the transfer's content, so a caller who may not see
// a transfer learns nothing about it (404), and a caller who may see it learns why it may not act (403).

import { fail, ok, type Result } from './errors.ts';
import type { Caller, Partner, Transfer, TransferLineItem } from './model.ts';

export type TransferAction = 'read' | 'updateLineItems' | 'submit' | 'cancel';

/** How the caller's tenant relates to a transfer; resellers see transfers that name them as partner of record. */
export type TransferParty = 'source' | 'target' | 'partnerOfRecord';

/** The caller's own partner record, as far as authorization needs it (undefined: the tenant is not a partner). */
export type CallerPartner = Pick<Partner, 'tenantId' | 'kind' | 'partnerId'> | undefined;

/** Who is asking: the authorizer's identity plus the caller tenant's partner record. */
export interface AuthorizationSubject {
  caller: Caller;
  callerPartner?: CallerPartner;
}

/**
 * What deciding a caller's party reads. The header decides it for the source and the target, so a header alone (no
 * `lineItems`) is enough for them; a reseller may be named as partner of record by a line item only, so for any other
 * caller the line items must be there (transferPartyOf throws otherwise: loading them is the caller's job).
 */
export type TransferParties = Pick<
  Transfer,
  'sourcePartnerTenantId' | 'targetPartnerTenantId' | 'partnerOnRecord'
> & { lineItems?: readonly Pick<TransferLineItem, 'partnerIdOnRecord'>[] };

/** Whether the header alone tells this caller's party (it is the source or the target). */
export function headerDecidesParty(caller: Caller, transfer: TransferParties): boolean {
  return (
    caller.tenantId === transfer.sourcePartnerTenantId || caller.tenantId === transfer.targetPartnerTenantId
  );
}

export function isAdminAgent(caller: Caller): boolean {
  return caller.roles.includes('AdminAgent');
}

export function transferPartyOf(
  caller: Caller,
  transfer: TransferParties,
  callerPartner?: CallerPartner,
): TransferParty | undefined {
  if (caller.tenantId === transfer.sourcePartnerTenantId) return 'source';
  if (caller.tenantId === transfer.targetPartnerTenantId) return 'target';
  if (callerPartner?.kind === 'IndirectReseller' && callerPartner.tenantId === caller.tenantId) {
    const id = callerPartner.partnerId;
    if (transfer.partnerOnRecord === id) return 'partnerOfRecord';
    if (!transfer.lineItems)
      throw new Error("Only the line items tell this reseller's party: load them first");
    if (transfer.lineItems.some((item) => item.partnerIdOnRecord === id)) return 'partnerOfRecord';
  }
  return undefined;
}

export function canReadTransfer(
  caller: Caller,
  transfer: TransferParties,
  callerPartner?: CallerPartner,
): boolean {
  return transferPartyOf(caller, transfer, callerPartner) !== undefined;
}

/** Creating: an admin agent of a registered, billing partner, for its own tenant only. */
export function authorizeCreateTransfer(
  caller: Caller,
  callerPartner: CallerPartner,
  requestedTargetTenantId?: string,
): Result<void> {
  if (!callerPartner || callerPartner.tenantId !== caller.tenantId) return fail('CallerNotAPartner');
  if (callerPartner.kind === 'IndirectReseller') return fail('ResellerMustActThroughProvider');
  if (!isAdminAgent(caller)) return fail('AdminAgentRequired');
  if (requestedTargetTenantId !== undefined && requestedTargetTenantId !== caller.tenantId) {
    return fail('NotTargetPartner', 'A partner can only create transfers to itself (targetPartnerTenantId).');
  }
  return ok(undefined);
}

/** Acting on an existing transfer. Returns the caller's party when allowed. */
export function authorizeTransferAction(
  caller: Caller,
  transfer: TransferParties,
  action: TransferAction,
  callerPartner?: CallerPartner,
): Result<TransferParty> {
  const party = transferPartyOf(caller, transfer, callerPartner);
  if (!party) return fail('TransferNotFound');
  if (action === 'read') return ok(party);
  if (party === 'partnerOfRecord') return fail('ResellerMustActThroughProvider');
  if ((action === 'updateLineItems' || action === 'submit') && party !== 'source') {
    return fail('NotSourcePartner');
  }
  if (action === 'cancel' && party !== 'target') {
    return fail('NotTargetPartner', 'Only the target partner that created the transfer may cancel it.');
  }
  if (!isAdminAgent(caller)) return fail('AdminAgentRequired');
  return ok(party);
}
