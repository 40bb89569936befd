// Figures for `cargo xtask bench`, printed and never asserted:
// - what a repeat visit transfers once the service worker keeps the app (measured at a
//   proxy in front of the server: the bytes of every answer body, as sent);
// - Lighthouse's mobile scores (its default: a mid-range phone on slow 4G, simulated) of
//   the home page, an event's page and the 预看房 list, with each page's largest-paint
//   element; run with the npm package `lighthouse` in Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, launchBrowser, newPhone } from '../tests/helpers.js';
import { startProxy } from '../proxy.js';

function table(rows) {
  const sum = (f) => rows.filter(f).reduce((n, r) => n + r.bytes, 0);
  const api = sum((r) => r.url.startsWith('/api/'));
  const app = sum((r) => !r.url.startsWith('/api/'));
  for (const r of rows) console.log(`  ${String(r.status).padEnd(4)} ${String(r.bytes).padStart(9)} B  ${r.method} ${r.url}`);
  console.log(`  app files ${app} B, API ${api} B, ${rows.length} requests`);
  return { app, api };
}

async function visit(page) {
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: '奉贤区质量月' }).waitFor();
  await page.locator('.cards .card').first().waitFor();
  await page.waitForLoadState('networkidle');
}

async function repeatVisit() {
  const proxy = await startProxy(BASE_URL);
  const browser = await launchBrowser();
  try {
    const { context, page } = await newPhone(browser, { baseURL: proxy.url });
    await visit(page);
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null);
    // Let the worker finish keeping the build's files.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForLoadState('networkidle');
    console.log('\nFirst visit (home page; includes the service worker keeping the app):');
    table(proxy.log.splice(0));
    await page.close();
    const again = await context.newPage();
    await visit(again);
    console.log('\nRepeat visit (a new tab on the same phone, home page):');
    const { app, api } = table(proxy.log.splice(0));
    console.log(`repeat visit: ${(app / 1024).toFixed(1)} KB of app files, ${(api / 1024).toFixed(1)} KB of API answers`);
  } finally {
    await browser.close();
    await proxy.close();
  }
}

/** Lighthouse's mobile report of one page (its default: a mid-range phone on slow 4G). */
function lighthouse(path, title) {
  const cli = process.env.LIGHTHOUSE;
  if (!cli) { console.log('\nLighthouse: LIGHTHOUSE (the CLI) not given, skipped'); return; }
  const out = join(mkdtempSync(join(tmpdir(), 'qm-lh-')), 'report.json');
  const run = spawnSync(cli, [
    `${BASE_URL}${path}`, '--quiet', '--output=json', `--output-path=${out}`,
    '--only-categories=performance,accessibility,best-practices,seo',
    '--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage',
  ], { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' }, encoding: 'utf8' });
  if (run.status !== 0) { console.log(`\nLighthouse failed: ${run.stderr}`); process.exitCode = 1; return; }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  console.log(`\nLighthouse ${report.lighthouseVersion}, ${title} (${path}), mobile (${report.configSettings.formFactor}, ${report.configSettings.throttlingMethod} throttling):`);
  for (const c of Object.values(report.categories)) console.log(`  ${c.title.padEnd(16)} ${Math.round(c.score * 100)}`);
  for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive']) {
    const a = report.audits[id];
    if (a) console.log(`  ${a.title.padEnd(26)} ${a.displayValue}`);
  }
  const lcp = report.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node;
  if (lcp) console.log(`  largest paint element      ${lcp.selector} "${(lcp.nodeLabel ?? '').slice(0, 40)}"`);
  const failing = Object.values(report.categories).flatMap((c) => c.auditRefs)
    .map((r) => report.audits[r.id]).filter((a) => a && a.score !== null && a.score < 0.9 && a.scoreDisplayMode !== 'informative');
  if (failing.length) console.log(`  below 90: ${failing.map((a) => a.id).join(', ')}`);
}

await repeatVisit();
lighthouse('/', 'home page');
const events = await (await fetch(`${BASE_URL}/api/events`)).json();
if (events.length) lighthouse(`/events/${events[0].id}`, "an event's page");
lighthouse('/inspections', '预看房 project list');
