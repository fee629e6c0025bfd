// The partner that bills the customer today: picked from the customer's other partners (GET …/partners), or, for a
// partner the list does not show, typed in: "Another partner…" reveals its tenant id and name.
import type { CustomerPartner } from '@partner-transfers/client';
import { ErrorNotice } from '../components/error-notice.tsx';
import { FieldError } from '../components/field-error.tsx';
import { PARTNER_KIND_WORDS } from '../format.ts';
import { useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';

/** The select's value for a partner typed in by hand. */
const ANOTHER_PARTNER = 'another';

export interface SourcePartner {
  /** The select's value: '' (none yet), a listed partner's tenant id, or ANOTHER_PARTNER. */
  choice: string;
  tenantId: string;
  name: string;
}

export const NO_SOURCE_PARTNER: SourcePartner = { choice: '', tenantId: '', name: '' };

function optionText(partner: CustomerPartner): string {
  const status =
    partner.relationshipStatus === 'Active'
      ? ''
      : `, relationship ${partner.relationshipStatus.toLowerCase()}`;
  return `${partner.name} (${PARTNER_KIND_WORDS[partner.kind]}${status})`;
}

export function SourcePartnerField(props: {
  customerId: string;
  value: SourcePartner;
  onChange: (value: SourcePartner) => void;
  errors: { tenantId?: string[] | undefined; name?: string[] | undefined };
}) {
  const { client } = useSession();
  const { customerId, value, onChange, errors } = props;
  const [partners, reload] = useLoad(
    () =>
      customerId === ''
        ? Promise.resolve([])
        : client
            .listCustomerPartners(customerId)
            .toArray()
            .then((listed) => listed.sort((a, b) => a.name.localeCompare(b.name))),
    [customerId],
  );
  const listed = partners.state === 'ready' ? partners.data : [];
  const typed = value.choice === ANOTHER_PARTNER;
  // Picked from the list, a refusal of either part belongs next to the list.
  const listErrors = typed ? [] : [...(errors.tenantId ?? []), ...(errors.name ?? [])];
  const choose = (choice: string) => {
    const partner = listed.find((candidate) => candidate.tenantId === choice);
    onChange(
      partner
        ? { choice, tenantId: partner.tenantId, name: partner.name }
        : { choice, tenantId: '', name: '' },
    );
  };
  const placeholder =
    customerId === ''
      ? 'Choose a customer first'
      : partners.state === 'loading'
        ? 'Loading partners…'
        : 'Choose a partner';

  return (
    <>
      <div class="field">
        <label for="sourcePartner">Partner that bills the customer today</label>
        <select
          id="sourcePartner"
          required
          disabled={customerId === ''}
          value={value.choice}
          aria-describedby={listErrors.length > 0 ? 'sourcePartnerTenantId-error' : undefined}
          aria-invalid={listErrors.length > 0 ? true : undefined}
          onChange={(event) => choose(event.currentTarget.value)}
        >
          <option value="">{placeholder}</option>
          {listed.map((partner) => (
            <option key={partner.tenantId} value={partner.tenantId}>
              {optionText(partner)}
            </option>
          ))}
          {customerId !== '' && <option value={ANOTHER_PARTNER}>Another partner…</option>}
        </select>
        {!typed && <FieldError id="sourcePartnerTenantId-error" messages={listErrors} />}
      </div>
      {partners.state === 'failed' && <ErrorNotice error={partners.error} onRetry={reload} />}
      {typed && (
        <>
          <div class="field">
            <label for="sourcePartnerTenantId">Tenant id of the partner that bills the customer today</label>
            <input
              id="sourcePartnerTenantId"
              required
              autocomplete="off"
              spellcheck={false}
              value={value.tenantId}
              aria-describedby={errors.tenantId?.length ? 'sourcePartnerTenantId-error' : undefined}
              aria-invalid={errors.tenantId?.length ? true : undefined}
              onInput={(event) => onChange({ ...value, tenantId: event.currentTarget.value })}
            />
            <FieldError id="sourcePartnerTenantId-error" messages={errors.tenantId} />
          </div>
          <div class="field">
            <label for="sourcePartnerName">Name of that partner</label>
            <input
              id="sourcePartnerName"
              required
              value={value.name}
              aria-describedby={errors.name?.length ? 'sourcePartnerName-error' : undefined}
              aria-invalid={errors.name?.length ? true : undefined}
              onInput={(event) => onChange({ ...value, name: event.currentTarget.value })}
            />
            <FieldError id="sourcePartnerName-error" messages={errors.name} />
          </div>
        </>
      )}
    </>
  );
}
