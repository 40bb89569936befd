// Working without a connection, on a phone whose network is switched off through the
// DevTools protocol (Playwright's setOffline) while a test-only proxy in front of the
// server also drops every connection, so the service worker's own requests fail too:
// - the app is installable, and opens offline with the last events list it saw;
// - a sign-up and a survey made offline wait in 我的 (through a reload), and go once the
//   phone is back online: the server holds exactly one of each;
// - a booking whose answer is lost after the server stored it is sent again with the same
//   key: the same code, one booking;
// - an offline booking for a time that fills up meanwhile is refused with the reason, and
//   choosing another time from 我的 books it (with a new key);
// - a new build's service worker replaces the old one, and no stale shell is served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE_URL, newPersistentPhone, assertAccessible, assertNoHorizontalScroll } from './helpers.js';
import { startProxy } from '../proxy.js';

// The failures these journeys cause on purpose; anything else is an error. `also` names
// a journey's own (the refusal it provokes).
const CAUSED = /net::ERR_(INTERNET_DISCONNECTED|EMPTY_RESPONSE|CONTENT_LENGTH_MISMATCH|CONNECTION_\w+|FAILED|ABORTED)|^request failed: /;
function assertOnlyNetworkFailures(errors, also = /$^/) {
  assert.deepEqual(errors.filter((e) => !CAUSED.test(e) && !also.test(e)), [], 'console errors');
}

/** A phone (its own profile) behind its own proxy, with the service worker in control. */
async function phone() {
  const proxy = await startProxy(BASE_URL);
  const dir = await mkdtemp(join(tmpdir(), 'qm-phone-'));
  const { context, page, errors } = await newPersistentPhone(dir, { baseURL: proxy.url });
  const network = {
    async off() { proxy.setOffline(true); await context.setOffline(true); },
    async on() { proxy.setOffline(false); await context.setOffline(false); },
  };
  const close = async () => {
    await context.close();
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  };
  await page.goto('/');
  await page.getByRole('heading', { level: 1, name: '奉贤区质量月' }).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: 20_000 });
  return { proxy, context, page, errors, network, close };
}

async function api(path, init) {
  const response = await fetch(`${BASE_URL}${path}`, init);
  return { status: response.status, body: await response.json() };
}

async function post(path, body, key = crypto.randomUUID()) {
  return api(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

const heading = (page, name) => page.getByRole('heading', { level: 1, name }).waitFor();

/** The outbox entry in 我的 whose heading has `text`. */
const entry = (page, text) => page.locator('.outbox__entry').filter({ hasText: text });

test('the app is installable, and opens offline with the last events list it saw', async () => {
  const { context, page, errors, network, close } = await phone();
  try {
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, [], 'Chromium sees the app as installable');
    const { errors: manifestErrors } = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifestErrors, [], 'the manifest has no errors');

    await page.getByRole('link', { name: '查看全部活动' }).click();
    await heading(page, '质量月活动');
    const titles = await page.locator('.card__title').allTextContents();
    assert.ok(titles.length > 0, 'events are listed');

    await network.off();
    await page.reload();
    await heading(page, '质量月活动');
    await page.getByRole('status').filter({ hasText: '离线 · 数据更新于' }).waitFor();
    assert.deepEqual(await page.locator('.card__title').allTextContents(), titles, 'the same list, from the phone');
    await assertAccessible(page, 'events offline');
    await assertNoHorizontalScroll(page, 'events offline');
    assertOnlyNetworkFailures(errors);
  } finally {
    await close();
  }
});

test('a sign-up and a survey made offline wait in 我的 and are sent once when back online', async () => {
  const { page, errors, network, close } = await phone();
  try {
    const events = (await api('/api/events')).body;
    const event = events.find((e) => e.status === 'published' && e.places_left >= 4 && !e.title.zh.includes('义诊日'));
    assert.ok(event, 'an event with places');
    const survey = (await api('/api/surveys/current')).body;
    const responsesBefore = (await api(`/api/surveys/${survey.id}/results`)).body.responses;

    // Seen once online: the event and the survey.
    await page.goto(`/events/${event.id}/signup`);
    await page.getByLabel('姓名').waitFor();
    await page.getByRole('navigation').getByRole('link', { name: '满意度' }).click();
    await heading(page, '市民质量满意度调查');

    await network.off();
    // The sign-up.
    await page.goBack();
    await page.getByLabel('姓名').fill('顾玉兰');
    await page.getByLabel('手机号码').fill('13700137001');
    await page.getByText('2 人', { exact: true }).click();
    await page.getByRole('button', { name: '继续' }).click();
    await heading(page, '请核对报名信息');
    await page.getByRole('button', { name: '确认报名' }).click();
    await page.getByRole('status').filter({ hasText: '已保存在本机' }).waitFor();
    await assertAccessible(page, 'sign-up saved on the phone');

    // The survey: the shortest way through, every question answered.
    await page.getByRole('navigation').getByRole('link', { name: '满意度' }).click();
    await heading(page, '市民质量满意度调查');
    await page.getByRole('button', { name: '开始填写' }).click();
    const form = page.locator('main form');
    const choose = async (label) => {
      await form.getByText(label, { exact: true }).first().click();
      await page.getByRole('button', { name: '下一题' }).click();
    };
    await choose('金汇镇');
    await choose('45–59 岁');
    for (let i = 0; i < 5; i += 1) await choose('满意');
    for (let i = 0; i < 3; i += 1) await choose('满意');
    await choose('9');
    await form.getByText('食品安全', { exact: true }).click();
    await page.getByRole('button', { name: '下一题' }).click();
    await page.getByRole('textbox').fill('离线填写 / answered offline');
    await page.getByRole('button', { name: '下一题' }).click();
    await heading(page, '请核对您的答案');
    await page.getByRole('button', { name: '提交问卷' }).click();
    await page.getByRole('status').filter({ hasText: '已保存在本机' }).waitFor();

    // Both wait in 我的, and still do after the app is closed and opened again offline.
    await page.reload();
    await page.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    await heading(page, '我的');
    await entry(page, '活动报名').getByText('已保存在本机').waitFor();
    await entry(page, '满意度问卷').getByText('已保存在本机').waitFor();
    await assertAccessible(page, 'outbox with waiting entries');
    await assertNoHorizontalScroll(page, 'outbox');

    await network.on();
    await entry(page, '活动报名').getByText('已提交').waitFor();
    await entry(page, '满意度问卷').getByText('已提交').waitFor();
    const code = (await entry(page, '活动报名').locator('.code').textContent()).trim();

    // Exactly one of each on the server.
    const after = (await api(`/api/events/${event.id}`)).body;
    assert.equal(after.taken ?? after.summary?.taken, event.taken + 2, 'two more places taken, once');
    const lookedUp = await post(`/api/registrations/${code}/lookup`, { phone: '13700137001' });
    assert.equal(lookedUp.status, 200);
    assert.equal(lookedUp.body.party_size, 2);
    // The public results do not move by one response (they change in steps of ten), so
    // they cannot tell this one apart; the server's own tests count responses.
    assert.deepEqual((await api(`/api/surveys/${survey.id}/results`)).body.responses, responsesBefore,
      'the public results do not single out one response');
    // The sign-up is in 我的's list too.
    await page.locator('.card').filter({ hasText: code }).first().waitFor();
    assertOnlyNetworkFailures(errors);
  } finally {
    await close();
  }
});

/** Opens 奉贤新城·星澜苑's booking and fills in the buyer step. */
async function startBooking(page, buyer) {
  await page.getByRole('navigation').getByRole('link', { name: '预看房' }).click();
  await heading(page, '新房预看房');
  await page.locator('.card').filter({ hasText: '奉贤新城·星澜苑' }).getByRole('link', { name: '预约看房' }).click();
  await heading(page, '房屋和购房人信息');
  await page.getByLabel('楼号', { exact: true }).fill(buyer.building);
  await page.getByLabel('单元', { exact: true }).fill(buyer.unit);
  await page.getByLabel('室号', { exact: true }).fill(buyer.room);
  await page.getByLabel('购房人姓名').fill(buyer.name);
  await page.getByLabel('手机号码').fill(buyer.phone);
  await page.getByRole('button', { name: '继续' }).click();
  await heading(page, '选择看房时段');
}

/** From the time step: on through the visit step to the check page, and confirm. */
async function confirmBooking(page) {
  await page.getByRole('button', { name: '继续' }).click();
  await heading(page, '看房人数和备注');
  await page.getByRole('button', { name: '继续' }).click();
  await heading(page, '请核对预约信息');
  await page.getByRole('button', { name: '确认预约' }).click();
}

async function projectSlots() {
  const project = (await api('/api/inspections/projects')).body.find((p) => p.name.zh === '奉贤新城·星澜苑');
  return { project, slots: (await api(`/api/inspections/projects/${project.id}/slots`)).body };
}

test('a booking whose answer is lost is sent again with the same key: same code, one booking', async () => {
  const { proxy, page, errors, close } = await phone();
  try {
    const { project, slots } = await projectSlots();
    await startBooking(page, { building: '3', unit: '2', room: '801', name: '王芳', phone: '13800138002' });
    await page.locator('label[for="slot-first"]').click();
    const chosenId = Number(await page.locator('#slot-first').getAttribute('value'));
    const before = slots.find((s) => s.id === chosenId).taken;

    const lost = proxy.dropAnswerOf((req) => req.method === 'POST' && req.url === '/api/inspections/bookings');
    await confirmBooking(page);
    const stored = await lost;
    assert.equal(stored.status, 201, 'the server stored the booking');
    const storedCode = JSON.parse(stored.body).code;
    await page.getByRole('status').filter({ hasText: '已保存在本机' }).waitFor();

    // The outbox tries again on its backoff timer, with the same key.
    await page.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    await entry(page, '预看房预约').getByText('已提交').waitFor({ timeout: 20_000 });
    const code = (await entry(page, '预看房预约').locator('.code').textContent()).trim();
    assert.equal(code, storedCode, 'the retry got the stored answer');
    const sends = proxy.log.filter((r) => r.method === 'POST' && r.url === '/api/inspections/bookings');
    assert.equal(sends.length, 2);
    assert.equal(sends[0].headers['idempotency-key'], sends[1].headers['idempotency-key']);

    const after = (await api(`/api/inspections/projects/${project.id}/slots`)).body.find((s) => s.id === chosenId);
    assert.equal(after.taken, before + 1, 'one booking, not two');
    assert.equal((await post(`/api/inspections/bookings/${code}/lookup`, { phone: '13800138002' })).status, 200);
    assertOnlyNetworkFailures(errors);
  } finally {
    await close();
  }
});

test('an offline booking for a time that fills up meanwhile is refused, and another time books it', async () => {
  const { proxy, page, errors, network, close } = await phone();
  try {
    const { project, slots } = await projectSlots();
    const last = slots.find((s) => s.places_left === 1);
    assert.ok(last, 'the demo has a time with one place left');
    await startBooking(page, { building: '3', unit: '2', room: '802', name: '赵敏', phone: '13800138004' });

    await network.off();
    const radio = page.locator(`input[name="slot"][value="${last.id}"]`);
    await page.locator(`label[for="${await radio.getAttribute('id')}"]`).click();
    await confirmBooking(page);
    await page.getByRole('status').filter({ hasText: '已保存在本机' }).waitFor();

    // Meanwhile, someone else takes the last place.
    const other = await post('/api/inspections/bookings', {
      project_id: project.id, building: '3', unit: '2', room: '901', buyer_name: '陈静',
      phone: '13800138005', slot_id: last.id, party_size: 1, notes: '',
    });
    assert.equal(other.status, 201);

    await page.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    await heading(page, '我的');
    await network.on();
    const refused = entry(page, '预看房预约');
    await refused.getByText('未成功').waitFor();
    await refused.getByText('这个时段刚刚约满了').waitFor();
    await assertAccessible(page, 'outbox with a refused entry');

    await refused.getByRole('link', { name: '重新选择时段' }).click();
    await heading(page, '选择看房时段');
    await page.locator('label[for="slot-first"]').click();
    await confirmBooking(page);
    await heading(page, '预约成功');
    const code = (await page.locator('.panel__code').first().textContent()).trim();

    await page.getByRole('navigation').getByRole('link', { name: '我的' }).click();
    await entry(page, '预看房预约').getByText('已提交').waitFor();
    assert.equal(await page.getByText('未成功').count(), 0, 'the corrected booking replaced the refused one');
    const sends = proxy.log.filter((r) => r.method === 'POST' && r.url === '/api/inspections/bookings');
    assert.deepEqual(sends.map((r) => r.status), [409, 201], 'refused, then the corrected one booked');
    assert.notEqual(sends[0].headers['idempotency-key'], sends[1].headers['idempotency-key'], 'the correction has a new key');
    assert.equal((await post(`/api/inspections/bookings/${code}/lookup`, { phone: '13800138004' })).status, 200);
    assertOnlyNetworkFailures(errors, /status of 409 \(Conflict\)/);
  } finally {
    await close();
  }
});

test("a new build's service worker replaces the old one, with no stale shell", async () => {
  const { proxy, page, errors, network, close } = await phone();
  try {
    const cachesNow = () => page.evaluate(() => caches.keys());
    const [old] = await cachesNow();
    assert.match(old, /^qm-shell-/);

    // The next release: a new worker version and a page that says which build it is.
    proxy.rewriteWith((url, text, headers) => {
      if (url === '/sw.js') return text.replace(/const VERSION = '([^']+)';/, "const VERSION = '$1-next';");
      if (String(headers['content-type']).startsWith('text/html')) {
        return text.replace('<head>', '<head><meta name="qm-build" content="next">');
      }
      return undefined;
    });
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r.update()));
    // The new worker keeps the new build and drops the old one's files when it takes over.
    const deadline = Date.now() + 20_000;
    let kept = await cachesNow();
    while (!(kept.length === 1 && kept[0] === `${old}-next`)) {
      assert.ok(Date.now() < deadline, `the new worker took over (caches: ${kept})`);
      await page.waitForTimeout(100);
      kept = await cachesNow();
    }

    await page.reload();
    await heading(page, '奉贤区质量月');
    assert.equal(await page.locator('meta[name="qm-build"]').count(), 1, 'online, the new page');

    await network.off();
    await page.reload();
    await heading(page, '奉贤区质量月');
    assert.equal(await page.locator('meta[name="qm-build"]').count(), 1, 'offline, the new build kept on the phone');
    assertOnlyNetworkFailures(errors);
  } finally {
    await close();
  }
});
