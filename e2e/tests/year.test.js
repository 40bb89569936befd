// The year in numbers: Nanqiao's organiser reads the last twelve months of the demo's
// year of events, follows a figure to the list behind it (the events, the organisations
// with their codes), and downloads the workbook for the annual report. axe on each page;
// 360 px wide without sideways scrolling; no console errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  BASE_URL, launchBrowser, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll,
} from './helpers.js';
import { staffErrors } from './staff-helpers.js';

const PASSWORD = process.env.QM_E2E_STAFF_PASSWORD;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The Beijing date `days` from today, as YYYY-MM-DD. */
function beijingDay(days) {
  const ms = Date.now() + 8 * 3600_000 + days * 86_400_000;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The figure shown beside a label of the year's facts. */
async function figure(page, label) {
  const row = page.locator('.facts__row').filter({ has: page.getByText(label, { exact: true }) });
  return Number((await row.locator('dd a, dd span').first().textContent()).trim());
}

test('an organiser reads the year in numbers, follows the figures and downloads them', async () => {
  const context = await browser.newContext({ viewport: { width: 360, height: 800 }, baseURL: BASE_URL, acceptDownloads: true });
  const page = await context.newPage();
  const errors = staffErrors(page);
  try {
    await page.goto('/staff/');
    await page.getByLabel('账号').fill('nanqiao');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '活动管理' }).waitFor();

    await page.getByRole('link', { name: '年度数据', exact: true }).first().click();
    await page.getByRole('heading', { level: 1, name: '年度数据' }).waitFor();
    await page.getByLabel('开始日期').fill(beijingDay(-365));
    await page.getByLabel('结束日期').fill(beijingDay(0));
    await page.getByRole('button', { name: '查看' }).click();
    await page.waitForURL(/from=/);
    await page.getByText('举办活动（场）', { exact: true }).waitFor();
    // Nanqiao's share of the demo's year: figures of the report's kind, not a handful.
    const held = await figure(page, '举办活动（场）');
    const participations = await figure(page, '企业参与（家次）');
    const residents = await figure(page, '居民参与（人次）');
    assert.ok(held >= 10, `Nanqiao held events (${held})`);
    assert.ok(participations > 0 && residents > 0, `participation (${participations}, ${residents})`);
    // The figures say how participants were counted.
    await page.getByText(/参与人数以签到为准/).waitFor();
    await assertAccessible(page, 'year in numbers');
    await assertNoHorizontalScroll(page, 'year in numbers');

    // The workbook, for the annual report.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载 XLSX' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.xlsx$/);
    const book = await readFile(await download.path());
    assert.equal(book.subarray(0, 2).toString(), 'PK', 'an XLSX is a zip');
    assert.ok(book.length > 2000, `a workbook with content (${book.length} bytes)`);

    // The events behind the figure: the same number, in the events list.
    await page.locator('.facts__row').filter({ has: page.getByText('举办活动（场）', { exact: true }) }).getByRole('link').click();
    await page.getByText(`按年度数据的条件筛选，共 ${held} 场。`).waitFor();
    await assertAccessible(page, 'events behind the figure');
    await page.goBack();
    await page.getByText('举办活动（场）', { exact: true }).waitFor();

    // The organisations behind theirs, each with its credit code.
    await page.locator('.facts__row').filter({ has: page.getByText('企业参与（家次）', { exact: true }) }).getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: '参与企业' }).waitFor();
    const codes = await page.locator('table tbody tr td').filter({ hasText: /^[0-9A-HJ-NPQRTUWXY]{18}$/ }).count();
    assert.ok(codes > 0, 'organisations are listed with their codes');
    await assertAccessible(page, 'organisations behind the figure');
    await assertNoHorizontalScroll(page, 'organisations');
    assertNoConsoleErrors(errors);
  } finally {
    await context.close();
  }
});
