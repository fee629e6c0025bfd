// `npm start`: runs the whole service on this machine and prints where to reach it.
import '#local/polyfills.ts';
import { resolve } from 'node:path';
import { type LocalCloudCliOptions, parseCliOptions, USAGE } from './cli-options.ts';
import { LOCAL_ISSUER } from './identity.ts';
import { PortInUseError } from './listen.ts';
import { type LocalCloud, startLocalCloud } from './local-cloud.ts';
import { localCloudHome } from './paths.ts';
import { SANDBOX_CUSTOMERS, SANDBOX_TENANTS, SANDBOX_USERS } from './sandbox.ts';

async function printBanner(cloud: LocalCloud, options: LocalCloudCliOptions): Promise<void> {
  const { data: dataDir, moveFaults, trustedConsoleOrigins } = options;
  const fabrikamAdmin = SANDBOX_USERS.find(
    (u) => u.tenantId === SANDBOX_TENANTS.fabrikam && u.role === 'AdminAgent',
  );
  const token = fabrikamAdmin
    ? await cloud.identity.signToken({
        tenantId: fabrikamAdmin.tenantId,
        userId: fabrikamAdmin.userId,
        roles: ['AdminAgent'],
      })
    : '';
  const lines: string[] = [];
  lines.push('', 'partner-transfers local cloud is running', '');
  lines.push(`  Start here: the partner console  ${cloud.urls.console}`);
  lines.push(
    '  (sign in by picking a sandbox user, e.g. "Fabrikam Direct admin"; Ctrl-C stops everything)',
    '',
  );
  lines.push(`  API (REST, like API Gateway)  ${cloud.urls.api}/v1`);
  lines.push(`  Sent mail (SES)               ${cloud.urls.mailPage}   (JSON: ${cloud.urls.ses}/store)`);
  lines.push(`  OpenID provider               ${cloud.urls.identity}   (issuer ${LOCAL_ISSUER})`);
  if (trustedConsoleOrigins.length > 0) {
    lines.push(`  Consoles also signing in here ${trustedConsoleOrigins.join(', ')}`);
  }
  lines.push(`  DynamoDB endpoint             ${cloud.urls.dynamodb}   (table ${cloud.tableName})`);
  lines.push(`  Step Functions endpoint       ${cloud.urls.stepfunctions}`);
  lines.push(`  State machine                 ${cloud.stateMachineArn}`);
  lines.push(`  JWKS                          ${cloud.urls.jwks}`);
  lines.push(
    `  Events (EventBridge/SQS)      ${cloud.urls.events}   (webhooks: POST /v1/webhooks, http://127.0.0.1 allowed here)`,
  );
  lines.push(
    `  Data                          ${dataDir ? `kept in ${dataDir}` : 'in memory (use --data <dir> to keep it)'}`,
  );
  lines.push(
    `  Line-item move faults         ${moveFaults?.trim() ? moveFaults : 'none (see --move-faults in --help)'}`,
  );
  lines.push(
    '',
    'Calling the API yourself, as the Fabrikam admin (other users: npm run token -- --tenant contoso --role SalesAgent):',
  );
  lines.push(`  TOKEN=${token}`);
  lines.push(`  curl -s ${cloud.urls.api}/v1/partner -H "Authorization: Bearer $TOKEN"`);
  lines.push(
    `  curl -s -X POST ${cloud.urls.api}/v1/customers/${SANDBOX_CUSTOMERS.woodgrove}/transfers -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"sourcePartnerTenantId":"${SANDBOX_TENANTS.contoso}","sourcePartnerName":"Contoso Direct","customerEmailId":"it@woodgrove.example","transferType":3}'`,
  );
  lines.push('', 'Press Ctrl-C to stop.', '');
  console.log(lines.join('\n'));
}

/** Imported only here: a start given a built console (--console-dir) never loads vite. */
async function buildConsoleAtStart(): Promise<string> {
  console.log('Building the partner console (vite)…');
  const { buildConsole } = await import('#console/build.ts');
  return buildConsole(resolve(localCloudHome(), 'console'));
}

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2), process.env);
  if (options === 'help') {
    console.log(USAGE);
    return;
  }
  const consoleDir = options.consoleDir ?? (await buildConsoleAtStart());
  const cloud = await startLocalCloud({ ...options, consoleDir, log: (line) => console.log(line) });
  await printBanner(cloud, options);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local cloud…`);
    cloud.close().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (
    error instanceof PortInUseError ||
    (error instanceof Error && error.message.startsWith('Invalid options'))
  ) {
    console.error(error.message);
  } else {
    console.error('The local cloud could not start:', error);
  }
  process.exit(1);
});
