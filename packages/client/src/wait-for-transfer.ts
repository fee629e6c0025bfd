// Polls a transfer until it reaches the status the caller waits for or a terminal one (terminal states never
// change), with a growing, jittered interval; reports every change of status or progress on the way.
import { sleep } from './retry-policy.ts';
import { isTerminalTransferStatus, type Transfer, type TransferStatus } from './types.ts';

export interface WaitForTransferOptions {
  /** `terminal` (default), one status, or several: resolves once the transfer is in one of them or terminal. */
  until?: 'terminal' | TransferStatus | readonly TransferStatus[];
  signal?: AbortSignal;
  /** Called with the transfer whenever its status or progress changed since the last poll (and on the first). */
  onProgress?: (transfer: Transfer) => void;
  /** First poll interval in milliseconds (default 500); it grows by half each poll up to maxIntervalMs. */
  intervalMs?: number;
  /** Largest poll interval (default 5000). */
  maxIntervalMs?: number;
}

function fingerprint(transfer: Transfer): string {
  const { moved, failed, total } = transfer.progress;
  return `${transfer.status}:${moved}:${failed}:${total}`;
}

export async function waitForTransferStatus(
  readTransfer: (signal: AbortSignal | undefined) => Promise<Transfer>,
  options: WaitForTransferOptions = {},
): Promise<Transfer> {
  const until = options.until ?? 'terminal';
  const wanted: readonly TransferStatus[] =
    until === 'terminal' ? [] : typeof until === 'string' ? [until] : until;
  const maxIntervalMs = options.maxIntervalMs ?? 5000;
  let intervalMs = Math.min(options.intervalMs ?? 500, maxIntervalMs);
  let last: string | undefined;
  for (;;) {
    const transfer = await readTransfer(options.signal);
    const current = fingerprint(transfer);
    if (current !== last) options.onProgress?.(transfer);
    last = current;
    if (wanted.includes(transfer.status) || isTerminalTransferStatus(transfer.status)) return transfer;
    await sleep(intervalMs * (0.75 + Math.random() * 0.5), options.signal);
    intervalMs = Math.min(maxIntervalMs, intervalMs * 1.5);
  }
}
