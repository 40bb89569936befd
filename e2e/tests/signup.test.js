// The resident's journey through Quality Month events, on a phone: home → filter by town
// → event → sign up → confirmation → Mine → cancel. Once in Chinese, once in English,
// once in elder mode (长辈版).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll,
} from './helpers.js';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const ZH = {
  home: '奉贤区质量月', allEvents: '查看全部活动', eventsHeading: '质量月活动', town: '镇、街道',
  nanqiao: '南桥镇', count: /共 \d+ 场活动/, event: '市民质量义诊日：家电、眼镜免费检测', beijing: '北京时间',
  signUp: '我要报名', continue: '继续', problem: '请检查以下内容', name: '姓名', phone: '手机号码',
  two: '2 人', check: '请核对报名信息', confirm: '确认报名', done: '报名成功', code: '报名码',
  mine: '查看我的报名', mineHeading: '我的', cancel: '取消报名', cancelYes: '确定取消', cancelled: '已取消',
  personName: '张秀英',
};
const EN = {
  home: 'Fengxian Quality Month', allEvents: 'See all events', eventsHeading: 'Quality Month events',
  town: 'Town', nanqiao: 'Nanqiao Town', count: /\d+ events?/,
  event: "Residents' quality clinic: free checks of appliances and glasses", beijing: 'Beijing time',
  signUp: 'Sign up', continue: 'Continue', problem: 'There is a problem', name: 'Full name',
  phone: 'Mobile number', two: '2 people', check: 'Check your answers', confirm: 'Confirm sign-up',
  done: 'You are signed up', code: 'Your code', mine: 'See my sign-ups', mineHeading: 'Mine',
  cancel: 'Cancel sign-up', cancelYes: 'Yes, cancel', cancelled: 'Cancelled', personName: 'Mary Wang',
};

async function journey({ t, phoneNumber, setup, elder = false }) {
  const { context, page, errors } = await newPhone(browser);
  const a11y = (where) => assertAccessible(page, where, { enhanced: elder });
  try {
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: ZH.home }).waitFor();
    await setup?.(page);
    await page.getByRole('heading', { level: 1, name: t.home }).waitFor();
    await a11y('home');
    await assertNoHorizontalScroll(page, 'home');

    // Events, filtered by town.
    await page.getByRole('link', { name: t.allEvents }).click();
    await page.getByRole('heading', { level: 1, name: t.eventsHeading }).waitFor();
    await page.getByLabel(t.town).selectOption({ label: t.nanqiao });
    await page.waitForURL(/town=nanqiao/);
    await page.getByRole('status').filter({ hasText: t.count }).waitFor();
    // The list refreshes after the address changes; wait for the filtered cards rather than
    // reading the previous list that is still on screen for a moment.
    await page.waitForFunction((town) => {
      const cards = [...document.querySelectorAll('.card__kind')];
      return cards.length > 0 && cards.every((c) => c.textContent.includes(town));
    }, t.nanqiao, { timeout: 10_000 }).catch(() => {});
    const kinds = await page.locator('.card__kind').allTextContents();
    assert.ok(kinds.length > 0, 'Nanqiao has events');
    for (const k of kinds) assert.ok(k.includes(t.nanqiao), `every card is in ${t.nanqiao}: ${k}`);
    await a11y('events filtered by town');
    await assertNoHorizontalScroll(page, 'events');

    // The event.
    await page.getByRole('link', { name: t.event }).click();
    await page.getByRole('heading', { level: 1, name: t.event }).waitFor();
    assert.ok(await page.getByText(t.beijing).first().isVisible(), 'times say Beijing time');
    await a11y('event detail');

    // Sign up: an empty form first, to meet the error summary.
    await page.getByRole('link', { name: t.signUp }).click();
    await page.getByRole('button', { name: t.continue }).click();
    const summary = page.getByRole('alert').filter({ hasText: t.problem });
    await summary.waitFor();
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the error summary takes focus');
    await a11y('sign-up form with errors');
    await page.getByLabel(t.name).fill(t.personName);
    await page.getByLabel(t.phone).fill(phoneNumber);
    await page.getByText(t.two, { exact: true }).click();
    await page.getByRole('button', { name: t.continue }).click();

    // Check your answers.
    await page.getByRole('heading', { level: 1, name: t.check }).waitFor();
    const masked = `${phoneNumber.slice(0, 3)}****${phoneNumber.slice(7)}`;
    assert.ok(await page.getByText(masked).isVisible(), 'the phone number is shown masked');
    await a11y('check your answers');
    await page.getByRole('button', { name: t.confirm }).click();

    // Confirmation with the code.
    await page.getByRole('heading', { level: 1, name: t.done }).waitFor();
    const code = (await page.locator('.panel__code').textContent()).trim();
    assert.match(code, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    await a11y('confirmation');

    // Mine shows it; cancel it (with a confirmation step).
    await page.getByRole('link', { name: t.mine }).click();
    await page.getByRole('heading', { level: 1, name: t.mineHeading }).waitFor();
    const card = page.locator('.card').filter({ hasText: code });
    await card.getByRole('link', { name: t.event }).waitFor();
    await a11y('mine');
    await card.getByRole('button', { name: t.cancel }).click();
    await card.getByRole('button', { name: t.cancelYes }).click();
    await card.getByText(t.cancelled, { exact: true }).waitFor();
    await a11y('mine after cancelling');
    assertNoConsoleErrors(errors);
    return { page, code };
  } finally {
    await context.close();
  }
}

test('a resident signs up for a clinic day and cancels, in Chinese', async () => {
  await journey({ t: ZH, phoneNumber: '13912340001' });
});

test('the same journey in English', async () => {
  await journey({
    t: EN,
    phoneNumber: '13912340002',
    setup: async (page) => {
      await page.getByRole('button', { name: 'Switch to English' }).click();
      await page.getByRole('heading', { level: 1, name: EN.home }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    },
  });
});

test('the same journey in elder mode (长辈版), remembered after a reload', async () => {
  await journey({
    t: ZH,
    phoneNumber: '13912340003',
    elder: true,
    setup: async (page) => {
      await page.getByRole('button', { name: '长辈版' }).click();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: ZH.home }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('elder')), true);
      const size = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
      assert.ok(size >= 18, `elder body text is at least 18px (is ${size})`);
    },
  });
});

test('an unknown address shows the not-found page', async () => {
  const { context, page, errors } = await newPhone(browser);
  try {
    await page.goto('/no/such/page');
    await page.getByRole('heading', { level: 1, name: '找不到这个页面' }).waitFor();
    await assertAccessible(page, 'not found');
    await page.getByRole('link', { name: '返回首页' }).click();
    await page.getByRole('heading', { level: 1, name: ZH.home }).waitFor();
    assertNoConsoleErrors(errors);
  } finally {
    await context.close();
  }
});
