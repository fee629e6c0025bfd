// Starts the embedded local cloud for a test file: random free ports, a throwaway signing key, retries without
// pauses. Tests then talk to it over HTTP and the AWS SDK, like a partner system or an operator would.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role } from '#domain/model.ts';
import {
  ephemeralLocalCloudOptions,
  type LocalCloud,
  type LocalCloudOptions,
  startLocalCloud,
} from '#local/local-cloud.ts';

export interface TestCloud extends LocalCloud {
  /** The throwaway key that signs this cloud's tokens (for `partner-transfers login --signing-key`). */
  signingKeyFile: string;
  tokenFor(tenantId: string, role?: Role, userId?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestCloud(overrides: Partial<LocalCloudOptions> = {}): Promise<TestCloud> {
  const home = await mkdtemp(join(tmpdir(), 'partner-transfers-test-'));
  const signingKeyFile = join(home, 'signing-key.json');
  const cloud = await startLocalCloud({
    ...ephemeralLocalCloudOptions(signingKeyFile),
    retryIntervalOverrideMs: 0,
    ...overrides,
  });
  return {
    ...cloud,
    signingKeyFile,
    tokenFor: (tenantId, role = 'AdminAgent', userId = `${role}-user`) =>
      cloud.identity.signToken({ tenantId, userId, roles: [role] }),
    async stop() {
      await cloud.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}

export const LOCAL_SDK_SETTINGS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
};
