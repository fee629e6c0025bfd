// A transfer's status in words with a colour that is never the only signal, and its progress as a bar and text.
import type { TransferProgress, TransferStatus } from '@partner-transfers/client';
import { STATUS_WORDS } from '../format.ts';

export function StatusBadge(props: { status: TransferStatus }) {
  return <span class={`badge status-${props.status}`}>{STATUS_WORDS[props.status]}</span>;
}

export function progressText(progress: TransferProgress): string {
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : '';
  return `${progress.moved} of ${progress.total} moved${failed}`;
}

export function ProgressBar(props: { progress: TransferProgress; label: string }) {
  const { moved, failed, total } = props.progress;
  return (
    <div class="progress">
      <progress max={Math.max(total, 1)} value={moved + failed} aria-label={props.label} />
      <span>{progressText(props.progress)}</span>
    </div>
  );
}
