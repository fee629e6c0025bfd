// The partner's audit log, filtered by date range and transfer; the filters live in the URL.
import type { AuditRecord } from '@partner-transfers/client';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { ErrorNotice } from '../components/error-notice.tsx';
import { formatTime } from '../format.ts';
import { useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';

const MAX_RECORDS = 200;

/** A date field's day as the start (or end) of that day in UTC, as the API's ISO bounds. */
const dayBound = (day: string | undefined, end: boolean) =>
  day ? `${day}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : undefined;

export function AuditLogPage() {
  const { client } = useSession();
  const { query, route } = useLocation();
  const [draft, setDraft] = useState({
    from: query.from ?? '',
    to: query.to ?? '',
    transferId: query.transferId ?? '',
  });
  const [records, reload] = useLoad<AuditRecord[]>(() => {
    const from = dayBound(query.from, false);
    const to = dayBound(query.to, true);
    return client
      .listAuditRecords({
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(query.transferId ? { transferId: query.transferId } : {}),
      })
      .toArray(MAX_RECORDS);
  }, [query.from, query.to, query.transferId]);

  const apply = (event: Event) => {
    event.preventDefault();
    const params = new URLSearchParams(Object.entries(draft).filter(([, value]) => value.trim() !== ''));
    route(`/audit?${params}`);
  };
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form class="filters" onSubmit={apply}>
        <div class="field">
          <label for="audit-from">From (day)</label>
          <input
            id="audit-from"
            type="date"
            value={draft.from}
            onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="audit-to">To (day)</label>
          <input
            id="audit-to"
            type="date"
            value={draft.to}
            onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })}
          />
        </div>
        <div class="field">
          <label for="audit-transfer">Transfer id</label>
          <input
            id="audit-transfer"
            spellcheck={false}
            value={draft.transferId}
            onInput={(e) => setDraft({ ...draft, transferId: e.currentTarget.value })}
          />
        </div>
        <button type="submit">Show</button>
      </form>
      {records.state === 'loading' && <p role="status">Loading the audit log…</p>}
      {records.state === 'failed' && <ErrorNotice error={records.error} onRetry={reload} />}
      {records.state === 'ready' && records.data.length === 0 && <p>No audit records match.</p>}
      {records.state === 'ready' && records.data.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Audit records</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Transfer</th>
              </tr>
            </thead>
            <tbody>
              {records.data.map((record) => (
                <tr key={record.id}>
                  <td data-label="When">{formatTime(record.at)}</td>
                  <th scope="row">{record.operation}</th>
                  <td data-label="Who">{record.actor}</td>
                  <td data-label="Transfer">
                    <a href={`/transfers/${record.customerId}/${record.transferId}`}>
                      {record.transferId.slice(0, 8)}…
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {records.data.length === MAX_RECORDS && (
            <p>Showing the first {MAX_RECORDS}; narrow the dates to see others.</p>
          )}
        </div>
      )}
    </section>
  );
}
