// The partner console in real headless Chromium against the local cloud, through the UI alone: sign-in via the
// local OpenID provider, create, accept with eligibility, live progress to Complete, cancel, role-appropriate
// buttons, refusals next to their field, session expiry, network loss; axe-core and a screenshot on every screen.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_TENANTS } from '#local/sandbox.ts';
import { type ConsoleHarness, checkScreen, startConsoleHarness, tabTo } from './support/console-harness.ts';
import type { PageGlobals } from './support/page-globals.ts';

let harness: ConsoleHarness;

beforeAll(async () => {
  harness = await startConsoleHarness();
}, 600_000);

afterAll(async () => {
  await harness?.stop();
});

const SOURCE_PARTNER = 'Partner that bills the customer today';

/** Fills in and submits the new-transfer form, the source picked from the customer's other partners. */
async function createTransfer(
  page: Page,
  form: { customer: string; sourcePartner: string; productTypes?: string[] },
): Promise<void> {
  await page.getByRole('link', { name: 'New transfer' }).first().click();
  await page.getByLabel('Customer', { exact: true }).selectOption({ label: form.customer });
  await page.getByLabel(SOURCE_PARTNER, { exact: true }).selectOption({ label: form.sourcePartner });
  await page.getByLabel("Customer's contact email (told about the transfer)").fill('it@woodgrove.example');
  for (const type of form.productTypes ?? []) await page.getByLabel(type).check();
  await page.getByRole('button', { name: 'Create transfer' }).click();
}

const transferPath = /\/transfers\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/;

/** Every file the browser may load (index.html, the hashed JS and CSS), gzipped as a CDN would serve them. */
async function gzippedBytes(dir: string): Promise<number> {
  const files = await readdir(dir, { recursive: true, withFileTypes: true });
  let total = 0;
  for (const file of files.filter((entry) => entry.isFile())) {
    total += gzipSync(await readFile(join(file.parentPath, file.name)), { level: 9 }).length;
  }
  return total;
}

it('the whole console is under 100 KiB gzipped (the bar is well under 200 KiB)', async () => {
  expect(await gzippedBytes(harness.consoleDir)).toBeLessThan(100 * 1024);
});

// Each test walks several screens in a real browser: minutes on a loaded 2-core machine, never a timing assertion.
describe('partner console', { timeout: 240_000 }, () => {
  it('the whole story: target creates, source accepts two eligible subscriptions, progress reaches Complete', async () => {
    const writes: Request[] = [];
    const target = await harness.signedIn('Fabrikam Direct admin', '/transfers?direction=outgoing');
    const recordWrites = (request: Request) => {
      if (
        ['POST', 'PATCH', 'DELETE'].includes(request.method()) &&
        request.url().startsWith(harness.cloud.urls.api)
      ) {
        writes.push(request);
      }
    };
    target.on('request', recordWrites);
    await expect.poll(() => target.getByRole('heading', { level: 1 }).textContent()).toContain('Outbox');
    await checkScreen(target, 'outbox');

    await target.getByRole('link', { name: 'New transfer' }).first().click();
    await target.getByLabel('Customer', { exact: true }).selectOption({ label: 'Woodgrove Bank' });
    await target
      .getByLabel(SOURCE_PARTNER, { exact: true })
      .selectOption({ label: 'Contoso Direct (direct bill)' });
    await checkScreen(target, 'new-transfer');
    await target.getByRole('link', { name: 'Outbox', exact: true }).click();
    await createTransfer(target, {
      customer: 'Woodgrove Bank',
      sourcePartner: 'Contoso Direct (direct bill)',
    });
    await target.waitForURL(transferPath);
    const path = new URL(target.url()).pathname;
    await expect
      .poll(() => target.getByRole('heading', { level: 1 }).textContent())
      .toBe('Transfer of Woodgrove Bank');
    await expect.poll(() => target.getByText('Waiting for the source').first().isVisible()).toBe(true);

    const source = await harness.signedIn('Contoso Direct admin', '/transfers?direction=incoming');
    source.on('request', recordWrites);
    await checkScreen(source, 'inbox');
    await source.getByRole('link', { name: 'Woodgrove Bank' }).first().click();
    await source.waitForURL(`${harness.cloud.urls.console}${path}`);
    const eligibility = source.getByRole('table', { name: /whether each can move/ });
    await expect
      .poll(() => eligibility.getByText(/one-time purchase with nothing left to bill/).count())
      .toBeGreaterThan(0);
    await checkScreen(source, 'transfer-accept');
    // On a 360 px phone the table becomes cards: nothing scrolls sideways, every reason stays in view.
    await source.setViewportSize({ width: 360, height: 740 });
    expect(
      await source.evaluate(
        () => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth,
      ),
    ).toBeLessThanOrEqual(360);
    const reason = await eligibility.getByText(/one-time purchase with nothing left to bill/).boundingBox();
    expect(reason && reason.x + reason.width).toBeLessThanOrEqual(360);
    await checkScreen(source, 'transfer-accept-360px');
    await source.setViewportSize({ width: 1280, height: 800 });
    await source.getByLabel('Azure plan', { exact: true }).check();
    await source.getByLabel('Microsoft 365 E3', { exact: true }).check();
    await source.getByRole('button', { name: 'Accept and move 2 subscriptions' }).click();
    const dialog = source.getByRole('dialog', { name: 'Accept this transfer?' });
    await expect
      .poll(() => dialog.getByRole('listitem').allTextContents())
      .toEqual(['Azure plan: 1 of 1', 'Microsoft 365 E3: 10 of 10']);
    await checkScreen(source, 'transfer-accept-confirm');
    await dialog.getByRole('button', { name: 'Yes, accept and move them' }).click();
    await expect.poll(() => source.getByText('2 of 2 moved').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect
      .poll(() => source.locator('.page-head .badge').textContent(), { timeout: 30_000 })
      .toBe('Complete');
    expect(await source.getByRole('button', { name: /Accept/ }).count()).toBe(0);
    await checkScreen(source, 'transfer-complete');

    // The target's page, left open, follows by itself; then the subscriptions are billed by the target.
    await expect
      .poll(() => target.locator('.page-head .badge').textContent(), { timeout: 40_000 })
      .toBe('Complete');
    await target.getByRole('link', { name: /Subscriptions of Woodgrove Bank/ }).click();
    const rows = target.getByRole('row');
    await expect
      .poll(() => rows.filter({ hasText: 'Azure plan' }).textContent())
      .toContain('Fabrikam Direct');
    await expect
      .poll(() => rows.filter({ hasText: 'Microsoft 365 E3' }).textContent())
      .toContain('Fabrikam Direct');
    await checkScreen(target, 'subscriptions');

    await source.getByRole('link', { name: 'Audit log' }).click();
    await expect
      .poll(() => source.getByRole('table', { name: 'Audit records' }).textContent())
      .toContain('Accept');
    await checkScreen(source, 'audit-log');

    // Every write carried an MS-RequestId, so a retry or a double click acts once.
    expect(writes.map((request) => request.method())).toEqual(['POST', 'PATCH']);
    for (const request of writes)
      expect(await request.headerValue('ms-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('the target cancels with the keyboard alone; the source then sees it canceled and no Accept', async () => {
    const target = await harness.signedIn('Adatum Provider admin', '/transfers?direction=outgoing');
    await createTransfer(target, {
      customer: 'Woodgrove Bank',
      sourcePartner: 'Contoso Direct (direct bill)',
    });
    await target.waitForURL(transferPath);
    const path = new URL(target.url()).pathname;
    await expect.poll(() => target.getByRole('button', { name: 'Cancel transfer' }).isVisible()).toBe(true);
    await checkScreen(target, 'transfer-active-target');

    await tabTo(target, 'Cancel transfer');
    await target.keyboard.press('Enter');
    const dialog = target.getByRole('dialog', { name: 'Cancel this transfer?' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await checkScreen(target, 'transfer-cancel-confirm');
    await tabTo(target, 'Yes, cancel the transfer', 5);
    await target.keyboard.press('Enter');
    await expect.poll(() => target.locator('.page-head .badge').textContent()).toBe('Canceled');

    const source = await harness.signedIn('Contoso Direct admin', path);
    await expect.poll(() => source.locator('.page-head .badge').textContent()).toBe('Canceled');
    expect(await source.getByRole('button', { name: /Accept/ }).count()).toBe(0);
    expect(await source.getByRole('button', { name: 'Cancel transfer' }).count()).toBe(0);
  });

  it('a sales agent sees no write buttons; an outsider opening the transfer URL sees "not found"', async () => {
    const admin = await harness.signedIn('Fabrikam Direct admin', '/transfers?direction=outgoing');
    await createTransfer(admin, {
      customer: 'Woodgrove Bank',
      sourcePartner: 'Contoso Direct (direct bill)',
      productTypes: ['Azure reservation'],
    });
    await admin.waitForURL(transferPath);
    const path = new URL(admin.url()).pathname;

    const sales = await harness.signedIn('Contoso Direct sales', path);
    await expect
      .poll(() => sales.getByRole('heading', { level: 1 }).textContent())
      .toBe('Transfer of Woodgrove Bank');
    await expect
      .poll(() => sales.getByText('An admin agent of Contoso Direct can accept').isVisible())
      .toBe(true);
    expect(await sales.getByRole('button', { name: /Accept|Cancel transfer/ }).count()).toBe(0);
    expect(await sales.getByRole('link', { name: 'New transfer' }).count()).toBe(0);
    await checkScreen(sales, 'transfer-sales-agent');

    const outsider = await harness.signedIn('Tailspin Direct admin', path);
    await expect
      .poll(() => outsider.getByRole('heading', { level: 1 }).textContent())
      .toBe('Transfer not found');
    await checkScreen(outsider, 'transfer-not-found');
  });

  it("shows the API's refusal in words next to the field it concerns, with the correlation id to copy", async () => {
    const page = await harness.signedIn('Fabrikam Direct admin', '/transfers/new');
    await page.getByLabel('Customer', { exact: true }).selectOption({ label: 'Alpine Ski House' });
    // The customer's other partners, by name, Fabrikam itself left out; a reseller cannot bill, so the API refuses it.
    const sources = page.getByLabel(SOURCE_PARTNER, { exact: true });
    await sources.selectOption({ label: 'Litware Reseller (indirect reseller)' });
    expect(await sources.locator('option').allTextContents()).toEqual([
      'Choose a partner',
      'Adatum Provider (indirect provider)',
      'Contoso Direct (direct bill, relationship pending)',
      'Litware Reseller (indirect reseller)',
      'Northwind Provider (indirect provider)',
      'Another partner…',
    ]);
    await page
      .getByLabel("Customer's contact email (told about the transfer)")
      .fill('billing@alpine.example');
    await page.getByRole('button', { name: 'Create transfer' }).click();
    await expect.poll(() => sources.getAttribute('aria-invalid')).toBe('true');
    const message = page.locator('#sourcePartnerTenantId-error');
    expect(await message.textContent()).toContain('name its indirect provider as the source partner');
    expect(await sources.getAttribute('aria-describedby')).toBe('sourcePartnerTenantId-error');
    expect(await page.locator('#customer-error').count()).toBe(0);
    expect(await page.getByText(/Correlation id for support/).textContent()).toMatch(/[0-9a-f-]{36}/);
    await checkScreen(page, 'new-transfer-refused');

    // A partner the list does not show is typed in: "Another partner…" reveals its tenant id and name.
    await sources.selectOption({ label: 'Another partner…' });
    const tenantId = page.getByLabel('Tenant id of the partner that bills the customer today');
    await tenantId.fill(SANDBOX_TENANTS.litware);
    await page.getByLabel('Name of that partner').fill('Litware Reseller');
    await page.getByRole('button', { name: 'Create transfer' }).click();
    await expect.poll(() => tenantId.getAttribute('aria-invalid')).toBe('true');
    expect(await message.textContent()).toContain('name its indirect provider as the source partner');
    expect(await sources.getAttribute('aria-invalid')).toBeNull();
    // On a 360 px phone the form fits: nothing scrolls sideways.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(360);
    await checkScreen(page, 'new-transfer-another-partner-360px');
  });

  it('sign-in screens, a 360 px phone, an expired session and a lost network', async () => {
    const context = await harness.browser.newContext({
      viewport: { width: 360, height: 740 },
      bypassCSP: true,
    });
    const page = await context.newPage();
    await page.goto(`${harness.cloud.urls.console}/transfers?direction=incoming`);
    await checkScreen(page, 'sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Sign in to the partner console' }).waitFor();
    await checkScreen(page, 'identity-provider-login');
    await page.getByRole('button', { name: /^Northwind Provider admin \(/ }).click();
    await page.waitForURL(`${harness.cloud.urls.console}/transfers?direction=incoming`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(
      await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(360);
    await checkScreen(page, 'inbox-360px');

    // Network loss: a readable message and a retry that works once the network is back.
    await page.route(`${harness.cloud.urls.api}/**`, (route) => route.abort('internetdisconnected'));
    await page.goto(`${harness.cloud.urls.console}/audit`);
    await expect
      .poll(() => page.getByText('The service cannot be reached.').isVisible(), { timeout: 30_000 })
      .toBe(true);
    await checkScreen(page, 'network-lost');
    await page.unroute(`${harness.cloud.urls.api}/**`);
    await page.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Audit log' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('The service cannot be reached.').count()).toBe(0);

    // An expired or revoked token: the API answers 401 and the console sends the user to sign in again.
    await page.evaluate(() => {
      const { sessionStorage } = globalThis as unknown as PageGlobals;
      for (const key of Object.keys(sessionStorage)) {
        if (!key.startsWith('oidc.user:')) continue;
        const user = JSON.parse(sessionStorage.getItem(key) ?? '{}') as { access_token?: string };
        user.access_token = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.invalid';
        sessionStorage.setItem(key, JSON.stringify(user));
      }
    });
    // (The provider still knows the user, so it hands out a fresh token without asking again.)
    const backToSignIn = page.waitForRequest((request) =>
      request.url().startsWith(`${harness.cloud.urls.identity}/auth`),
    );
    await page.goto(`${harness.cloud.urls.console}/audit`);
    await backToSignIn;
    await page.waitForURL(`${harness.cloud.urls.console}/audit`);
    await expect.poll(() => page.getByRole('heading', { name: 'Audit log' }).isVisible()).toBe(true);

    // Sign-out clears the tokens: the console asks to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(
      await page.evaluate(() =>
        Object.keys((globalThis as unknown as PageGlobals).sessionStorage).filter((key) =>
          key.startsWith('oidc.user:'),
        ),
      ),
    ).toEqual([]);
    await context.close();
  });
});
