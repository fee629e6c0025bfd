// The local cloud's sandbox: partners of every kind, their users, customers, relationships and subscriptions of
// every product type. Fixed ids keep tokens, examples and tests stable across restarts.
import type {
  Customer,
  Partner,
  ProductType,
  Relationship,
  SandboxUser,
  Subscription,
} from '#domain/model.ts';

const guid = (group: string, n: number) => `${group}-0000-4000-8000-${n.toString().padStart(12, '0')}`;

export const SANDBOX_TENANTS = {
  contoso: guid('a0000000', 1),
  fabrikam: guid('a0000000', 2),
  northwind: guid('a0000000', 3),
  adatum: guid('a0000000', 4),
  litware: guid('a0000000', 5),
  tailspin: guid('a0000000', 6),
} as const;

export const SANDBOX_CUSTOMERS = {
  woodgrove: guid('c0000000', 1),
  alpine: guid('c0000000', 2),
  trey: guid('c0000000', 3),
} as const;

const T = SANDBOX_TENANTS;
const C = SANDBOX_CUSTOMERS;

const partner = (
  tenantId: string,
  name: string,
  kind: Partner['kind'],
  partnerId: string,
  extra: Partial<Partner> = {},
): Partner => {
  const domain = name.toLowerCase().split(' ')[0];
  return {
    tenantId,
    name,
    kind,
    partnerId,
    partnerAgreementSigned: true,
    adminEmails: [`admin@${domain}.example`],
    ...extra,
  };
};

export const SANDBOX_PARTNERS: readonly Partner[] = [
  partner(T.contoso, 'Contoso Direct', 'DirectBill', '1000001'),
  partner(T.fabrikam, 'Fabrikam Direct', 'DirectBill', '1000002'),
  partner(T.northwind, 'Northwind Provider', 'IndirectProvider', '2000003'),
  partner(T.adatum, 'Adatum Provider', 'IndirectProvider', '2000004'),
  partner(T.litware, 'Litware Reseller', 'IndirectReseller', '3000005', { providerTenantId: T.northwind }),
  // Has not signed the partner agreement: creating a transfer as this target must be refused.
  partner(T.tailspin, 'Tailspin Direct', 'DirectBill', '1000006', { partnerAgreementSigned: false }),
];

export const SANDBOX_USERS: readonly SandboxUser[] = SANDBOX_PARTNERS.flatMap((p, index) => {
  const domain = p.name.toLowerCase().split(' ')[0];
  return [
    {
      userId: guid('b0000000', index * 10 + 1),
      tenantId: p.tenantId,
      role: 'AdminAgent' as const,
      name: `${p.name} admin`,
      email: `admin@${domain}.example`,
    },
    {
      userId: guid('b0000000', index * 10 + 2),
      tenantId: p.tenantId,
      role: 'SalesAgent' as const,
      name: `${p.name} sales`,
      email: `sales@${domain}.example`,
    },
  ];
});

export const SANDBOX_CUSTOMER_RECORDS: readonly Customer[] = [
  { customerId: C.woodgrove, name: 'Woodgrove Bank', contactEmail: 'it@woodgrove.example' },
  { customerId: C.alpine, name: 'Alpine Ski House', contactEmail: 'billing@alpine.example' },
  { customerId: C.trey, name: 'Trey Research', contactEmail: 'ops@trey.example' },
];

const relationship = (
  customerId: string,
  partnerTenantId: string,
  status: Relationship['status'],
  customerAgreementSigned: boolean,
): Relationship => ({ customerId, partnerTenantId, status, customerAgreementSigned });

export const SANDBOX_RELATIONSHIPS: readonly Relationship[] = [
  // Woodgrove: billed by Contoso; ready to move to Fabrikam or Northwind.
  relationship(C.woodgrove, T.contoso, 'Active', true),
  relationship(C.woodgrove, T.fabrikam, 'Active', true),
  relationship(C.woodgrove, T.northwind, 'Active', true),
  relationship(C.woodgrove, T.adatum, 'Active', true),
  relationship(C.woodgrove, T.tailspin, 'Active', true),
  // Alpine: billed by Northwind through its reseller Litware; Adatum is ready, Contoso's invitation is pending.
  relationship(C.alpine, T.northwind, 'Active', true),
  relationship(C.alpine, T.litware, 'Active', true),
  relationship(C.alpine, T.adatum, 'Active', true),
  relationship(C.alpine, T.contoso, 'Pending', false),
  relationship(C.alpine, T.fabrikam, 'Active', true),
  // Trey: billed by Fabrikam; Contoso has a relationship but no signed customer agreement.
  relationship(C.trey, T.fabrikam, 'Active', true),
  relationship(C.trey, T.contoso, 'Active', false),
];

const PRODUCT_CATALOG: Record<ProductType, { offerId: string; skuId: string; name: string; term: string }> = {
  AzureSubscription: { offerId: 'DZH318Z0BPS6', skuId: '0001', name: 'Azure plan', term: 'None' },
  AzureReservation: {
    offerId: 'DZH318Z0BQ3Q',
    skuId: '0002',
    name: 'Reserved VM instance D2s v5',
    term: 'P1Y',
  },
  AzureSavingsPlan: {
    offerId: 'DZH318Z0BSP1',
    skuId: '0003',
    name: 'Azure savings plan for compute',
    term: 'P3Y',
  },
  OnlineServicesNCE: {
    offerId: 'CFQ7TTC0LH18',
    skuId: '0001',
    name: 'Microsoft 365 Business Basic',
    term: 'P1M',
  },
  SoftwareSubscription: {
    offerId: 'DG7GMGF0D7FV',
    skuId: '0004',
    name: 'SQL Server Standard (subscription)',
    term: 'P1Y',
  },
  PerpetualSoftware: {
    offerId: 'DG7GMGF0DWMS',
    skuId: '0005',
    name: 'Windows Server 2022 Standard (perpetual)',
    term: 'None',
  },
  ThirdPartyMarketplace: {
    offerId: 'MP0000000001',
    skuId: '0006',
    name: 'Third-party firewall (marketplace)',
    term: 'P1Y',
  },
};

let subscriptionCounter = 0;
const subscription = (
  customerId: string,
  billingPartnerTenantId: string,
  productType: ProductType,
  quantity: number,
  extra: Partial<Subscription> = {},
): Subscription => {
  subscriptionCounter += 1;
  const product = PRODUCT_CATALOG[productType];
  return {
    subscriptionId: guid('d0000000', subscriptionCounter),
    customerId,
    billingPartnerTenantId,
    productType,
    friendlyName: product.name,
    offerId: product.offerId,
    skuId: product.skuId,
    catalogItemId: `${product.offerId}:${product.skuId}`,
    quantity,
    billingCycle:
      productType === 'PerpetualSoftware' || productType === 'AzureSubscription' ? 'None' : 'Monthly',
    termDuration: product.term,
    version: 1,
    ...extra,
  };
};

const ALL_PRODUCT_TYPES = Object.keys(PRODUCT_CATALOG) as ProductType[];

export const SANDBOX_SUBSCRIPTIONS: readonly Subscription[] = [
  ...ALL_PRODUCT_TYPES.map((type) =>
    subscription(C.woodgrove, T.contoso, type, type === 'OnlineServicesNCE' ? 25 : 1),
  ),
  subscription(C.woodgrove, T.contoso, 'OnlineServicesNCE', 10, { friendlyName: 'Microsoft 365 E3' }),
  ...ALL_PRODUCT_TYPES.map((type) =>
    subscription(C.alpine, T.northwind, type, type === 'OnlineServicesNCE' ? 40 : 1, {
      partnerIdOnRecord: '3000005',
    }),
  ),
  subscription(C.trey, T.fabrikam, 'AzureSubscription', 1),
  subscription(C.trey, T.fabrikam, 'OnlineServicesNCE', 15),
];

export const sandboxUser = (tenantId: string, role: SandboxUser['role']): SandboxUser => {
  const user = SANDBOX_USERS.find((candidate) => candidate.tenantId === tenantId && candidate.role === role);
  if (!user) throw new Error(`No sandbox ${role} for tenant ${tenantId}`);
  return user;
};
