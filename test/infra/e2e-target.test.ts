// The e2e target switch: without E2E_API_URL the tests get a local cloud; with it, the deployed stack's URL and
// tokens from the environment, a command, or the local signing key (what a LocalStack stack trusts).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';
import { deployedTarget, startE2eTarget, tokenVariableNames } from '#test/support/target.ts';

const CONTOSO = SANDBOX_TENANTS.contoso;
const API = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/';

describe('e2e target', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'partner-transfers-target-'));
  });
  afterAll(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('is the local cloud when no deployed stack is configured', async () => {
    expect(deployedTarget({})).toBeUndefined();
    const target = await startE2eTarget({}, {});
    try {
      expect(target.kind).toBe('local');
      const response = await fetch(`${target.urls.api}/v1/health`);
      expect(response.status).toBe(200);
    } finally {
      await target.stop();
    }
  });

  it('takes the deployed URL without its trailing slash, and tokens from E2E_TOKEN_<TENANT>[_<ROLE>]', async () => {
    const target = deployedTarget({
      E2E_API_URL: API,
      E2E_TOKEN_CONTOSO_SALESAGENT: 'sales-token',
      [`E2E_TOKEN_${CONTOSO.toUpperCase().replaceAll('-', '_')}`]: 'any-role-token',
    });
    expect(target?.kind).toBe('deployed');
    expect(target?.urls.api).toBe(API.slice(0, -1));
    expect(await target?.tokenFor(CONTOSO, 'SalesAgent')).toBe('sales-token');
    expect(await target?.tokenFor(CONTOSO, 'AdminAgent')).toBe('any-role-token');
    expect(tokenVariableNames(CONTOSO, 'AdminAgent')[0]).toBe('E2E_TOKEN_CONTOSO_ADMINAGENT');
  });

  it('runs E2E_TOKEN_COMMAND with the tenant, role and user filled in', async () => {
    const target = deployedTarget({
      E2E_API_URL: API,
      PATH: process.env.PATH,
      E2E_TOKEN_COMMAND: 'echo "tok.{tenant}.{role}.{user}"',
    });
    expect(await target?.tokenFor(CONTOSO, 'HelpdeskAgent', 'u1')).toBe(`tok.${CONTOSO}.HelpdeskAgent.u1`);
  });

  it('signs with the local key when asked, and says which variables to set when it has no token', async () => {
    const signing = deployedTarget({
      E2E_API_URL: API,
      E2E_SIGN_WITH_LOCAL_KEY: '1',
      LOCAL_CLOUD_HOME: home,
    });
    const claims = decodeJwt((await signing?.tokenFor(CONTOSO, 'AdminAgent', 'admin-1')) ?? '');
    expect(claims).toMatchObject({ tid: CONTOSO, sub: 'admin-1', roles: ['AdminAgent'] });

    const without = deployedTarget({ E2E_API_URL: API });
    await expect(without?.tokenFor(CONTOSO)).rejects.toThrow(/E2E_TOKEN_CONTOSO_ADMINAGENT/);
    expect(() => without?.storage.transfers).toThrow(/E2E_TABLE_NAME/);
  });
});
