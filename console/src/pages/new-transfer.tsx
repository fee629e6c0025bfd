// The target admin asks for a transfer: the customer (from my relationships), the partner that bills it today, the
// customer's contact address and the product types. The API's refusals appear next to the field they concern, in
// its own words. One MS-RequestId per filled-in form, so a double submit creates one transfer.
import { ApiError, type CreateTransferRequest, newRequestId } from '@partner-transfers/client';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { CopyableId, ErrorNotice } from '../components/error-notice.tsx';
import { FieldError } from '../components/field-error.tsx';
import {
  type CreateField,
  fieldOfRefusal,
  PRODUCT_TYPE_WORDS,
  TRANSFERABLE_PRODUCT_TYPES,
} from '../format.ts';
import { useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';
import { NO_SOURCE_PARTNER, type SourcePartner, SourcePartnerField } from './source-partner-field.tsx';

type ProductType = (typeof TRANSFERABLE_PRODUCT_TYPES)[number];

interface Form {
  customer: string;
  source: SourcePartner;
  customerEmailId: string;
  productTypes: ProductType[];
}

const EMPTY: Form = {
  customer: '',
  source: NO_SOURCE_PARTNER,
  customerEmailId: '',
  productTypes: [],
};

export function NewTransferPage() {
  const { client, isAdmin } = useSession();
  const { route } = useLocation();
  const [relationships, reload] = useLoad(() => client.listRelationships().toArray(), []);
  const [form, setForm] = useState<Form>(EMPTY);
  const [requestId, setRequestId] = useState(newRequestId);
  const [busy, setBusy] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<CreateField, string[]>>>({});
  const [error, setError] = useState<unknown>();
  const [refusal, setRefusal] = useState<ApiError | undefined>();

  if (!isAdmin) {
    return (
      <section>
        <h1>New transfer</h1>
        <p>Only an admin agent of your organisation can ask for a transfer.</p>
      </section>
    );
  }
  const customers = relationships.state === 'ready' ? relationships.data : [];
  const update = (change: Partial<Form>) => {
    setForm({ ...form, ...change });
    setRequestId(newRequestId());
  };
  const described = (field: CreateField) => (fieldErrors[field]?.length ? `${field}-error` : undefined);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    setRefusal(undefined);
    const customerName = customers.find(
      (relationship) => relationship.customerId === form.customer,
    )?.customerName;
    const body: CreateTransferRequest = {
      ...(customerName ? { customerName } : {}),
      sourcePartnerTenantId: form.source.tenantId.trim(),
      sourcePartnerName: form.source.name.trim(),
      customerEmailId: form.customerEmailId.trim(),
      ...(form.productTypes.length > 0 ? { targetProductTypes: form.productTypes } : {}),
    };
    client
      .createTransfer(form.customer, body, { requestId })
      .then((created) => route(`/transfers/${created.customerTenantId}/${created.id}`))
      .catch((caught: unknown) => {
        setBusy(false);
        if (!(caught instanceof ApiError) || caught.status === 401 || caught.status >= 500)
          return setError(caught);
        const byField: Partial<Record<CreateField, string[]>> = {};
        const refusals =
          caught.details.length > 0
            ? caught.details
            : [{ code: caught.code, description: caught.description }];
        let placed = 0;
        for (const refusal of refusals) {
          const field =
            fieldOfRefusal(
              refusal.code === 'invalid' ? caught.code : refusal.code,
              'field' in refusal ? refusal.field : undefined,
            ) ?? fieldOfRefusal(caught.code, undefined);
          if (!field) continue;
          byField[field] = [...(byField[field] ?? []), refusal.description];
          placed += 1;
        }
        setFieldErrors(byField);
        if (placed === 0) setError(caught);
        else setRefusal(caught);
      });
  };

  return (
    <section aria-labelledby="new-title">
      <h1 id="new-title">New transfer</h1>
      <p>Ask the partner that bills a customer today to move its subscriptions to you.</p>
      {relationships.state === 'failed' && <ErrorNotice error={relationships.error} onRetry={reload} />}
      <form onSubmit={submit} noValidate>
        <div class="field">
          <label for="customer">Customer</label>
          <select
            id="customer"
            required
            value={form.customer}
            aria-describedby={described('customer')}
            aria-invalid={fieldErrors.customer ? true : undefined}
            // Another customer has other partners: the source is chosen again.
            onChange={(event) => update({ customer: event.currentTarget.value, source: NO_SOURCE_PARTNER })}
          >
            <option value="">
              {relationships.state === 'loading' ? 'Loading customers…' : 'Choose a customer'}
            </option>
            {customers.map((relationship) => (
              <option key={relationship.customerId} value={relationship.customerId}>
                {relationship.customerName ?? relationship.customerId}
                {relationship.status === 'Active'
                  ? ''
                  : ` (relationship ${relationship.status.toLowerCase()})`}
              </option>
            ))}
          </select>
          <FieldError id="customer-error" messages={fieldErrors.customer} />
        </div>
        <SourcePartnerField
          customerId={form.customer}
          value={form.source}
          onChange={(source) => {
            update({ source });
            // A refusal was about the partner chosen before.
            const { sourcePartnerTenantId: _id, sourcePartnerName: _name, ...others } = fieldErrors;
            setFieldErrors(others);
          }}
          errors={{ tenantId: fieldErrors.sourcePartnerTenantId, name: fieldErrors.sourcePartnerName }}
        />
        <div class="field">
          <label for="customerEmailId">Customer's contact email (told about the transfer)</label>
          <input
            id="customerEmailId"
            type="email"
            required
            autocomplete="email"
            value={form.customerEmailId}
            aria-describedby={described('customerEmailId')}
            aria-invalid={fieldErrors.customerEmailId ? true : undefined}
            onInput={(event) => update({ customerEmailId: event.currentTarget.value })}
          />
          <FieldError id="customerEmailId-error" messages={fieldErrors.customerEmailId} />
        </div>
        <fieldset aria-describedby={described('productTypes')}>
          <legend>Product types to move (none checked: every transferable type)</legend>
          {TRANSFERABLE_PRODUCT_TYPES.map((type) => (
            <div key={type} class="check">
              <input
                type="checkbox"
                id={`type-${type}`}
                checked={form.productTypes.includes(type)}
                onChange={(event) =>
                  update({
                    productTypes: event.currentTarget.checked
                      ? [...form.productTypes, type]
                      : form.productTypes.filter((chosen) => chosen !== type),
                  })
                }
              />
              <label for={`type-${type}`}>{PRODUCT_TYPE_WORDS[type]}</label>
            </div>
          ))}
          <FieldError id="productTypes-error" messages={fieldErrors.productTypes} />
        </fieldset>
        {error !== undefined && <ErrorNotice error={error} title="The transfer was not created." />}
        {refusal && (
          <div class="notice error" role="alert">
            <p>
              <strong>The transfer was not created.</strong> The reasons are next to the fields above.
            </p>
            {refusal.correlationId && (
              <CopyableId label="Correlation id for support" value={refusal.correlationId} />
            )}
          </div>
        )}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !form.customer}>
            {busy ? 'Creating…' : 'Create transfer'}
          </button>
          <a href="/transfers?direction=outgoing">Cancel</a>
        </div>
      </form>
    </section>
  );
}
