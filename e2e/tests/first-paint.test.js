// The landing pages arrive painted: the first HTML already holds the page's heading, lead
// and data (server/src/first_paint.rs), so the largest text does not wait for the wasm.
// For each landing page, a phone without JavaScript reads the first HTML as painted; the
// same page with the app must show the same words in the same order, each block at the
// same place, and the swap from one to the other shifts nothing on screen.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors } from './helpers.js';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** What the page's first-paint blocks say and where they stand, in order. */
function blocks(main) {
  return [...main.children]
    .filter((el) => el.offsetParent !== null || el.tagName === 'UL')
    .map((el) => {
      const box = el.getBoundingClientRect();
      return {
        tag: el.tagName, text: el.innerText.replace(/\s+/g, ' ').trim(),
        top: Math.round(box.top), height: Math.round(box.height),
      };
    });
}

/** A phone that chose English in the app before: its cookie, and its stored choice. */
async function choseEnglish(context) {
  await context.addCookies([{ name: 'qm_lang', value: 'en', url: BASE_URL }]);
  await context.addInitScript(() => localStorage.setItem('qm.lang', '"en"'));
}

/** The first HTML of `path`, as a phone without JavaScript lays it out. */
async function painted(path, { english = false } = {}) {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    javaScriptEnabled: false, baseURL: BASE_URL,
  });
  if (english) await choseEnglish(context);
  const page = await context.newPage();
  await page.goto(path);
  const shown = await page.locator('#boot main').evaluate(blocks);
  await context.close();
  return shown;
}

/**
 * `path` with the app, once `ready` (a selector of what the data draws) is on screen;
 * `shifts` is the layout shift the page recorded from its first frame.
 */
async function drawn(path, ready, { english = false } = {}) {
  const { context, page, errors } = await newPhone(browser);
  if (english) await choseEnglish(context);
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  const asked = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/api/')) asked.push(u.pathname + u.search); });
  await page.goto(path);
  await page.locator(`#main ${ready}`).first().waitFor();
  const shown = await page.locator('#main').evaluate(blocks);
  const shifts = await page.evaluate(() => window.__shift);
  await assertAccessible(page, path);
  assertNoConsoleErrors(errors);
  await context.close();
  return { shown, shifts, asked };
}

async function assertSamePage(path, ready, options = {}) {
  const first = await painted(path, options);
  assert.ok(first.length >= 2, `${path}: the first HTML paints a heading and more, not a placeholder`);
  const { shown, shifts, asked } = await drawn(path, ready, options);
  // What the page shows came with it: the app does not ask the API for it again.
  for (const api of options.carried ?? []) assert.ok(!asked.includes(api), `${path}: ${api} came with the page, yet was asked again`);
  first.forEach((block, i) => {
    assert.deepEqual(shown[i], block, `${path}: block ${i + 1} of the first HTML is where and what the app shows`);
  });
  assert.equal(shifts, 0, `${path}: nothing shifts when the app takes over`);
}

test('the home page is painted before the app arrives, in the words the app shows', async () => {
  await assertSamePage('/', '.cards', { carried: ['/api/events'] });
});

test('the events list arrives with its filters and cards, as the app draws them', async () => {
  await assertSamePage('/events', '.cards', { carried: ['/api/events'] });
  await assertSamePage('/events?town=nanqiao', '.cards');
});

test("an event's page arrives with its title, facts and description", async () => {
  const events = await (await fetch(`${BASE_URL}/api/events`)).json();
  assert.ok(events.length > 0, 'the demo has published events');
  await assertSamePage(`/events/${events[0].id}`, '.actions', { carried: [`/api/events/${events[0].id}`] });
});

test('预看房 and the survey open painted', async () => {
  await assertSamePage('/inspections', '.cards');
  await assertSamePage('/survey', 'button');
});

test('an unknown event paints no one else\'s page', async () => {
  const first = await painted('/events/999999');
  assert.deepEqual(first.map((b) => b.tag), ['P'], 'only the way back to the list');
});

test('a phone that chose English gets its first HTML in English, as the app shows it', async () => {
  // Choosing English in the app keeps the choice where the server reads it.
  const { context, page, errors } = await newPhone(browser);
  await page.goto('/');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: 'Fengxian Quality Month' }).waitFor();
  const html = await page.evaluate(async () => (await fetch('/')).text());
  assert.match(html, /<html lang="en">/);
  assert.match(html, /Fengxian Quality Month<\/h1>/);
  assertNoConsoleErrors(errors);
  await context.close();
  await assertSamePage('/', '.lead', { english: true });
  const events = await (await fetch(`${BASE_URL}/api/events`)).json();
  await assertSamePage(`/events/${events[0].id}`, '.actions', { english: true });
});
