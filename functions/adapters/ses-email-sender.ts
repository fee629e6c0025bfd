// Email out through SES v1 SendEmail (the message is rendered in code: SES v2 is not in LocalStack's free tier and
// the local emulator never answers v1 template calls). SES calls live here only.
//
// Every request has a timeout: aws-ses-v2-local hangs on calls it does not support, and a Lambda must never wait on a
// stuck connection. The SDK does not retry (a lost answer retried would send twice); the notifier retries refusals
// (throttling, 5xx) and never a send whose answer was lost (`outcomeUnknown`).
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';

export interface EmailMessage {
  /** One recipient per message: each email is tracked (sent at most once) per recipient. */
  to: string;
  subject: string;
  html: string;
  text: string;
}

export interface EmailSender {
  /** Throws EmailSendError. */
  send(message: EmailMessage): Promise<{ messageId?: string }>;
}

/** A failed send; `retryable` says whether the same send may succeed later (throttling, timeouts, 5xx). */
export class EmailSendError extends Error {
  override readonly name = 'EmailSendError';
  readonly retryable: boolean;
  readonly errorCode: string;
  /** No answer came back (timeout, dropped connection): SES may have sent it. Never retried. */
  readonly outcomeUnknown: boolean;

  constructor(
    message: string,
    options: { retryable: boolean; errorCode: string; outcomeUnknown?: boolean; cause?: unknown },
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.outcomeUnknown = options.outcomeUnknown ?? false;
    this.retryable = options.retryable && !this.outcomeUnknown;
    this.errorCode = options.errorCode;
  }
}

/** SES error names that no retry can cure. */
const PERMANENT_SES_ERRORS = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'ConfigurationSetDoesNotExistException',
  'ConfigurationSetSendingPausedException',
  'AccountSendingPausedException',
  'InvalidParameterValue',
  'ValidationError',
  'AccessDenied',
  'AccessDeniedException',
]);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/** A connection that broke or timed out after the request went out (ECONNREFUSED never reached SES). */
const NO_ANSWER_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);
function sentWithoutAnswer(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || (typeof code === 'string' && NO_ANSWER_CODES.has(code));
}

export function toEmailSendError(error: unknown): EmailSendError {
  if (error instanceof EmailSendError) return error;
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? (error as SdkErrorShape) : {};
  const errorCode = typeof shape.name === 'string' ? shape.name : 'UnknownError';
  const message = typeof shape.message === 'string' && shape.message !== '' ? shape.message : String(error);
  const status = shape.$metadata?.httpStatusCode;
  const clientError = status !== undefined && status >= 400 && status < 500 && status !== 429;
  const retryable = !PERMANENT_SES_ERRORS.has(errorCode) && !(clientError && errorCode !== 'Throttling');
  // An SDK error without an HTTP status never got an answer: the request may have been processed.
  const outcomeUnknown = status === undefined && sentWithoutAnswer(error);
  return new EmailSendError(`SES SendEmail failed (${errorCode}): ${message}`, {
    retryable,
    errorCode,
    outcomeUnknown,
    cause: error,
  });
}

export interface SesEmailSenderSettings {
  /** The verified sender address (SES_SENDER_ADDRESS). */
  sender: string;
  client?: SESClient;
  /** Whole request. Default 5 s. */
  requestTimeoutMs?: number;
  /** TCP connect. Default 2 s. */
  connectionTimeoutMs?: number;
  /**
   * SDK attempts including the first. Default 1: the SDK would also retry a send whose answer was lost (and send the
   * email twice); the notifier retries what SES refused itself.
   */
  maxAttempts?: number;
  region?: string;
  /** Only for tests and tools; handlers rely on AWS_ENDPOINT_URL_SES / AWS_ENDPOINT_URL. */
  endpoint?: string;
}

export function createSesClient(settings: Omit<SesEmailSenderSettings, 'sender' | 'client'> = {}): SESClient {
  return new SESClient({
    ...(settings.region === undefined ? {} : { region: settings.region }),
    ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
    maxAttempts: settings.maxAttempts ?? 1,
    requestHandler: {
      requestTimeout: settings.requestTimeoutMs ?? 5_000,
      connectionTimeout: settings.connectionTimeoutMs ?? 2_000,
      throwOnRequestTimeout: true,
    },
  });
}

export function createSesEmailSender(settings: SesEmailSenderSettings): EmailSender {
  const client = settings.client ?? createSesClient(settings);
  return {
    async send(message) {
      try {
        const output = await client.send(
          new SendEmailCommand({
            Source: settings.sender,
            Destination: { ToAddresses: [message.to] },
            Message: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: message.html, Charset: 'UTF-8' },
                Text: { Data: message.text, Charset: 'UTF-8' },
              },
            },
          }),
        );
        return output.MessageId === undefined ? {} : { messageId: output.MessageId };
      } catch (error) {
        throw toEmailSendError(error);
      }
    },
  };
}
