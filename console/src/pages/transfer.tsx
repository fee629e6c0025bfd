// One transfer, for both parties: header, status timeline, line items with per-item status, attempts and errors,
// and live progress that polls (with backoff) until a terminal state. The source admin accepts from here while it
// is Active, the target admin cancels; other roles see the same page without buttons.
import { ApiError, isTerminalTransferStatus, type Transfer } from '@partner-transfers/client';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice } from '../components/error-notice.tsx';
import { ProgressBar, StatusBadge } from '../components/status.tsx';
import { formatTime, PRODUCT_TYPE_WORDS } from '../format.ts';
import { useSession } from '../session.tsx';
import { AcceptPanel } from './accept-panel.tsx';
import { CancelButton } from './cancel-button.tsx';

const FIRST_POLL_MS = { busy: 1000, waiting: 5000 };
const MAX_POLL_MS = 15_000;

/** Polls while the transfer can still change: quickly while it moves, slowly while it waits; stops when final. */
function useLiveTransfer(customerId: string, transferId: string) {
  const { client } = useSession();
  const [transfer, setTransfer] = useState<Transfer | undefined>();
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay = 0;
    let lastSeen = '';
    const poll = async () => {
      try {
        const next = await client.getTransfer(customerId, transferId);
        if (stopped) return;
        setTransfer(next);
        setError(undefined);
        if (isTerminalTransferStatus(next.status)) return;
        const busy = next.status !== 'Active';
        const seen = `${next.status}:${next.progress.moved}:${next.progress.failed}`;
        const base = busy ? FIRST_POLL_MS.busy : FIRST_POLL_MS.waiting;
        delay = seen === lastSeen ? Math.min(Math.max(delay, base) * 1.5, MAX_POLL_MS) : base;
        lastSeen = seen;
        timer = setTimeout(poll, delay);
      } catch (caught) {
        if (!stopped) setError(caught);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, customerId, transferId, attempt]);
  return { transfer, error, setTransfer, retry: () => setAttempt((n) => n + 1) };
}

function Timeline(props: { transfer: Transfer }) {
  const t = props.transfer;
  const steps: { label: string; at?: string; who: string }[] = [
    { label: 'Created', at: t.createdTime, who: t.targetPartnerName },
  ];
  if (t.acceptedTime) steps.push({ label: 'Accepted', at: t.acceptedTime, who: t.sourcePartnerName });
  if (t.status === 'InProgress') steps.push({ label: 'Moving subscriptions', who: 'the service' });
  if (t.status === 'Complete' || t.status === 'CompletedWithErrors') {
    steps.push({
      label: t.status === 'Complete' ? 'Completed' : 'Completed with errors',
      at: t.completedTime ?? t.lastModifiedTime,
      who: 'the service',
    });
  }
  if (t.status === 'Canceled')
    steps.push({ label: 'Canceled', at: t.lastModifiedTime, who: t.targetPartnerName });
  if (t.status === 'Expired') {
    steps.push({ label: 'Expired: nobody accepted in time', at: t.expirationTime, who: 'the service' });
  }
  return (
    <ol class="timeline" aria-label="Status timeline">
      {steps.map((step) => (
        <li key={step.label}>
          <strong>{step.label}</strong> {step.at && <time dateTime={step.at}>{formatTime(step.at)}</time>}{' '}
          <span class="muted">by {step.who}</span>
        </li>
      ))}
      {t.status === 'Active' && (
        <li class="muted">
          Waiting for {t.sourcePartnerName} to accept until {formatTime(t.expirationTime)}
        </li>
      )}
    </ol>
  );
}

function LineItems(props: { transfer: Transfer }) {
  const items = props.transfer.lineItems;
  if (items.length === 0)
    return <p>No subscriptions chosen yet: the source partner picks them when accepting.</p>;
  return (
    <div class="table-scroll">
      <table>
        <caption class="visually-hidden">Line items</caption>
        <thead>
          <tr>
            <th scope="col">Subscription</th>
            <th scope="col">Product</th>
            <th scope="col">Quantity</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <th scope="row">{item.friendlyName}</th>
              <td data-label="Product">{PRODUCT_TYPE_WORDS[item.productType] ?? item.productType}</td>
              <td data-label="Quantity">{item.quantity}</td>
              <td data-label="Status">{item.status}</td>
              <td data-label="Attempts">{item.attempts}</td>
              <td data-label="Last error">{item.transferError?.description ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function TransferPage(props: { customerId: string; transferId: string }) {
  const { user, isAdmin } = useSession();
  const { transfer, error, setTransfer, retry } = useLiveTransfer(props.customerId, props.transferId);
  if (error instanceof ApiError && error.status === 404) {
    return (
      <section aria-labelledby="transfer-title">
        <h1 id="transfer-title">Transfer not found</h1>
        <p>
          There is no such transfer, or you are not one of its partners.{' '}
          <a href="/transfers">Back to transfers</a>
        </p>
      </section>
    );
  }
  if (!transfer) {
    return error === undefined ? (
      <p role="status">Loading the transfer…</p>
    ) : (
      <ErrorNotice error={error} onRetry={retry} />
    );
  }
  const isSource = transfer.sourcePartnerTenantId === user.tenantId;
  const isTarget = transfer.targetPartnerTenantId === user.tenantId;
  const active = transfer.status === 'Active';
  const customer = transfer.customerName ?? transfer.customerTenantId;
  const moving = transfer.status === 'Accepted' || transfer.status === 'InProgress';
  return (
    <section aria-labelledby="transfer-title">
      <p>
        <a href={`/transfers?direction=${isSource ? 'incoming' : 'outgoing'}`}>
          ← {isSource ? 'Inbox' : 'Outbox'}
        </a>
      </p>
      <div class="page-head">
        <h1 id="transfer-title">Transfer of {customer}</h1>
        <StatusBadge status={transfer.status} />
      </div>
      {error !== undefined && <ErrorNotice error={error} onRetry={retry} />}
      <dl class="facts">
        <dt>From (source partner)</dt>
        <dd>{transfer.sourcePartnerName}</dd>
        <dt>To (target partner)</dt>
        <dd>{transfer.targetPartnerName}</dd>
        <dt>Customer contact</dt>
        <dd>{transfer.customerEmailId}</dd>
        <dt>Product types</dt>
        <dd>
          {transfer.targetProductTypes?.map((type) => PRODUCT_TYPE_WORDS[type] ?? type).join(', ') ??
            'Every transferable type'}
        </dd>
        <dt>Transfer id</dt>
        <dd>
          <code>{transfer.id}</code>
        </dd>
      </dl>
      {(moving || transfer.progress.total > 0) && (
        <div aria-live="polite">
          <ProgressBar progress={transfer.progress} label="Subscriptions moved" />
        </div>
      )}
      <h2>Timeline</h2>
      <Timeline transfer={transfer} />
      <h2>Line items</h2>
      <LineItems transfer={transfer} />
      {isTarget && isAdmin && active && <CancelButton transfer={transfer} onChanged={setTransfer} />}
      {isSource && isAdmin && active && <AcceptPanel transfer={transfer} onChanged={setTransfer} />}
      {isSource && active && !isAdmin && (
        <p class="muted">An admin agent of {transfer.sourcePartnerName} can accept this transfer.</p>
      )}
      {(transfer.status === 'Complete' || transfer.status === 'CompletedWithErrors') && isTarget && (
        <p>
          <a href={`/customers/${transfer.customerTenantId}/subscriptions`}>
            Subscriptions of {customer} you bill now
          </a>
        </p>
      )}
    </section>
  );
}
