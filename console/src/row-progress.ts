// "n of m moved" for listing rows. Summaries carry the line-item count, not the per-item outcome: a transfer that
// is moving or finished with errors is read in full for its progress; for the others the status alone tells it.
import type { TransferProgress, TransferSummary } from '@partner-transfers/client';
import { useEffect, useState } from 'preact/hooks';
import { progressText } from './components/status.tsx';
import { useSession } from './session.tsx';

const NEEDS_DETAIL = new Set(['InProgress', 'CompletedWithErrors']);

export function useRowProgress(
  rows: readonly TransferSummary[] | undefined,
): (row: TransferSummary) => string {
  const { client } = useSession();
  const [details, setDetails] = useState<Record<string, TransferProgress>>({});
  useEffect(() => {
    let current = true;
    for (const row of rows ?? []) {
      if (!NEEDS_DETAIL.has(row.status)) continue;
      client.getTransfer(row.customerTenantId, row.id).then(
        (transfer) => current && setDetails((known) => ({ ...known, [row.id]: transfer.progress })),
        () => undefined,
      );
    }
    return () => {
      current = false;
    };
  }, [rows, client]);
  return (row) => {
    const known = details[row.id];
    if (known) return progressText(known);
    const total = row.lineItemCount;
    if (NEEDS_DETAIL.has(row.status)) return `${total} item(s)`;
    return progressText({ moved: row.status === 'Complete' ? total : 0, failed: 0, total });
  };
}
