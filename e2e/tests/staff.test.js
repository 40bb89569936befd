// The staff app: an organiser of 南桥镇 logs in on a laptop, writes and publishes an event;
// a resident on a phone signs up; door staff on a phone scan the resident's QR code through
// Chromium's fake camera (a video made from the code the resident's page shows) and the
// attendance shows 1; the organiser cancels another event and its registrant reads the
// reason in 我的. axe on every staff page, in Chinese and English; no console errors.
// Accounts are made by `quality-month-server staff add` before the server starts (xtask).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  BASE_URL, launchBrowser, newPhone, assertAccessible, assertNoHorizontalScroll, assertNoConsoleErrors,
} from './helpers.js';
import { NO_SESSION_YET, staffErrors, totp, y4m, qrFrame } from './staff-helpers.js';

const PASSWORD = process.env.QM_E2E_STAFF_PASSWORD;
const LAPTOP = { viewport: { width: 1280, height: 800 }, baseURL: BASE_URL };


let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** `days` from now at 09:30 Beijing time, as a datetime-local input takes it. */
function beijing(days, hour = 9) {
  const t = new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000);
  const d = t.toISOString().slice(0, 10);
  return `${d}T${String(hour).padStart(2, '0')}:30`;
}

async function logIn(page, login, { landing = '活动管理' } = {}) {
  await page.goto('/staff/');
  await page.getByRole('heading', { level: 1, name: '工作人员登录' }).waitFor();
  await assertAccessible(page, 'staff login');
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: landing }).waitFor();
}

/** A page's check: axe clean, in Chinese; then in English, axe clean again; back. */
async function checkBothLanguages(page, where, englishHeading) {
  await assertAccessible(page, `${where} (zh)`);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await page.getByRole('heading', { level: 1, name: englishHeading }).waitFor();
  await assertAccessible(page, `${where} (en)`);
  await page.getByRole('button', { name: '切换到中文' }).click();
}




async function signUp(page, event, name, phone) {
  await page.goto(`/events/${event}/signup`);
  await page.getByLabel('姓名').fill(name);
  await page.getByLabel('手机号码').fill(phone);
  await page.getByRole('button', { name: '继续' }).click();
  await page.getByRole('heading', { level: 1, name: '请核对报名信息' }).waitFor();
  await page.getByRole('button', { name: '确认报名' }).click();
  await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();
}

test('an organiser publishes, a resident signs up, the door scans them in', async () => {
  const office = await browser.newContext(LAPTOP);
  const organiser = await office.newPage();
  const organiserErrors = staffErrors(organiser);
  const { context: phone, page: resident, errors: residentErrors } = await newPhone(browser);
  const video = mkdtempSync(join(tmpdir(), 'qm-camera-'));
  let doorBrowser;
  try {
    await logIn(organiser, 'nanqiao');
    await checkBothLanguages(organiser, 'staff events', 'Events');

    // Write the event, watching the residents' card take shape, and save it.
    await organiser.getByRole('link', { name: '新建活动' }).click();
    await organiser.getByRole('heading', { level: 1, name: '新建活动' }).waitFor();
    await organiser.getByLabel('标题（中文）').fill('贤城质量义诊·南桥站');
    await organiser.getByLabel('标题（英文）').fill('Quality clinic day, Nanqiao');
    await organiser.getByLabel('地点（中文）').fill('南桥镇社区文化活动中心');
    await organiser.getByLabel('地点（英文）').fill('Nanqiao Community Centre');
    await organiser.getByLabel('地址（中文）').fill('南桥镇解放东路 88 号');
    await organiser.getByLabel('地址（英文）').fill('88 Jiefang Road East, Nanqiao');
    await organiser.getByLabel('主办单位（中文）').fill('南桥镇市场监管所');
    await organiser.getByLabel('主办单位（英文）').fill('Nanqiao Market Supervision Office');
    await organiser.getByLabel('开始时间').fill(beijing(9, 9));
    await organiser.getByLabel('结束时间').fill(beijing(9, 11));
    await organiser.getByLabel('名额（人）').fill('0');
    await organiser.getByRole('button', { name: '保存' }).click();
    // A bad field is named in the summary and beside the field; nothing is lost.
    await organiser.getByRole('link', { name: '超出允许的范围' }).waitFor();
    assert.equal(await organiser.getByLabel('标题（中文）').inputValue(), '贤城质量义诊·南桥站');
    await organiser.getByLabel('名额（人）').fill('30');
    await organiser.getByRole('region', { name: '市民看到的样子' }).getByText('余 30 个名额').waitFor();
    await assertAccessible(organiser, 'event form');
    await organiser.getByRole('button', { name: '保存' }).click();
    await organiser.getByRole('heading', { level: 1, name: '贤城质量义诊·南桥站' }).waitFor();
    await organiser.getByText('草稿').first().waitFor();
    await checkBothLanguages(organiser, 'event desk (draft)', 'Quality clinic day, Nanqiao');
    await organiser.getByRole('button', { name: '发布' }).click();
    await organiser.getByText('已发布').first().waitFor();
    const eventId = Number(new URL(organiser.url()).pathname.split('/').pop());

    // A resident finds it and signs up; the confirmation shows the code as a QR code.
    await resident.goto(`/events/${eventId}`);
    await resident.getByRole('heading', { level: 1, name: '贤城质量义诊·南桥站' }).waitFor();
    await signUp(resident, eventId, '沈佩华', '13912345678');
    await resident.locator('.qr svg').waitFor();
    const code = (await resident.locator('.panel__code').textContent()).trim();
    writeFileSync(join(video, 'qr.y4m'), y4m(await qrFrame(resident), 640, 480));

    // The organiser sees the sign-up, phone masked until asked.
    await organiser.reload();
    await organiser.getByRole('cell', { name: /139\*\*\*\*5678/ }).waitFor();
    await organiser.getByRole('button', { name: '显示号码' }).click();
    await organiser.getByText('13912345678').waitFor();

    // Door staff, on a phone whose camera sees the resident's screen.
    doorBrowser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${join(video, 'qr.y4m')}`],
    });
    const { context: doorPhone, page: door } = await newPhone(doorBrowser);
    // The check-in sent while offline, on purpose.
    const doorErrors = staffErrors(door, /ERR_INTERNET_DISCONNECTED/);
    await doorPhone.grantPermissions(['camera'], { origin: BASE_URL });
    await logIn(door, 'door');
    await door.goto(`/staff/events/${eventId}/door`);
    await door.getByRole('heading', { level: 1, name: '现场签到' }).waitFor();
    await assertAccessible(door, 'door');
    await assertNoHorizontalScroll(door, 'door');
    await door.getByRole('button', { name: '扫码签到' }).click();
    await door.getByText('签到成功').waitFor({ timeout: 20_000 });
    await door.getByText('沈佩华').first().waitFor();
    await door.getByText('已签到 1 人').first().waitFor();
    // The same pass held up again says when they came, and checks nobody in twice.
    await door.getByText(/已于 .* 签到/).waitFor({ timeout: 20_000 });
    await door.getByRole('button', { name: '停止扫码' }).click();
    // Typing the code works too.
    await door.getByLabel('报名码').fill(code.toLowerCase());
    await door.getByRole('button', { name: '签到', exact: true }).click();
    await door.getByText(/已于 .* 签到/).waitFor();
    // Without a connection the scan is kept on the phone and sent once it is back.
    await doorPhone.setOffline(true);
    await door.getByLabel('报名码').fill(code);
    await door.getByRole('button', { name: '签到', exact: true }).click();
    await door.getByText('1 个签到已保存在本机').waitFor();
    await assertAccessible(door, 'door, offline');
    await doorPhone.setOffline(false);
    await door.getByRole('heading', { name: '联网后已补签' }).waitFor();
    await door.getByText('1 个签到已保存在本机').waitFor({ state: 'detached' });
    await checkBothLanguages(door, 'door', 'Check-in at the door');
    assertNoConsoleErrors(doorErrors);

    await organiser.reload();
    await organiser.getByText('已签到 1 人').first().waitFor();
    assertNoConsoleErrors(residentErrors);
    assert.deepEqual(organiserErrors, []);
  } finally {
    await doorBrowser?.close();
    await office.close();
    await phone.close();
    rmSync(video, { recursive: true, force: true });
  }
});

test('a cancelled event tells its registrant why, in 我的', async () => {
  const office = await browser.newContext(LAPTOP);
  const organiser = await office.newPage();
  const { context: phone, page: resident, errors } = await newPhone(browser);
  try {
    const events = await (await fetch(`${BASE_URL}/api/events?town=nanqiao`)).json();
    const event = events.find((e) => e.status === 'published' && e.places_left >= 2);
    assert.ok(event, 'a demo event in 南桥镇 with places');
    await signUp(resident, event.id, '沈佩华', '13912340000');

    await logIn(organiser, 'nanqiao');
    await organiser.goto(`/staff/events/${event.id}`);
    await organiser.getByRole('button', { name: '取消活动' }).click();
    await organiser.getByRole('button', { name: '确认取消并通知市民' }).click();
    await organiser.getByText('请填写此项').first().waitFor();
    await organiser.getByLabel('取消原因').fill('台风预警，活动改期');
    await assertAccessible(organiser, 'cancel an event');
    await organiser.getByRole('button', { name: '确认取消并通知市民' }).click();
    await organiser.getByText('取消原因：台风预警，活动改期').waitFor();

    await resident.goto('/mine');
    await resident.getByText('台风预警，活动改期').waitFor();
    await assertAccessible(resident, '我的 with a cancelled event');
    assertNoConsoleErrors(errors);
  } finally {
    await office.close();
    await phone.close();
  }
});

test('an admin sets up a second factor, then sees accounts and the audit log', async () => {
  const office = await browser.newContext(LAPTOP);
  const admin = await office.newPage();
  // The wrong code typed on purpose.
  const errors = staffErrors(admin, /status of 422/);
  try {
    // An admin without a second factor gets nothing else until it is set up.
    await logIn(admin, 'admin', { landing: '动态验证码（第二重验证）' });
    await checkBothLanguages(admin, 'second factor', 'Second factor');
    await admin.getByRole('button', { name: '开始设置' }).click();
    const secret = await admin.locator('code[data-secret]').getAttribute('data-secret');
    await admin.getByRole('img', { name: '用身份验证器应用扫描此二维码' }).waitFor();
    await assertAccessible(admin, 'second factor setup');
    await admin.getByLabel('动态验证码').fill('000000');
    await admin.getByRole('button', { name: '确认启用' }).click();
    await admin.getByText('动态验证码不正确').first().waitFor();
    const now = Date.now();
    await admin.getByLabel('动态验证码').fill(totp(secret, now));
    await admin.getByRole('button', { name: '确认启用' }).click();
    await admin.getByText('动态验证码已启用').waitFor();
    await admin.getByRole('button', { name: '登录', exact: true }).click();
    // Password, then the code the app asks for (the next step's: each code logs in once).
    await admin.getByLabel('账号').fill('admin');
    await admin.getByLabel('密码').fill(PASSWORD);
    await admin.getByRole('button', { name: '登录', exact: true }).click();
    await admin.getByLabel('动态验证码').fill(totp(secret, now + 30_000));
    await assertAccessible(admin, 'login with a code');
    await admin.getByRole('button', { name: '登录', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: '活动管理' }).waitFor();
    await admin.getByRole('link', { name: '账号', exact: true }).click();
    await admin.getByRole('heading', { level: 1, name: '工作人员账号' }).waitFor();
    await admin.getByRole('rowheader', { name: 'door' }).waitFor();
    await checkBothLanguages(admin, 'accounts', 'Staff accounts');
    await admin.getByRole('link', { name: '操作记录' }).click();
    await admin.getByRole('heading', { level: 1, name: '操作记录' }).waitFor();
    await admin.getByText('event.publish').first().waitFor();
    await checkBothLanguages(admin, 'audit log', 'Audit log');
    assert.deepEqual(errors, []);
  } finally {
    await office.close();
  }
  // The door account's session cannot read the audit log, whatever the app shows.
  const r = await fetch(`${BASE_URL}/api/staff/audit`);
  assert.equal(r.status, 401);
});
