// Who else serves a customer: the partners it has a relationship with, for a partner that has one too (the console's
// new-transfer form picks the source from them). A partner without a relationship learns nothing, not even whether
// the customer exists: it gets the same 404 as for an unknown customer.
import { DomainError, failure } from '#domain/errors.ts';
import type { Partner, Relationship } from '#domain/model.ts';
import { collectMatchingPage, type Page } from './paging.ts';
import type { DirectoryRepository } from './ports.ts';

export interface CustomerPartner {
  partner: Partner;
  relationship: Relationship;
}

export interface CustomerPartnersRequest {
  callerTenantId: string;
  customerId: string;
  limit: number;
  /** The storage's token, from the previous page. */
  continuationToken?: string | undefined;
}

type Directory = Pick<DirectoryRepository, 'getRelationship' | 'listRelationshipsOfCustomer' | 'getPartner'>;

/** One page of the customer's other partners, in the storage's order (by tenant id), the caller left out. */
export async function listCustomerPartners(
  directory: Directory,
  request: CustomerPartnersRequest,
): Promise<Page<CustomerPartner>> {
  const { callerTenantId, customerId } = request;
  const own = await directory.getRelationship(customerId, callerTenantId);
  if (!own) throw new DomainError(failure('CustomerNotFound'));
  const page = await collectMatchingPage(
    (pageRequest) => directory.listRelationshipsOfCustomer(customerId, pageRequest),
    (relationship) => relationship.partnerTenantId !== callerTenantId,
    { limit: request.limit, continuationToken: request.continuationToken },
  );
  const partners = await Promise.all(
    page.items.map((relationship) => directory.getPartner(relationship.partnerTenantId)),
  );
  // A relationship whose tenant is not (or no longer) a partner names nobody who could be a source.
  const items = page.items.flatMap((relationship, index) => {
    const partner = partners[index];
    return partner ? [{ partner, relationship }] : [];
  });
  return page.continuationToken === undefined
    ? { items }
    : { items, continuationToken: page.continuationToken };
}
