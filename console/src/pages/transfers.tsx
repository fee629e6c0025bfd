// Inbox (incoming: I am the source and must act) and outbox (outgoing: I am the target), newest first, filtered by
// status and paged with the API's continuation token. The filter lives in the URL, so the view can be bookmarked.
import type { Page, TransferDirection, TransferSummary } from '@partner-transfers/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ErrorNotice } from '../components/error-notice.tsx';
import { StatusBadge } from '../components/status.tsx';
import { formatTime, STATUS_WORDS, TRANSFER_STATUSES } from '../format.ts';
import { useRowProgress } from '../row-progress.ts';
import { useSession } from '../session.tsx';

const PAGE_SIZE = 20;

type Pages = { pages: Page<TransferSummary>[]; index: number };

export function TransfersPage() {
  const { client, isAdmin } = useSession();
  const { query, route } = useLocation();
  const direction: TransferDirection = query.direction === 'outgoing' ? 'outgoing' : 'incoming';
  const status = TRANSFER_STATUSES.find((candidate) => candidate === query.status);
  const [view, setView] = useState<Pages | undefined>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const iterator = useRef<AsyncIterator<Page<TransferSummary>> | undefined>(undefined);

  const nextPage = async (): Promise<Page<TransferSummary> | undefined> => {
    const step = await iterator.current?.next();
    return step && !step.done ? step.value : undefined;
  };

  const start = () => {
    iterator.current = client
      .listTransfers({ direction, ...(status ? { status } : {}), pageSize: PAGE_SIZE })
      .pages()
      [Symbol.asyncIterator]();
    setError(undefined);
    setLoading(true);
    nextPage()
      .then((page) => setView({ pages: page ? [page] : [], index: 0 }))
      .catch(setError)
      .finally(() => setLoading(false));
  };
  useEffect(start, [direction, status]);

  const showNext = () => {
    if (!view) return;
    if (view.index + 1 < view.pages.length) return setView({ ...view, index: view.index + 1 });
    setLoading(true);
    nextPage()
      .then((page) => page && setView({ pages: [...view.pages, page], index: view.index + 1 }))
      .catch(setError)
      .finally(() => setLoading(false));
  };

  const setFilter = (next: { direction?: string; status?: string }) => {
    const params = new URLSearchParams({ direction, ...(status ? { status } : {}), ...next });
    if (!params.get('status')) params.delete('status');
    route(`/transfers?${params}`);
  };

  const page = view?.pages[view.index];
  const progressOf = useRowProgress(page?.items);
  const hasNext = view && (view.index + 1 < view.pages.length || Boolean(page?.continuationToken));
  const title =
    direction === 'incoming' ? 'Inbox: transfers waiting for you' : 'Outbox: transfers you asked for';
  const partnerColumn = direction === 'incoming' ? 'Asked by' : 'Source partner';
  return (
    <section aria-labelledby="transfers-title">
      <div class="page-head">
        <h1 id="transfers-title">{title}</h1>
        {isAdmin && (
          <a class="button primary" href="/transfers/new">
            New transfer
          </a>
        )}
      </div>
      <nav aria-label="Direction" class="tabs">
        <a href="/transfers?direction=incoming" aria-current={direction === 'incoming' ? 'page' : undefined}>
          Inbox (incoming)
        </a>
        <a href="/transfers?direction=outgoing" aria-current={direction === 'outgoing' ? 'page' : undefined}>
          Outbox (outgoing)
        </a>
      </nav>
      <div class="filters">
        <label for="status-filter">Status</label>
        <select
          id="status-filter"
          value={status ?? ''}
          onChange={(event) => setFilter({ status: event.currentTarget.value })}
        >
          <option value="">Any status</option>
          {TRANSFER_STATUSES.map((value) => (
            <option key={value} value={value}>
              {STATUS_WORDS[value]}
            </option>
          ))}
        </select>
      </div>
      {error !== undefined && <ErrorNotice error={error} onRetry={start} />}
      {loading && !page && <p role="status">Loading transfers…</p>}
      {page && page.items.length === 0 && <p>No transfers here{status ? ' with this status' : ''}.</p>}
      {page && page.items.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Customer</th>
                <th scope="col">{partnerColumn}</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {page.items.map((transfer) => (
                <tr key={transfer.id}>
                  <th scope="row">
                    <a href={`/transfers/${transfer.customerTenantId}/${transfer.id}`}>
                      {transfer.customerName ?? transfer.customerTenantId}
                    </a>
                  </th>
                  <td data-label={partnerColumn}>
                    {direction === 'incoming' ? transfer.targetPartnerName : transfer.sourcePartnerName}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={transfer.status} />
                  </td>
                  <td data-label="Progress">{progressOf(transfer)}</td>
                  <td data-label="Created">{formatTime(transfer.createdTime)}</td>
                  <td data-label="Expires">{formatTime(transfer.expirationTime)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {view && (view.index > 0 || hasNext) && (
        <nav aria-label="Pages" class="pager">
          <button
            type="button"
            disabled={view.index === 0}
            onClick={() => setView({ ...view, index: view.index - 1 })}
          >
            Previous page
          </button>
          <span>Page {view.index + 1}</span>
          <button type="button" disabled={!hasNext || loading} onClick={showNext}>
            Next page
          </button>
        </nav>
      )}
    </section>
  );
}
