// Every failure as a person can read it: what went wrong in words, the MS-CorrelationId to copy for support,
// a retry when the network was the problem, and a new sign-in when the session ended (401).
import { ApiError, ApiUnreachableError } from '@partner-transfers/client';
import { useEffect, useState } from 'preact/hooks';
import { useSession } from '../session.tsx';

export function CopyableId(props: { label: string; value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard?.writeText(props.value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  };
  return (
    <p class="correlation">
      {props.label}: <code>{props.value}</code>{' '}
      <button type="button" class="link-button" onClick={copy}>
        {copied ? 'Copied' : 'Copy'}
      </button>
    </p>
  );
}

export function ErrorNotice(props: { error: unknown; onRetry?: () => void; title?: string }) {
  const { signInAgain } = useSession();
  const { error } = props;
  const expired = error instanceof ApiError && error.status === 401;
  useEffect(() => {
    if (expired) signInAgain();
  }, [expired, signInAgain]);
  if (expired) {
    return (
      <div class="notice" role="status">
        Your session has ended. Taking you to sign in again…
      </div>
    );
  }
  if (error instanceof ApiError) {
    return (
      <div class="notice error" role="alert">
        <p>
          <strong>{props.title ?? 'The service refused this.'}</strong> {error.description}
        </p>
        {error.details.length > 0 && (
          <ul>
            {error.details.map((detail) => (
              <li key={`${detail.field}-${detail.code}`}>{detail.description}</li>
            ))}
          </ul>
        )}
        {error.correlationId && <CopyableId label="Correlation id for support" value={error.correlationId} />}
        {props.onRetry && error.status >= 500 && (
          <button type="button" onClick={props.onRetry}>
            Try again
          </button>
        )}
      </div>
    );
  }
  const offline = error instanceof ApiUnreachableError || error instanceof TypeError;
  return (
    <div class="notice error" role="alert">
      <p>
        <strong>{offline ? 'The service cannot be reached.' : 'Something went wrong.'}</strong>{' '}
        {offline ? 'Check your network connection, then try again.' : String(error)}
      </p>
      {error instanceof ApiUnreachableError && error.correlationId && (
        <CopyableId label="Correlation id for support" value={error.correlationId} />
      )}
      {props.onRetry && (
        <button type="button" onClick={props.onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
