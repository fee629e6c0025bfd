// Which subscriptions an accept moves: the ones named with --subscription, every eligible one with --all-eligible,
// or, on a terminal, a checklist of the eligible ones with the reasons the others cannot move.
import { isCancel, multiselect, note } from '@clack/prompts';
import type { PartnerTransfersClient } from '@partner-transfers/client';
import { CliError, EXIT } from './exit-codes.ts';
import type { Output } from './output.ts';

export interface SubscriptionChoice {
  subscription?: string[];
  allEligible?: boolean;
}

export async function eligibleSubscriptions(
  client: PartnerTransfersClient,
  customerId: string,
  transferId: string,
) {
  const transfer = await client.getTransfer(customerId, transferId);
  const productTypes = transfer.targetProductTypes ?? undefined;
  const entries = await client
    .listEligibility(customerId, productTypes ? { targetProductTypes: productTypes } : {})
    .toArray();
  return {
    transfer,
    eligible: entries.filter((entry) => entry.eligible),
    refused: entries.filter((entry) => !entry.eligible),
  };
}

export async function chooseSubscriptions(
  client: PartnerTransfersClient,
  customerId: string,
  transferId: string,
  choice: SubscriptionChoice,
  output: Output,
): Promise<string[]> {
  if (choice.subscription?.length && choice.allEligible) {
    throw new CliError('Use either --subscription or --all-eligible, not both.', EXIT.usage);
  }
  if (choice.subscription?.length) return choice.subscription;
  if (!choice.allEligible && !output.interactive) {
    throw new CliError(
      'Name the subscriptions to move with --subscription <id> (repeatable) or --all-eligible ' +
        '(the checklist needs a terminal).',
      EXIT.usage,
    );
  }
  const { eligible, refused } = await eligibleSubscriptions(client, customerId, transferId);
  if (eligible.length === 0) {
    throw new CliError(
      `No subscription of customer ${customerId} can move now${refused.length ? ` (${refused.length} refused: see partner-transfers eligibility ${customerId})` : ''}.`,
      EXIT.refused,
    );
  }
  if (choice.allEligible) return eligible.map((entry) => entry.subscriptionId);

  if (refused.length > 0) {
    note(
      refused
        .map(
          (entry) =>
            `${entry.friendlyName} (${entry.productType}): ${entry.errors.map((error) => error.description).join('; ')}`,
        )
        .join('\n'),
      'Cannot move',
    );
  }
  const picked = await multiselect({
    message: `Subscriptions to move (space to select, enter to accept)`,
    options: eligible.map((entry) => ({
      value: entry.subscriptionId,
      label: entry.friendlyName,
      hint: `${entry.productType}, quantity ${entry.quantity}`,
    })),
    required: true,
  });
  if (isCancel(picked)) throw new CliError('Canceled: nothing was accepted.', EXIT.interrupted);
  return picked;
}
