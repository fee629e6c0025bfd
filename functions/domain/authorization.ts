// Who may do what to a transfer. Checked before any rule about the transfer's content, so a caller who may not see
// a transfer learns nothing about it (404), and a caller who may see it learns why it may not act (403).

import { fail, ok, type Result } from './errors.ts';
import type { Caller, Partner, Transfer } from './model.ts';

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

export function isAdminAgent(caller: Caller): boolean {
  return caller.roles.includes('AdminAgent');
}

export function transferPartyOf(
  caller: Caller,
  transfer: Transfer,
  callerPartner?: CallerPartner,
): TransferParty | undefined {
  if (caller.tenantId === transfer.sourcePartnerTenantId) return 'source';
  if (caller.tenantId === transfer.targetPartnerTenantId) return 'target';
  if (callerPartner?.kind === 'IndirectReseller' && callerPartner.tenantId === caller.tenantId) {
    const id = callerPartner.partnerId;
    if (transfer.partnerOnRecord === id || transfer.lineItems.some((item) => item.partnerIdOnRecord === id)) {
      return 'partnerOfRecord';
    }
  }
  return undefined;
}

export function canReadTransfer(caller: Caller, transfer: Transfer, callerPartner?: CallerPartner): boolean {
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
  transfer: Transfer,
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
