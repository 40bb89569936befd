// Shared by the journeys: a phone-sized Chromium page that records console errors, and
// an accessibility check with axe-core.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const BASE_URL = process.env.QM_E2E_URL ?? 'http://127.0.0.1:8080';

const BROWSER = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
};
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export async function launchBrowser() {
  return chromium.launch(BROWSER);
}

/** Records every console error, uncaught exception and failed request of `page`. */
function watch(page) {
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => {
    // A download handed to the phone (the .ics file) is not a failure.
    if (!req.url().endsWith('.ics')) errors.push(`request failed: ${req.url()}`);
  });
  return errors;
}

/**
 * A phone with its own profile in `dir`, as an installed browser has (not incognito, which
 * is what Chromium requires before it offers to install an app).
 */
export async function newPersistentPhone(dir, { baseURL = BASE_URL } = {}) {
  const context = await chromium.launchPersistentContext(dir, { ...BROWSER, ...PHONE, baseURL });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, errors: watch(page) };
}

/**
 * A fresh phone: 390×844, touch, nothing stored, and a log of every console error.
 * `baseURL` puts something between the phone and the server (the offline journeys' proxy).
 */
export async function newPhone(browser, { baseURL = BASE_URL } = {}) {
  const context = await browser.newContext({ ...PHONE, baseURL });
  const page = await context.newPage();
  return { context, page, errors: watch(page) };
}

/**
 * Runs axe-core on the page as it is now and fails with a readable list of violations.
 * `enhanced` adds the 7:1 contrast rule that elder mode promises.
 */
export async function assertAccessible(page, where, { enhanced = false } = {}) {
  // Evaluated through DevTools, which the page's CSP rightly does not allow inline.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (enhanced) => {
    const options = enhanced ? { rules: { 'color-contrast-enhanced': { enabled: true } } } : {};
    const r = await window.axe.run(document, options);
    return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, enhanced);
  assert.deepEqual(result, [], `axe violations on ${where}`);
}

/** The page must not scroll sideways at phone width. */
export async function assertNoHorizontalScroll(page, where) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${where} scrolls sideways by ${overflow}px`);
}

export function assertNoConsoleErrors(errors) {
  assert.deepEqual(errors, [], 'console errors');
}

/** From the home page: switch the app to English. */
export async function inEnglish(page) {
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fengxian Quality Month' }).waitFor();
}

/** From the home page: switch on elder mode (长辈版). */
export async function inElderMode(page) {
  await page.getByRole('button', { name: '长辈版' }).click();
  await page.getByRole('heading', { level: 1, name: '奉贤区质量月' }).waitFor();
}
