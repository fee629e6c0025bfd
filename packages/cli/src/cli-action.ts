// Runs a command's action with its Output and turns whatever it throws into a clear message and an exit code:
// API errors with their code, details and correlation id, unreachable APIs with what to check, usage errors as 2.
import { ApiError, ApiUnreachableError } from '@partner-transfers/client';
import type { Command } from 'commander';
import { CliError, EXIT } from './exit-codes.ts';
import { createOutput, type Output } from './output.ts';

const HINTS: Record<string, string> = {
  Unauthorized: 'Sign in again: partner-transfers login',
  AdminAgentRequired: 'Only admin agents may do this: sign in as an AdminAgent.',
  TransferNotFound: 'Check the transfer id; you see only transfers your partner is a party to.',
  TransferNotActive: 'The transfer is no longer Active: see partner-transfers transfers show <id>.',
  RequestIdReused:
    'The same request id was used for a different request: change the row or the --request-id.',
};

function errorReport(error: unknown): { exitCode: number; lines: string[]; json: Record<string, unknown> } {
  if (error instanceof ApiError) {
    const exitCode =
      error.status === 401 ? EXIT.unauthenticated : error.status >= 500 ? EXIT.unavailable : EXIT.refused;
    const details = error.details.map((detail) =>
      detail.field ? `  ${detail.field}: ${detail.description}` : `  ${detail.code}: ${detail.description}`,
    );
    const hint = HINTS[error.code] ?? (error.status === 401 ? HINTS.Unauthorized : undefined);
    return {
      exitCode,
      lines: [
        `${error.code}: ${error.description} (HTTP ${error.status})`,
        ...details,
        ...(hint ? [hint] : []),
        ...(error.correlationId ? [`correlation id: ${error.correlationId}`] : []),
      ],
      json: {
        code: error.code,
        description: error.description,
        details: error.details,
        status: error.status,
        correlationId: error.correlationId,
        requestId: error.requestId,
      },
    };
  }
  if (error instanceof ApiUnreachableError) {
    return {
      exitCode: EXIT.unavailable,
      lines: [error.message, 'Is the API running at that address? (locally: npm start)'],
      json: { code: 'ApiUnreachable', description: error.message, correlationId: error.correlationId },
    };
  }
  if (error instanceof CliError) {
    return {
      exitCode: error.exitCode,
      lines: [error.message],
      json: { code: 'CliError', description: error.message },
    };
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return {
    exitCode: EXIT.unexpected,
    lines: [message],
    json: { code: 'Unexpected', description: String(error) },
  };
}

/** Prints the error for humans (stderr) or as `{ "error": … }` (stdout with --json); returns the exit code. */
export function reportError(error: unknown, output: Output): number {
  const report = errorReport(error);
  if (output.json) {
    process.stdout.write(`${JSON.stringify({ error: report.json }, null, 2)}\n`);
  } else {
    const [first, ...rest] = report.lines;
    process.stderr.write(`${output.colors.red(`✖ ${first}`)}\n`);
    for (const line of rest) process.stderr.write(`${output.colors.dim(line)}\n`);
  }
  return report.exitCode;
}

export function outputOf(command: Command): Output {
  return createOutput({ json: Boolean(command.optsWithGlobals().json) });
}

/** Runs `body` and sets process.exitCode from its result or its error. */
export async function runAction(command: Command, body: (output: Output) => Promise<number | undefined>) {
  const output = outputOf(command);
  try {
    process.exitCode = (await body(output)) ?? EXIT.ok;
  } catch (error) {
    process.exitCode = reportError(error, output);
  }
}
