// 预看房 run from the staff app. First 星澜苑's sales office on a laptop: it lands on its
// project; uploads its buyer list as an XLSX with a bad row (named by row and column),
// then the corrected one, which would drop booked flats and so asks for a decision (keep)
// before it is imported; gives one time of day a place more, checked and saved (a
// mistyped closed day is said beside its field); moves a defect on; reads last week's day
// list. Then the whole loop: a buyer books, the
// door scans the pass through Chromium's fake camera, the buyer records two defects (one
// with a photo) on the pass, the office marks one repaired, the buyer confirms it and sees
// the other still open in 我的 (zh, en, elder mode), and the district office reads the
// coverage. axe on every page; no console errors. Accounts are made by
// `quality-month-server staff add` before the server starts (xtask).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  BASE_URL, launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll,
  inElderMode,
} from './helpers.js';
import { staffErrors, totp, y4m, qrFrame, xlsx } from './staff-helpers.js';

const PASSWORD = process.env.QM_E2E_STAFF_PASSWORD;
const LAPTOP = { viewport: { width: 1280, height: 800 }, baseURL: BASE_URL };

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function logIn(page, login, landing) {
  await page.goto('/staff/');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: landing }).waitFor();
}

/** A 1×1 PNG, as a phone's camera would hand over a (much larger) photo. */
const PHOTO = {
  name: 'leak.png',
  mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
};

/** The demo buyer kept free for this journey books the first open time at 星澜苑. */
async function bookVisit(page) {
  return page.evaluate(async () => {
    const slots = await (await fetch('/api/inspections/projects/1/slots')).json();
    const slot = slots.find((s) => s.places_left > 0);
    const r = await fetch('/api/inspections/bookings', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({
        project_id: 1, building: '3', unit: '2', room: '1001', buyer_name: '孙丽', phone: '13800138006',
        slot_id: slot.id, party_size: 2, notes: '',
      }),
    });
    return { code: (await r.json()).code, day: slot.starts_at.slice(0, 10) };
  });
}

/** 星澜苑's list as its office keeps it: the demo's named buyers (server/src/demo), whom
 * the later journeys book, and `more`. */
function buyerList(more) {
  return xlsx([
    ['楼栋', '单元', '房号', '买受人', '手机号码'],
    ['3', '1', '1201', '张三', '13800138000'], ['3', '1', '1202', '李四', '13800138001'],
    ['3', '2', '801', '王芳', '13800138002'], ['5', '1', '1601', 'Li Ming', '13800138003'],
    ['3', '2', '802', '赵敏', '13800138004'], ['3', '2', '901', '陈静', '13800138005'],
    ['3', '2', '1001', '孙丽', '13800138006'],
    ...more,
  ]);
}

test('a sales office checks its buyer list, its plan, its defects and its day', async () => {
  const context = await browser.newContext(LAPTOP);
  const page = await context.newPage();
  const errors = staffErrors(page);
  try {
    // A sales office has no events: its home is its projects.
    await logIn(page, 'xinglan', '预看房楼盘');
    await assertAccessible(page, 'projects (zh)');
    await page.getByRole('button', { name: 'Switch to English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pre-inspection projects' }).waitFor();
    await assertAccessible(page, 'projects (en)');
    await page.getByRole('button', { name: '切换到中文' }).click();

    await page.getByRole('link', { name: '奉贤新城·星澜苑' }).click();
    await page.getByRole('heading', { level: 1, name: '奉贤新城·星澜苑' }).waitFor();
    await assertAccessible(page, 'project desk');

    // A spreadsheet with a bad phone: named by row (as the sheet numbers it) and column,
    // nothing imported.
    await page.getByRole('link', { name: '导入购房人名单' }).click();
    await page.getByRole('heading', { level: 1, name: '导入购房人名单' }).waitFor();
    await page.getByLabel('名单文件').setInputFiles(buyerList([['9', '1', '101', '周敏', '13900000001'], ['9', '1', '102', '吴涛', '1390000']]));
    await page.getByRole('heading', { name: '1 处问题，改正后重新上传' }).waitFor();
    const problem = page.getByRole('row').filter({ hasText: '手机' }).last();
    assert.equal((await problem.getByRole('cell').first().textContent()).trim(), '10');
    assert.equal(await page.getByRole('button', { name: '导入名单' }).count(), 0, 'no import with a bad row');
    await assertAccessible(page, 'import with a problem');
    // Corrected and imported. It replaces 星澜苑's whole list, so each booked flat it
    // leaves out asks first; the office keeps their visits.
    await page.getByLabel('名单文件').setInputFiles(buyerList([['9', '1', '101', '周敏', '13900000001'], ['9', '1', '102', '吴涛', '13900000002']]));
    await page.getByText(/新增 2 户/).waitFor();
    await page.getByRole('heading', { name: '已预约但不在新名单中的房屋' }).waitFor();
    await assertAccessible(page, 'import with booked removals');
    for (const keep of await page.getByRole('radio', { name: '保留' }).all()) await keep.check();
    await page.getByRole('button', { name: '导入名单' }).click();
    await page.getByText('名单已导入。').waitFor();

    // The plan: checking shows what saving would do.
    await page.getByRole('link', { name: '返回楼盘' }).click();
    await page.getByRole('link', { name: '看房计划' }).click();
    await page.getByRole('heading', { level: 1, name: '看房计划' }).waitFor();
    // A closed day mistyped is said beside the field, not dropped.
    await page.getByLabel('不开放的日期').fill('2026-5-1');
    await page.getByRole('button', { name: '检查变化' }).click();
    await page.locator('#closed-error').getByText('格式不正确').waitFor();
    await page.getByLabel('不开放的日期').fill('');
    // The first time of day takes one more flat: checked, then saved.
    const first = page.getByRole('group', { name: '时段 1' }).getByLabel('接待户数');
    await first.fill(String(Number(await first.inputValue()) + 1));
    await page.getByRole('button', { name: '检查变化' }).click();
    await page.getByRole('heading', { name: /调整 [1-9]\d* 个/ }).waitFor();
    await assertAccessible(page, 'visit plan');
    // A day mistyped after the check stops the save too.
    await page.getByLabel('不开放的日期').fill('2026-13-1');
    await page.getByRole('button', { name: '保存计划' }).click();
    await page.locator('#closed-error').getByText('格式不正确').waitFor();
    await page.getByLabel('不开放的日期').fill('');
    await page.getByRole('button', { name: '保存计划' }).click();
    await page.getByText('计划已保存，受影响的购房人已收到通知。').waitFor();

    // Last week's defects: move an open one on.
    await page.goBack();
    await page.getByRole('link', { name: '房屋问题' }).click();
    await page.getByRole('heading', { level: 1, name: '房屋问题' }).waitFor();
    await page.getByText('已确认').first().waitFor();
    const before = await page.getByText('处理中', { exact: true }).count();
    await page.getByRole('button', { name: '标记处理中' }).first().click();
    await page.waitForFunction((n) => [...document.querySelectorAll('.badge')].filter((b) => b.textContent === '处理中').length > n, before);
    await assertAccessible(page, 'defects');

    // The day list of three days ago: who came, who did not.
    await page.goBack();
    await page.getByRole('link', { name: '看房名单与签到' }).click();
    await page.getByRole('heading', { level: 1, name: '看房名单与签到' }).waitFor();
    const day = new Date(Date.now() + 8 * 3_600_000 - 3 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('日期').fill(day);
    await page.getByRole('button', { name: '查看' }).click();
    await page.getByRole('cell', { name: '已签到' }).first().waitFor();
    await page.getByRole('button', { name: '打印名单' }).waitFor();
    await assertAccessible(page, 'day list');
    assertNoConsoleErrors(errors);
  } finally {
    await context.close();
  }
});

test('a buyer is checked in by scanning, records defects, and confirms a repair', async () => {
  const { context: phone, page: buyer, errors: buyerErrors } = await newPhone(browser);
  const laptop = await browser.newContext(LAPTOP);
  const office = await laptop.newPage();
  const officeErrors = staffErrors(office);
  const video = mkdtempSync(join(tmpdir(), 'qm-camera-'));
  let doorBrowser;
  try {
    // The buyer's booking, found in 我的 by its code and phone.
    await buyer.goto('/');
    const { code, day } = await bookVisit(buyer);
    await buyer.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    await buyer.getByLabel('报名码或预约码').fill(code);
    await buyer.getByLabel('手机号码').fill('13800138006');
    await buyer.getByRole('button', { name: '查询' }).click();
    await buyer.getByRole('link', { name: '奉贤新城·星澜苑' }).first().click();
    await buyer.locator('.qr svg').waitFor();
    writeFileSync(join(video, 'pass.y4m'), y4m(await qrFrame(buyer), 640, 480));

    // The door, on a phone whose camera sees the pass.
    doorBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${join(video, 'pass.y4m')}`],
    });
    const { context: doorPhone, page: door } = await newPhone(doorBrowser);
    const doorErrors = staffErrors(door);
    await doorPhone.grantPermissions(['camera'], { origin: BASE_URL });
    await logIn(door, 'door', '活动管理');
    await door.getByRole('link', { name: '预看房', exact: true }).click();
    await door.getByRole('link', { name: '奉贤新城·星澜苑' }).click();
    await door.getByRole('link', { name: '看房名单与签到' }).click();
    await door.getByRole('heading', { level: 1, name: '看房名单与签到' }).waitFor();
    await assertAccessible(door, 'door at 星澜苑');
    await assertNoHorizontalScroll(door, 'door at 星澜苑');
    await door.getByRole('button', { name: '扫码签到' }).click();
    await door.getByText(/已签到：/).waitFor({ timeout: 20_000 });
    await door.getByRole('button', { name: '停止扫码' }).click();
    // The door records what the buyer points at, on the buyer's behalf.
    await door.getByLabel('日期').fill(day);
    await door.getByRole('button', { name: '查看' }).click();
    await door.getByRole('row').filter({ hasText: '3号楼2单元1001室' }).getByRole('button', { name: '记录问题' }).click();
    await door.getByRole('heading', { name: /为 .*1001.* 记录问题/ }).waitFor();
    await door.getByLabel('位置').selectOption({ label: '阳台' });
    await door.getByLabel('问题类型').selectOption({ label: '门窗' });
    await door.getByLabel('问题描述').fill('阳台窗户关不严');
    await assertAccessible(door, 'door recording a defect');
    await door.getByRole('button', { name: '记录问题', exact: true }).last().click();
    await door.getByText('问题已记录，已列入售楼处的问题清单。').waitFor();
    assertNoConsoleErrors(doorErrors);

    // The buyer's pass, once checked in, takes defects: one with a photo, one without.
    await buyer.reload();
    await buyer.getByRole('heading', { level: 1, name: '已签到' }).waitFor();
    await buyer.getByRole('heading', { name: '房屋问题' }).waitFor();
    await buyer.getByLabel('位置').selectOption({ label: '厨房' });
    await buyer.getByLabel('问题类型').selectOption({ label: '渗漏' });
    await buyer.getByLabel('问题描述').fill('水槽下方渗水');
    await buyer.getByLabel('照片（可选，最多 3 张）').setInputFiles(PHOTO);
    await buyer.getByText('已选 1 张照片').waitFor();
    await assertAccessible(buyer, 'pass with the defect form');
    await buyer.getByRole('button', { name: '记录问题' }).click();
    await buyer.locator('.card').filter({ hasText: '水槽下方渗水' }).locator('img.photo').waitFor();
    await buyer.getByLabel('位置').selectOption({ label: '卧室' });
    await buyer.getByLabel('问题类型').selectOption({ label: '墙面空鼓/开裂' });
    await buyer.getByLabel('问题描述').fill('次卧东墙空鼓');
    await buyer.getByRole('button', { name: '记录问题' }).click();
    await buyer.locator('.card').filter({ hasText: '次卧东墙空鼓' }).waitFor();
    await assertNoHorizontalScroll(buyer, 'pass with defects');

    // The sales office repairs the leak, with a note.
    await logIn(office, 'xinglan', '预看房楼盘');
    // The office's own notice: its project says how many defects wait for it.
    await office.getByText(/房屋问题 · \d+ 项待处理/).waitFor();
    await office.goto('/staff/projects/1/defects');
    const leak = office.locator('.card').filter({ hasText: '水槽下方渗水' });
    await leak.locator('img.photo').waitFor();
    await leak.getByRole('button', { name: '标记已整改' }).click();
    await office.getByLabel('处理说明').fill('已重新打胶，试水无渗漏');
    await leak.getByRole('button', { name: '标记已整改' }).click();
    await leak.getByText('已重新打胶，试水无渗漏').waitFor();
    await assertAccessible(office, 'defects after a repair');
    assertNoConsoleErrors(officeErrors);

    // The buyer confirms it; the other stays open; both show in 我的.
    await buyer.reload();
    const repaired = buyer.locator('.card').filter({ hasText: '水槽下方渗水' });
    await repaired.getByText('已整改').first().waitFor();
    await assertAccessible(buyer, 'pass with a repair to confirm');
    await repaired.getByRole('button', { name: '确认已整改' }).click();
    await buyer.locator('.card').filter({ hasText: '水槽下方渗水' }).locator('.badge', { hasText: '已确认' }).waitFor();
    await buyer.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    const mine = buyer.locator('.card').filter({ hasText: '房屋问题 3 项' });
    await mine.getByText('已确认').waitFor();
    await mine.getByText('待处理').first().waitFor();
    await assertAccessible(buyer, '我的 with defects');
    await buyer.getByRole('button', { name: 'Switch to English' }).click();
    await buyer.locator('.card').filter({ hasText: '3 defect(s)' }).getByText('Confirmed').waitFor();
    await assertAccessible(buyer, 'Mine with defects (en)');
    await buyer.getByRole('link', { name: 'Xinglan Garden, Fengxian New City' }).first().click();
    await buyer.getByRole('heading', { name: 'Defects' }).waitFor();
    await assertAccessible(buyer, 'pass with defects (en)');
    await buyer.getByRole('button', { name: '切换到中文' }).click();
    await buyer.goto('/');
    await inElderMode(buyer);
    await buyer.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    await buyer.getByRole('link', { name: '奉贤新城·星澜苑' }).first().click();
    await buyer.getByRole('heading', { name: '房屋问题' }).waitFor();
    await assertAccessible(buyer, 'pass with defects (elder mode)', { enhanced: true });
    await assertNoHorizontalScroll(buyer, 'pass with defects (elder mode)');
    assertNoConsoleErrors(buyerErrors);

    // The district office, on its own computer, reads the coverage.
    const districtLaptop = await browser.newContext(LAPTOP);
    const district = await districtLaptop.newPage();
    const districtErrors = staffErrors(district, /status of 422/);
    await logIn(district, 'district', '动态验证码（第二重验证）');
    await district.getByRole('button', { name: '开始设置' }).click();
    const secret = await district.locator('code[data-secret]').getAttribute('data-secret');
    const now = Date.now();
    await district.getByLabel('动态验证码').fill(totp(secret, now));
    await district.getByRole('button', { name: '确认启用' }).click();
    await district.getByText('动态验证码已启用').waitFor();
    await district.getByRole('button', { name: '登录', exact: true }).click();
    await district.getByLabel('账号').fill('district');
    await district.getByLabel('密码').fill(PASSWORD);
    await district.getByRole('button', { name: '登录', exact: true }).click();
    await district.getByLabel('动态验证码').fill(totp(secret, now + 30_000));
    await district.getByRole('button', { name: '登录', exact: true }).click();
    await district.getByRole('heading', { level: 1, name: '活动管理' }).waitFor();
    await district.getByRole('link', { name: '预看房', exact: true }).click();
    await district.getByRole('link', { name: '全区覆盖情况' }).click();
    await district.getByRole('heading', { level: 1, name: '预看房覆盖情况' }).waitFor();
    await district.getByRole('rowheader', { name: '奉贤新城·星澜苑' }).waitFor();
    await district.getByRole('rowheader', { name: '全区' }).waitFor();
    await assertAccessible(district, 'coverage');
    assertNoConsoleErrors(districtErrors);
    await districtLaptop.close();
  } finally {
    await doorBrowser?.close();
    await phone.close();
    await laptop.close();
    rmSync(video, { recursive: true, force: true });
  }
});
