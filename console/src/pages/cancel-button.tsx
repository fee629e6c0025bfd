// The target admin's Cancel, behind a confirmation. One MS-RequestId per confirmation: a double click or a retry
// of the same cancel never acts twice.
import { newRequestId, type Transfer } from '@partner-transfers/client';
import { useState } from 'preact/hooks';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorNotice } from '../components/error-notice.tsx';
import { useSession } from '../session.tsx';

export function CancelButton(props: { transfer: Transfer; onChanged(transfer: Transfer): void }) {
  const { client } = useSession();
  const [requestId, setRequestId] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const { transfer } = props;
  const confirm = () => {
    if (!requestId || busy) return;
    setBusy(true);
    setError(undefined);
    client
      .cancelTransfer(transfer.customerTenantId, transfer.id, { requestId })
      .then((canceled) => {
        setRequestId(undefined);
        props.onChanged(canceled);
      })
      .catch(setError)
      .finally(() => setBusy(false));
  };
  return (
    <div class="actions">
      <button type="button" class="danger" onClick={() => setRequestId(newRequestId())}>
        Cancel transfer
      </button>
      <ConfirmDialog
        open={requestId !== undefined}
        title="Cancel this transfer?"
        confirmLabel="Yes, cancel the transfer"
        busy={busy}
        onConfirm={confirm}
        onCancel={() => setRequestId(undefined)}
      >
        <p>
          {transfer.sourcePartnerName} will no longer be able to accept it, and nothing of{' '}
          {transfer.customerName ?? transfer.customerTenantId} will move. This cannot be undone.
        </p>
        {error !== undefined && <ErrorNotice error={error} title="The transfer was not canceled." />}
      </ConfirmDialog>
    </div>
  );
}
