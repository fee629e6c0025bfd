// The source admin's acceptance: every subscription of the customer with the eligibility answer (eligible, or why
// not), checkboxes for the eligible ones, a quantity where a partial move is allowed, then Accept behind a
// confirmation that lists exactly what will move. One MS-RequestId per confirmation, reused by its retries.
import { newRequestId, type SubscriptionEligibility, type Transfer } from '@partner-transfers/client';
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { PRODUCT_TYPE_WORDS } from '../format.ts';
import { useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';

/** License-based subscriptions may move part of their seats; the others move whole. */
const allowsPartial = (item: SubscriptionEligibility) =>
  item.productType === 'OnlineServicesNCE' && item.quantity > 1;

type Selection = Record<string, number>;

export function AcceptPanel(props: { transfer: Transfer; onChanged(transfer: Transfer): void }) {
  const { client } = useSession();
  const { transfer } = props;
  const [eligibility, reload] = useLoad(
    () =>
      client
        .listEligibility(transfer.customerTenantId, {
          ...(transfer.targetProductTypes ? { targetProductTypes: transfer.targetProductTypes } : {}),
        })
        .toArray(),
    [transfer.id],
  );
  const [selected, setSelected] = useState<Selection>({});
  const [requestId, setRequestId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (eligibility.state === 'loading') return <p role="status">Checking which subscriptions can move…</p>;
  if (eligibility.state === 'failed') return <ErrorNotice error={eligibility.error} onRetry={reload} />;
  const items = eligibility.data;
  const chosen = items.filter((item) => selected[item.subscriptionId] !== undefined);

  const toggle = (item: SubscriptionEligibility, on: boolean) => {
    const next = { ...selected };
    if (on) next[item.subscriptionId] = item.quantity;
    else delete next[item.subscriptionId];
    setSelected(next);
  };
  const accept = () => {
    if (!requestId || busy) return;
    setBusy(true);
    setError(undefined);
    const lineItems = chosen.map((item) => ({
      subscriptionId: item.subscriptionId,
      quantity: selected[item.subscriptionId] ?? item.quantity,
    }));
    client
      .updateTransfer(
        transfer.customerTenantId,
        transfer.id,
        { status: 'Accepted', lineItems },
        { requestId },
      )
      .then((accepted) => {
        setRequestId(undefined);
        props.onChanged(accepted);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="accept-title" class="panel">
      <h2 id="accept-title">Accept: choose what moves to {transfer.targetPartnerName}</h2>
      <div class="table-scroll">
        <table>
          <caption class="visually-hidden">Subscriptions of the customer and whether each can move</caption>
          <thead>
            <tr>
              <th scope="col">Move</th>
              <th scope="col">Subscription</th>
              <th scope="col">Product</th>
              <th scope="col">Quantity</th>
              <th scope="col">Can it move?</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const id = `move-${item.subscriptionId}`;
              const isChosen = selected[item.subscriptionId] !== undefined;
              return (
                <tr key={item.subscriptionId}>
                  <td class="pick">
                    {item.eligible && (
                      <input
                        type="checkbox"
                        id={id}
                        checked={isChosen}
                        onChange={(event) => toggle(item, event.currentTarget.checked)}
                      />
                    )}
                  </td>
                  <th scope="row">
                    {item.eligible ? <label for={id}>{item.friendlyName}</label> : item.friendlyName}
                  </th>
                  <td data-label="Product">{PRODUCT_TYPE_WORDS[item.productType] ?? item.productType}</td>
                  <td data-label="Quantity">
                    {item.eligible && isChosen && allowsPartial(item) ? (
                      <input
                        type="number"
                        min={1}
                        max={item.quantity}
                        value={selected[item.subscriptionId]}
                        aria-label={`Quantity of ${item.friendlyName} to move (of ${item.quantity})`}
                        onInput={(event) =>
                          setSelected({
                            ...selected,
                            [item.subscriptionId]: Math.min(
                              item.quantity,
                              Math.max(1, Number(event.currentTarget.value) || 1),
                            ),
                          })
                        }
                      />
                    ) : (
                      item.quantity
                    )}
                  </td>
                  <td data-label="Can it move?">
                    {item.eligible
                      ? 'Eligible'
                      : item.errors.map((reason) => reason.description).join(' ') || 'Not eligible'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={chosen.length === 0}
          onClick={() => setRequestId(newRequestId())}
        >
          Accept and move {chosen.length} subscription{chosen.length === 1 ? '' : 's'}
        </button>
      </div>
      <ConfirmDialog
        open={requestId !== undefined}
        title="Accept this transfer?"
        confirmLabel="Yes, accept and move them"
        busy={busy}
        onConfirm={accept}
        onCancel={() => setRequestId(undefined)}
      >
        <p>
          These subscriptions of {transfer.customerName ?? transfer.customerTenantId} will be billed by{' '}
          {transfer.targetPartnerName} instead of you:
        </p>
        <ul>
          {chosen.map((item) => (
            <li key={item.subscriptionId}>
              {item.friendlyName}: {selected[item.subscriptionId]} of {item.quantity}
            </li>
          ))}
        </ul>
        {error !== undefined && <ErrorNotice error={error} title="The transfer was not accepted." />}
      </ConfirmDialog>
    </section>
  );
}
