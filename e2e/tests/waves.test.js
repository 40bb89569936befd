// A survey wave run from the staff app, from draft to published results. The analyst copies
// last year's wave, rewords one question and previews it in elder mode in the residents'
// app, opens it; a resident is offered the new wave on a phone and answers; the analyst
// types in two paper forms with the keyboard only, reads the analysis, closes and
// publishes; the public results page shows the new wave at its own address. axe on every
// page; no console errors. Runs last: it opens a wave that residents are then offered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL, launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll,
} from './helpers.js';
import { staffErrors } from './staff-helpers.js';

const PASSWORD = process.env.QM_E2E_STAFF_PASSWORD;
const LAPTOP = { viewport: { width: 1280, height: 800 }, baseURL: BASE_URL };
const WAVE = '2027年度奉贤区市民质量满意度调查（试点）';
const REWORDED = '您对日常消费品（含网购商品）的质量满意吗？';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** Today and a month on, Beijing time, as the date fields take them. */
function beijingDays() {
  const day = (ms) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
  return { today: day(Date.now()), later: day(Date.now() + 30 * 86_400_000) };
}

/** What a paper form says for each question: the first option, 4 on a scale (no
 * follow-up), 8 of 10, the first two of many; optional text left blank. */
function typedFor(q) {
  switch (q.type) {
    case 'scale5': return '4';
    case 'rating10': return '8';
    case 'multiple': return '1 2';
    case 'text': return q.required ? '好' : '';
    default: return '1';
  }
}

/** The same answers as the API takes them, for the resident on the phone. */
function answersFor(definition) {
  const answers = {};
  for (const q of definition.questions) {
    if (q.show_if) continue;
    switch (q.type) {
      case 'scale5': answers[q.id] = 4; break;
      case 'rating10': answers[q.id] = 8; break;
      case 'multiple': answers[q.id] = [q.options[0].value]; break;
      case 'text': break;
      default: answers[q.id] = q.options[0].value;
    }
  }
  return answers;
}

test('an analyst runs a wave from draft to published results', async () => {
  const context = await browser.newContext(LAPTOP);
  const page = await context.newPage();
  const errors = staffErrors(page);
  const { today, later } = beijingDays();
  try {
    // An analyst's home is the survey.
    await page.goto('/staff/');
    await page.getByLabel('账号').fill('analyst');
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: '满意度调查' }).waitFor();
    await assertAccessible(page, 'waves');

    // A new draft from last year's questions.
    await page.getByLabel('名称（中文）').fill(WAVE);
    await page.getByLabel('名称（英文）').fill('Fengxian residents’ quality satisfaction survey 2027 (pilot)');
    await page.getByLabel('开始日期').fill(today);
    await page.getByLabel('结束日期').fill(later);
    await page.getByLabel('题目来源').selectOption({ label: '2025年度奉贤区市民质量满意度调查' });
    await page.getByRole('button', { name: '新建草稿' }).click();
    await page.getByRole('heading', { level: 1, name: WAVE }).waitFor();
    await page.getByText('草稿', { exact: true }).waitFor();

    // A broken edit is named by question, beside the text, and not saved.
    const editor = page.getByLabel('题目（JSON）');
    const original = JSON.parse(await editor.inputValue());
    const broken = structuredClone(original);
    broken.questions[1].show_if = { question: 'nowhere', any_of: [1] };
    await editor.fill(JSON.stringify(broken, null, 2));
    await page.getByRole('button', { name: '检查' }).click();
    await page.getByRole('button', { name: new RegExp(`^${broken.questions[1].id}：跳题条件引用了不存在的题目 nowhere`) }).waitFor();
    await assertAccessible(page, 'definition with a problem');

    // One question reworded (the first about products), saved as version 2.
    const edited = structuredClone(original);
    const product = edited.questions.findIndex((q) => q.dimension === 'product');
    assert.equal(edited.questions[product].type, 'scale5');
    edited.questions[product].text.zh = REWORDED;
    await editor.fill(JSON.stringify(edited, null, 2));
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText(/第 2 版/).waitFor();

    // The preview: the residents' app in a new tab, in elder mode, shows the new words.
    const [preview] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('link', { name: '预览（居民看到的样子）' }).click(),
    ]);
    const previewErrors = staffErrors(preview);
    await preview.getByRole('button', { name: '长辈版' }).click();
    await preview.getByRole('button', { name: '开始填写' }).click();
    await preview.locator('main form').getByText('南桥镇', { exact: true }).click();
    await preview.getByRole('button', { name: '下一题' }).click();
    await preview.locator('main form').getByText('60–74 岁', { exact: true }).click();
    await preview.getByRole('button', { name: '下一题' }).click();
    await preview.getByRole('heading', { level: 1, name: REWORDED }).waitFor();
    await assertAccessible(preview, 'preview in elder mode', { enhanced: true });
    assertNoConsoleErrors(previewErrors);
    await preview.close();

    // Open.
    await page.getByRole('button', { name: '开始调查' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('进行中', { exact: true }).waitFor();
    await assertAccessible(page, 'open wave');
    const waveId = Number(new URL(page.url()).pathname.split('/').pop());

    // A resident on a phone is offered the new wave, and answers it.
    const phone = await newPhone(browser);
    try {
      await phone.page.goto('/survey');
      await phone.page.getByText(WAVE).waitFor();
      const status = await phone.page.evaluate(async ({ id, answers }) => {
        const r = await fetch(`/api/surveys/${id}/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
          body: JSON.stringify({ version: 2, town: answers.town, answers }),
        });
        return r.status;
      }, { id: waveId, answers: answersFor(edited) });
      assert.equal(status, 201, 'the resident’s answers are in');
      assertNoConsoleErrors(phone.errors);
    } finally {
      await phone.context.close();
    }

    // Two paper forms, keyboard only.
    await page.getByRole('link', { name: '录入纸质问卷' }).click();
    await page.getByRole('heading', { level: 1, name: '录入纸质问卷' }).waitFor();
    await assertAccessible(page, 'paper entry');
    for (const n of [1, 2]) {
      for (;;) {
        const answer = page.locator('#paper-answer');
        const review = page.getByRole('heading', { name: '核对后保存' });
        await Promise.race([answer.waitFor(), review.waitFor()]);
        if (await review.isVisible()) break;
        const question = (await page.locator('label[for="paper-answer"]').textContent()).trim();
        const q = edited.questions.find((x) => x.text.zh === question);
        assert.ok(q, `a question of the wave: ${question}`);
        await page.keyboard.type(typedFor(q));
        await page.keyboard.press('Enter');
        await page.waitForFunction((before) => {
          const label = document.querySelector('label[for="paper-answer"]');
          return !label || label.textContent.trim() !== before;
        }, question);
      }
      if (n === 1) await assertAccessible(page, 'paper review');
      await page.keyboard.press('Enter');
      await page.getByText(new RegExp(`本次已录入 ${n} 份`)).waitFor();
    }

    // The analysis counts the paper forms apart.
    await page.getByRole('link', { name: WAVE }).click();
    await page.getByRole('link', { name: '分析' }).click();
    await page.getByRole('heading', { level: 1, name: '分析（仅工作人员可见）' }).waitFor();
    const channels = page.getByRole('table').filter({ has: page.getByRole('rowheader', { name: '纸质' }) });
    assert.equal((await channels.getByRole('row').filter({ hasText: '纸质' }).getByRole('cell').first().textContent()).trim(), '2');
    await page.getByRole('heading', { name: /与上一轮比较/ }).waitFor();
    await assertAccessible(page, 'analysis');

    // Close, then publish.
    await page.goBack();
    await page.getByRole('button', { name: '结束调查' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('已结束', { exact: true }).waitFor();
    await page.getByRole('button', { name: '发布结果' }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByText('已发布', { exact: true }).waitFor();
    assertNoConsoleErrors(errors);

    // The public page shows the new wave, at its own address too.
    const resident = await newPhone(browser);
    try {
      await resident.page.goto('/survey/results');
      await resident.page.getByRole('heading', { level: 1, name: '调查结果' }).waitFor();
      assert.equal((await resident.page.locator('#wave-name').textContent()).trim(), WAVE, 'the latest wave first');
      // Three answers in all: too few to show any figure about them.
      await resident.page.getByText('答卷不足 10 份，暂不公布结果').waitFor();
      await assertAccessible(resident.page, 'published results');
      await assertNoHorizontalScroll(resident.page, 'published results');
      await resident.page.goto(`/survey/results/${waveId}`);
      await resident.page.getByRole('heading', { level: 1, name: '调查结果' }).waitFor();
      assert.equal((await resident.page.locator('#wave-name').textContent()).trim(), WAVE, 'at its own address');
      assertNoConsoleErrors(resident.errors);
    } finally {
      await resident.context.close();
    }
  } finally {
    await context.close();
  }
});
