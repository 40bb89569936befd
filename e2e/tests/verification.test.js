// Verified phones, against a server with phone verification on (codes to its log; on a
// demo server every code is 123456 and the app says so). On a 390×844 phone, in Chinese,
// English and elder mode: the first sign-up from a phone asks for the code in the flow,
// the second on the same phone does not; offline after verification, a sign-up waits in
// 我的 and arrives once. A 预看房 booking asks the buyer for the code in its flow too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newPhone, assertAccessible, assertNoHorizontalScroll, inEnglish, inElderMode,
} from './helpers.js';

const VERIFY_URL = process.env.QM_E2E_VERIFY_URL;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const ZH = {
  name: '姓名', phone: '手机号码', continue: '继续', check: '请核对报名信息', confirm: '确认报名',
  verifyTitle: '请查看手机短信', demo: '演示：验证码 123456', codeLabel: '短信验证码',
  confirmCode: '确认并提交', wrongCode: '验证码不正确', done: '报名成功', saved: '已保存在本机',
  sent: '已提交', personName: '沈佩华',
};
const EN = {
  name: 'Full name', phone: 'Mobile number', continue: 'Continue', check: 'Check your answers',
  confirm: 'Confirm sign-up', verifyTitle: 'Check your phone', demo: 'Demo: the code is 123456',
  codeLabel: 'Code from the text message', confirmCode: 'Confirm and send',
  wrongCode: 'That code is not right', done: 'You are signed up', personName: 'Ann Shen',
};

async function events() {
  const list = await (await fetch(`${VERIFY_URL}/api/events`)).json();
  return list.filter((e) => e.status === 'published' && e.places_left >= 3);
}

/** The sign-up form of `event`, filled in, on to the check page, and confirmed; `offline`
 * cuts the connection once the form is on screen. */
async function signUp(page, t, event, phoneNumber, offline) {
  await page.goto(`/events/${event.id}/signup`);
  await page.getByLabel(t.name).waitFor();
  await offline?.();
  await page.getByLabel(t.name).fill(t.personName);
  await page.getByLabel(t.phone).fill(phoneNumber);
  await page.getByRole('button', { name: t.continue }).click();
  await page.getByRole('heading', { level: 1, name: t.check }).waitFor();
  await page.getByRole('button', { name: t.confirm }).click();
}

// The refusals this journey provokes: the first write, before the phone is proved (401),
// and the wrong code typed on purpose (422).
const PROVOKED = /status of (401 \(Unauthorized\)|422 \(Unprocessable (Content|Entity)\))/;

function assertOnlyProvokedRefusals(errors, also = /$^/) {
  const rest = errors.filter((e) => !PROVOKED.test(e) && !also.test(e));
  assert.deepEqual(rest, [], 'console errors');
}

async function journey({ t, phoneNumber, setup, elder = false }) {
  const { context, page, errors } = await newPhone(browser, { baseURL: VERIFY_URL });
  const a11y = async (where) => {
    await assertAccessible(page, where, { enhanced: elder });
    await assertNoHorizontalScroll(page, where);
  };
  try {
    const [first, second] = await events();
    await page.goto('/');
    await setup?.(page);

    // The first sign-up: the phone must be proved, in the flow.
    await signUp(page, t, first, phoneNumber);
    await page.getByRole('heading', { level: 2, name: t.verifyTitle }).waitFor();
    assert.ok(await page.getByText(`${phoneNumber.slice(0, 3)}****${phoneNumber.slice(7)}`).first().isVisible(),
      'the code went to the masked number');
    await page.getByText(t.demo).waitFor();
    await a11y('check your phone');
    await page.getByLabel(t.codeLabel).fill('654321');
    await page.getByRole('button', { name: t.confirmCode }).click();
    await page.getByText(t.wrongCode).first().waitFor();
    await a11y('wrong code');
    await page.getByLabel(t.codeLabel).fill('123456');
    await page.getByRole('button', { name: t.confirmCode }).click();
    await page.getByRole('heading', { level: 1, name: t.done }).waitFor();
    await a11y('signed up after verifying');

    // The second, on the same phone: no code asked.
    await signUp(page, t, second, phoneNumber);
    await page.getByRole('heading', { level: 1, name: t.done }).waitFor();
    assert.equal(await page.getByRole('heading', { name: t.verifyTitle }).count(), 0, 'not asked again');
    assertOnlyProvokedRefusals(errors);
    return { context, page, errors };
  } catch (e) {
    await context.close();
    throw e;
  }
}

test('the first sign-up from a phone asks for the code, the second does not (Chinese); offline later, one arrives once', { skip: !VERIFY_URL }, async () => {
  const { context, page, errors } = await journey({ t: ZH, phoneNumber: '13612340001' });
  try {
    const third = (await events())[2];
    await signUp(page, ZH, third, '13612340001', () => context.setOffline(true));
    await page.getByRole('status').filter({ hasText: ZH.saved }).waitFor();
    await context.setOffline(false);
    await page.goto('/mine');
    const entry = page.locator('.outbox__entry').filter({ hasText: third.title.zh });
    await entry.getByText(ZH.sent).waitFor();
    const after = await (await fetch(`${VERIFY_URL}/api/events/${third.id}`)).json();
    assert.equal(after.taken ?? after.summary?.taken, third.taken + 1, 'sent once, with the token');
    assertOnlyProvokedRefusals(errors, /net::ERR_INTERNET_DISCONNECTED|^request failed: /);
  } finally {
    await context.close();
  }
});

test('the same in English', { skip: !VERIFY_URL }, async () => {
  const { context } = await journey({ t: EN, phoneNumber: '13612340002', setup: inEnglish });
  await context.close();
});

test('the same in elder mode (长辈版)', { skip: !VERIFY_URL }, async () => {
  const { context } = await journey({ t: ZH, phoneNumber: '13612340003', setup: inElderMode, elder: true });
  await context.close();
});

test('a 预看房 booking asks the buyer for the code in the flow, then books (Chinese)', { skip: !VERIFY_URL }, async () => {
  const { context, page, errors } = await newPhone(browser, { baseURL: VERIFY_URL });
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  try {
    await page.goto('/');
    await page.getByRole('navigation').getByRole('link', { name: '预看房' }).click();
    await heading('新房预看房');
    await page.locator('.card').filter({ hasText: '奉贤新城·星澜苑' }).getByRole('link', { name: '预约看房' }).click();
    await heading('房屋和购房人信息');
    await page.getByLabel('楼号', { exact: true }).fill('3');
    await page.getByLabel('单元', { exact: true }).fill('1');
    await page.getByLabel('室号', { exact: true }).fill('1201');
    await page.getByLabel('购房人姓名').fill('张三');
    await page.getByLabel('手机号码').fill('13800138000');
    await page.getByRole('button', { name: '继续' }).click();
    await heading('选择看房时段');
    await page.locator('label[for="slot-first"]').click();
    await page.getByRole('button', { name: '继续' }).click();
    await heading('看房人数和备注');
    await page.getByRole('button', { name: '继续' }).click();
    await heading('请核对预约信息');
    await page.getByRole('button', { name: '确认预约' }).click();

    await page.getByRole('heading', { level: 2, name: ZH.verifyTitle }).waitFor();
    await assertAccessible(page, 'check your phone, booking');
    assert.equal(await page.getByRole('button', { name: '确认预约' }).count(), 0, 'the code form sends it, not a second button');
    await page.getByLabel(ZH.codeLabel).fill('123456');
    await page.getByRole('button', { name: ZH.confirmCode }).click();
    await heading('预约成功');
    assertOnlyProvokedRefusals(errors);
  } finally {
    await context.close();
  }
});
