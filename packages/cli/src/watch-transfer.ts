// transfers watch: follows a transfer to its end with a live bar of moved + failed out of total on a terminal, and a
// line per change otherwise (never with --json, whose stdout holds only the final transfer).
import { progress, spinner } from '@clack/prompts';
import type { PartnerTransfersClient, Transfer } from '@partner-transfers/client';
import type { Output } from './output.ts';

function describe(transfer: Transfer): string {
  const { moved, failed, total } = transfer.progress;
  return `${transfer.status}: ${moved} of ${total} moved${failed ? `, ${failed} failed` : ''}`;
}

export async function watchTransfer(
  client: PartnerTransfersClient,
  customerId: string,
  transferId: string,
  intervalMs: number,
  output: Output,
): Promise<Transfer> {
  const live = output.interactive && Boolean(process.stderr.isTTY);
  // A spinner while no line item is known yet (Active, nothing accepted), then a bar of moved + failed of total.
  let waiting: ReturnType<typeof spinner> | undefined;
  let bar: ReturnType<typeof progress> | undefined;
  let shown = 0;
  const onProgress = (transfer: Transfer) => {
    const { moved, failed, total } = transfer.progress;
    if (!live) {
      output.note(describe(transfer));
      return;
    }
    if (total === 0 && !bar) {
      if (!waiting) {
        waiting = spinner({ output: process.stderr });
        waiting.start(describe(transfer));
      } else waiting.message(describe(transfer));
      return;
    }
    waiting?.stop(`${transfer.status}: ${total} line item(s) to move`);
    waiting = undefined;
    if (!bar) {
      bar = progress({ max: total, output: process.stderr });
      bar.start(describe(transfer));
    }
    bar.advance(moved + failed - shown, describe(transfer));
    shown = moved + failed;
  };
  const transfer = await client.waitForTransfer(customerId, transferId, {
    onProgress,
    intervalMs,
    maxIntervalMs: Math.max(intervalMs, 5000),
  });
  const indicator = bar ?? waiting;
  if (transfer.status === 'Complete') indicator?.stop(describe(transfer));
  else indicator?.error(describe(transfer));
  return transfer;
}
