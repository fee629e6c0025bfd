// The CLI's exit codes: scripts branch on them, the README lists them, `--help` prints them.

export const EXIT = {
  ok: 0,
  /** A bug: an error nobody anticipated. */
  unexpected: 1,
  /** Wrong arguments or options, or a file that cannot be read. */
  usage: 2,
  /** Not signed in, or the token was refused: run `partner-transfers login`. */
  unauthenticated: 3,
  /** The API refused the request (4xx): the message names the code and what to change. */
  refused: 4,
  /** No answer from the API, or a server error, after the retries. */
  unavailable: 5,
  /** `transfers watch`: the transfer ended in a state other than Complete. */
  notComplete: 6,
  /** Bulk commands: at least one row failed (the others were done). */
  someRowsFailed: 7,
  /** `ops reconcile`: some transfers could not be repaired and need an operator. */
  needsOperator: 8,
  /** Interrupted at a prompt (Ctrl-C). */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  unexpected error (please report it with the output)
  2  usage error: wrong arguments, options or input file
  3  not signed in, or the token was refused: run \`partner-transfers login\`
  4  the API refused the request (its code and correlation id are printed)
  5  the API did not answer, or failed, after retries
  6  transfers watch: the transfer ended in a state other than Complete
  7  bulk: at least one row failed (the others were done; see the report)
  8  ops reconcile: some transfers need an operator
  130 interrupted at a prompt`;

/** An error whose message is meant for the user as it is, with the exit code to end with. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
