// How many executions of the transfer workflow still run: the campaign's final checks wait for none, so that every
// transfer's workflow had its turn (audit entries and completion emails come after the terminal status).
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, LOCAL_STATE_MACHINE_NAME } from '#local/local-cloud.ts';
import { stateMachineArn } from '#local/stepfunctions/arns.ts';

export function runningExecutions(endpoint: string) {
  const client = new SFNClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
  const machine = stateMachineArn(
    { region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID },
    LOCAL_STATE_MACHINE_NAME,
  );
  return {
    /** Running executions now (an unreachable endpoint counts as one: it is restarting). */
    async running(): Promise<number> {
      let count = 0;
      let nextToken: string | undefined;
      try {
        do {
          const page = await client.send(
            new ListExecutionsCommand({ stateMachineArn: machine, statusFilter: 'RUNNING', nextToken }),
          );
          count += page.executions?.length ?? 0;
          nextToken = page.nextToken;
        } while (nextToken);
      } catch {
        return Math.max(count, 1);
      }
      return count;
    },
    close: () => client.destroy(),
  };
}
