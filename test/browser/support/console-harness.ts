// What the browser tests share: a local cloud serving a freshly built console, Debian's Chromium, sign-in through
// the local OpenID provider's login page (the same Authorization Code + PKCE path the deployed console uses),
// an axe-core check, and a screenshot of each screen into test-artifacts/console/ (git-ignored).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import axe from 'axe-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildConsole } from '#console/build.ts';
import { REPOSITORY_ROOT } from '#local/paths.ts';
import { startTestCloud, type TestCloud } from '#test/support/local-cloud.ts';
import { launchChromium } from './chromium.ts';
import type { PageGlobals } from './page-globals.ts';

export const SCREENSHOT_DIR = resolve(REPOSITORY_ROOT, 'test-artifacts', 'console');

export interface ConsoleHarness {
  cloud: TestCloud;
  /** The folder vite built the console into for this run. */
  consoleDir: string;
  browser: Browser;
  /** A fresh browser (own session storage) signed in as the named sandbox user, on `path`. */
  signedIn(userName: string, path?: string, viewport?: { width: number; height: number }): Promise<Page>;
  stop(): Promise<void>;
}

export async function startConsoleHarness(): Promise<ConsoleHarness> {
  const buildDir = await mkdtemp(join(tmpdir(), 'partner-console-'));
  const [browser, consoleDir] = await Promise.all([launchChromium(), buildConsole(buildDir)]);
  const cloud = await startTestCloud({ consoleDir });
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const contexts: BrowserContext[] = [];
  return {
    cloud,
    consoleDir,
    browser,
    async signedIn(userName, path = '/transfers', viewport = { width: 1280, height: 800 }) {
      const context = await browser.newContext({ viewport, bypassCSP: true });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${cloud.urls.console}${path}`);
      await signIn(page, userName);
      await page.waitForURL(`${cloud.urls.console}${path}`);
      return page;
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await cloud.stop();
      await rm(buildDir, { recursive: true, force: true });
    },
  };
}

/** From the console's sign-in screen through the provider's login page, picking the user by name. */
export async function signIn(page: Page, userName: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: new RegExp(`^${userName} \\(`) }).click();
}

/** axe-core in the page: no serious or critical violation, reported by rule and element when there is one. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const page = globalThis as unknown as PageGlobals;
    const result = await page.axe.run(
      { exclude: [] },
      {
        resultTypes: ['violations'],
      },
    );
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
  });
  expect(violations, `accessibility of ${screen}`).toEqual([]);
}

/** Checks the screen, then keeps a picture of it. */
export async function checkScreen(page: Page, screen: string): Promise<void> {
  await expectAccessible(page, screen);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${screen}.png`), fullPage: true });
}

/** Tabs through the page until the control with this accessible name has the focus (keyboard-only use). */
export async function tabTo(page: Page, name: string | RegExp, maxTabs = 60): Promise<void> {
  const focusedName = () =>
    page.evaluate(() => {
      const element = (globalThis as unknown as PageGlobals).document.activeElement;
      return (element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim();
    });
  const matches = (focused: string) => (typeof name === 'string' ? focused === name : name.test(focused));
  if (matches(await focusedName())) return;
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press('Tab');
    if (matches(await focusedName())) return;
  }
  throw new Error(`No control named ${String(name)} is reachable with Tab`);
}
