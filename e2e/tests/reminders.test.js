// Reminders and calendar feeds, on a 390×844 phone: the events list's "subscribe" carries
// the town and kind chosen (and the feed it names holds just those events); a resident who
// signed up (phone verified) turns text reminders off in 我的, and finds them still off
// after a reload, then shows their own calendar address, which lists the sign-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll,
  inElderMode,
} from './helpers.js';

const VERIFY_URL = process.env.QM_E2E_VERIFY_URL;

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

test('the subscribe link on the events list carries the town and kind chosen', async () => {
  const { context, page, errors } = await newPhone(browser);
  try {
    await page.goto('/events?town=nanqiao&kind=training');
    await page.getByRole('heading', { level: 1, name: '质量月活动' }).waitFor();
    await page.getByText('订阅到手机日历').click();
    const open = page.getByRole('link', { name: '用日历应用订阅' });
    await open.waitFor();
    const host = new URL(BASE_URL).host;
    assert.equal(await open.getAttribute('href'),
      `webcal://${host}/api/calendar/events.ics?town=nanqiao&category=training`);
    await page.getByText('订阅内容：南桥镇 · 贤质堂培训的活动').waitFor();
    const address = await page.getByLabel('订阅地址').inputValue();
    assert.equal(address, `http://${host}/api/calendar/events.ics?town=nanqiao&category=training`);
    await assertAccessible(page, 'events list with the subscribe panel open');
    await assertNoHorizontalScroll(page, 'events list with the subscribe panel open');

    // The feed it names holds Nanqiao's trainings, and nothing else.
    const feed = await (await fetch(address)).text();
    assert.match(feed, /^BEGIN:VCALENDAR/);
    const list = await (await fetch(`${BASE_URL}/api/events?town=nanqiao&category=training`)).json();
    assert.ok(list.length > 0, 'Nanqiao has trainings');
    for (const e of list) assert.ok(feed.includes(`UID:event-${e.id}@quality-month`), `event ${e.id} is in the feed`);
    const others = await (await fetch(`${BASE_URL}/api/events?town=haiwan`)).json();
    for (const e of others) assert.ok(!feed.includes(`UID:event-${e.id}@`), `event ${e.id} is not`);

    // Changing a filter changes the link.
    await page.getByLabel('活动类型').selectOption({ value: '' });
    await page.waitForURL((url) => !url.search.includes('kind='));
    assert.equal(await open.getAttribute('href'), `webcal://${host}/api/calendar/events.ics?town=nanqiao`);
    assertNoConsoleErrors(errors);
  } finally {
    await context.close();
  }
});

test('我的 turns text reminders off, and shows the phone its own calendar (elder mode)', { skip: !VERIFY_URL }, async () => {
  const { context, page, errors } = await newPhone(browser, { baseURL: VERIFY_URL });
  const phoneNumber = '13612340077';
  try {
    const list = await (await fetch(`${VERIFY_URL}/api/events`)).json();
    const event = list.find((e) => e.status === 'published' && e.places_left >= 2);
    await page.goto('/');
    await inElderMode(page);
    await page.goto(`/events/${event.id}/signup`);
    await page.getByLabel('姓名').fill('沈佩华');
    await page.getByLabel('手机号码').fill(phoneNumber);
    await page.getByRole('button', { name: '继续' }).click();
    await page.getByRole('heading', { level: 1, name: '请核对报名信息' }).waitFor();
    await page.getByRole('button', { name: '确认报名' }).click();
    await page.getByLabel('短信验证码').fill('123456');
    await page.getByRole('button', { name: '确认并提交' }).click();
    await page.getByRole('heading', { level: 1, name: '报名成功' }).waitFor();

    await page.goto('/mine');
    await page.getByRole('heading', { level: 2, name: '短信提醒' }).waitFor();
    const masked = `${phoneNumber.slice(0, 3)}****${phoneNumber.slice(7)}`;
    const toggle = page.getByRole('switch', { name: `向 ${masked} 发送提醒` });
    await page.waitForFunction(() => !document.querySelector('input[role="switch"]')?.disabled);
    assert.equal(await toggle.isChecked(), true, 'reminders are on until turned off');
    await assertAccessible(page, '我的 with reminders', { enhanced: true });
    await assertNoHorizontalScroll(page, '我的 with reminders');
    await toggle.click();
    await page.getByRole('status').filter({ hasText: /^关$/ }).waitFor();

    // Kept on the server, not only on screen.
    await page.reload();
    await page.waitForFunction(() => !document.querySelector('input[role="switch"]')?.disabled);
    assert.equal(await page.getByRole('switch', { name: `向 ${masked} 发送提醒` }).isChecked(), false,
      'still off after a reload');

    // The phone's own calendar: its sign-up, no number.
    await page.getByRole('button', { name: '显示我的订阅地址' }).click();
    const address = await page.getByLabel('订阅地址').inputValue();
    assert.match(address, /\/api\/calendar\/feeds\/[A-Za-z0-9_-]+\.ics$/);
    const feed = await (await fetch(address)).text();
    assert.ok(feed.includes(`UID:event-${event.id}@quality-month`), 'the sign-up is in the feed');
    assert.ok(!feed.includes(phoneNumber), 'no phone number in a calendar');
    await page.getByRole('button', { name: '重新生成地址' }).click();
    await page.getByText('已生成新地址，旧地址已失效。').waitFor();
    assert.equal((await fetch(address)).status, 404, 'the old address stops');
    await assertAccessible(page, '我的 with the calendar address', { enhanced: true });
    // The first write before the phone was proved is refused on purpose (401).
    assert.deepEqual(errors.filter((e) => !/status of 401/.test(e)), [], 'console errors');
  } finally {
    await context.close();
  }
});
