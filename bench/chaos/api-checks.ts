// The invariants seen from the API, as a partner sees them: every acknowledged transfer can be read, a terminal state
// read from the table is what the API shows, and replaying an acknowledged write with its MS-RequestId returns the
// first answer (invariant 5).
import { isDeepStrictEqual } from 'node:util';
import type { PartnerTransfersClient } from '@partner-transfers/client';
import type { CheckTally, Violation } from './invariants.ts';
import type { Random } from './random.ts';
import type { TableSnapshot } from './table-snapshot.ts';
import type { AcknowledgedWrite, PartnerRole, WriteAnswer } from './workload.ts';

function replay(
  clients: Record<PartnerRole, PartnerTransfersClient>,
  write: AcknowledgedWrite,
): Promise<WriteAnswer> {
  const client = clients[write.caller];
  const call = { requestId: write.requestId };
  switch (write.kind) {
    case 'create':
      return client.createTransfer(
        write.customerId,
        write.body as Parameters<typeof client.createTransfer>[1],
        call,
      );
    case 'set-items':
    case 'accept-in-one-call':
      return client.updateTransfer(
        write.customerId,
        write.transferId,
        write.body as Parameters<typeof client.updateTransfer>[2],
        call,
      );
    case 'submit':
      return client.submitTransfer(write.customerId, write.transferId, call);
    case 'cancel':
      return client.cancelTransfer(write.customerId, write.transferId, call);
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function apiChecks(
  clients: Record<PartnerRole, PartnerTransfersClient>,
  acknowledged: readonly AcknowledgedWrite[],
  terminalSeen: ReadonlyMap<string, string>,
) {
  const counts = { reads: 0, replays: 0 };

  async function readBack(write: AcknowledgedWrite, tally: { checks: number; violations: Violation[] }) {
    tally.checks += 1;
    counts.reads += 1;
    try {
      const transfer = await clients[write.caller].getTransfer(write.customerId, write.transferId);
      const terminal = terminalSeen.get(write.transferId);
      if (terminal !== undefined) {
        tally.checks += 1;
        if (transfer.status !== terminal)
          tally.violations.push({
            invariant: 3,
            message: `the table says ${terminal} (terminal) but the API shows ${transfer.status}`,
            transferId: write.transferId,
          });
      }
    } catch (error) {
      tally.violations.push({
        invariant: 5,
        message: `acknowledged ${write.kind} (step ${write.step}) but GET fails: ${describe(error)}`,
        transferId: write.transferId,
      });
    }
  }

  return {
    counts,
    /** After a restart: a few acknowledged transfers read back through the API. */
    async sample(random: Random, size: number): Promise<CheckTally> {
      const tally: CheckTally = { checks: 0, violations: [] };
      const creates = acknowledged.filter((write) => write.kind === 'create');
      for (let index = 0; index < Math.min(size, creates.length); index++)
        await readBack(creates[random.int(creates.length)] as AcknowledgedWrite, tally);
      return tally;
    },
    /** At the end: every acknowledged transfer read back, every acknowledged write replayed. */
    async full(snapshot: TableSnapshot): Promise<CheckTally> {
      const tally: CheckTally = { checks: 0, violations: [] };
      for (const write of acknowledged.filter((candidate) => candidate.kind === 'create')) {
        await readBack(write, tally);
        tally.checks += 1;
        if (!snapshot.headers.has(write.transferId))
          tally.violations.push({
            invariant: 5,
            message: 'acknowledged create not in the table',
            transferId: write.transferId,
          });
      }
      for (const write of acknowledged) {
        tally.checks += 1;
        counts.replays += 1;
        try {
          const again = await replay(clients, write);
          if (!isDeepStrictEqual(again, write.answer))
            tally.violations.push({
              invariant: 5,
              message: `replaying ${write.kind} (step ${write.step}, MS-RequestId ${write.requestId}) returned another answer`,
              transferId: write.transferId,
            });
        } catch (error) {
          tally.violations.push({
            invariant: 5,
            message: `replaying ${write.kind} (step ${write.step}, MS-RequestId ${write.requestId}) failed: ${describe(error)}`,
            transferId: write.transferId,
          });
        }
      }
      return tally;
    },
  };
}
