// Where the local cloud keeps what must outlive a run: the signing key (so tokens stay valid) and, with --data,
// the DynamoDB files.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const localCloudHome = (env: NodeJS.ProcessEnv = process.env): string =>
  resolve(env.LOCAL_CLOUD_HOME ?? resolve(REPOSITORY_ROOT, '.local-cloud'));

export const signingKeyFile = (env: NodeJS.ProcessEnv = process.env): string =>
  resolve(localCloudHome(env), 'signing-key.json');
