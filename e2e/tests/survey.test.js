// A resident answers the quality-satisfaction survey on a phone: intro → one question per
// page → (reload in the middle: resumes at the same question) → check, change one answer
// → send → reference → results. In Chinese down the branch that asks the construction
// follow-up, in English down the branch that skips it, and in elder mode.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll,
  inEnglish, inElderMode,
} from './helpers.js';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const ZH = {
  tab: '满意度', title: '市民质量满意度调查', start: '开始填写', next: '下一题', toCheck: '核对答案',
  problem: '请检查以下内容', progress: (n, total) => `第 ${n} 题 / 共 ${total} 题`,
  town: '南桥镇', age: '60–74 岁', newAge: '45–59 岁', ageQuestion: '您的年龄段？',
  satisfied: '满意', verySatisfied: '非常满意', neutral: '一般', dissatisfied: '不满意', dontKnow: '不了解',
  housingQuestion: '您对新建住宅的工程质量满意吗？', followUp: '您遇到的住宅质量问题主要是？', leaks: '渗漏水',
  priorities: ['食品安全', '电梯等特种设备安全'], check: '请核对您的答案', change: '修改', submit: '提交问卷',
  done: '提交成功，谢谢您！', results: '查看调查结果', resultsTitle: '调查结果', byDimension: '各方面满意度指数',
  byTown: '各镇、街道总体满意度指数',
};
const EN = {
  tab: 'Survey', title: "Residents' quality satisfaction survey", start: 'Start', next: 'Next', toCheck: 'Check answers',
  problem: 'There is a problem', progress: (n, total) => `Question ${n} of ${total}`,
  town: 'Nanqiao Town', age: '60–74', newAge: '45–59', ageQuestion: 'Your age?',
  satisfied: 'Satisfied', verySatisfied: 'Very satisfied', neutral: 'Neutral', dissatisfied: 'Dissatisfied',
  dontKnow: "Don't know", housingQuestion: 'How satisfied are you with the construction quality of new homes?',
  followUp: "What was the main problem with your home's construction?", leaks: 'Leaks',
  priorities: ['Food safety', 'Lifts and other special equipment'], check: 'Check your answers', change: 'Change',
  submit: 'Send answers', done: 'Thank you, your answers are in', results: 'See the results',
  resultsTitle: 'Survey results', byDimension: 'Satisfaction index by area', byTown: 'Overall index by town',
};

async function responsesSoFar(page) {
  return page.evaluate(async () => {
    const survey = await (await fetch('/api/surveys/current')).json();
    return (await (await fetch(`/api/surveys/${survey.id}/results`)).json()).responses;
  });
}

async function journey({ t, setup, elder = false, followUp }) {
  const { context, page, errors } = await newPhone(browser);
  const a11y = async (where) => {
    await assertAccessible(page, where, { enhanced: elder });
    await assertNoHorizontalScroll(page, where);
  };
  const form = page.locator('main form');
  const choose = (label) => form.getByText(label, { exact: true }).click();
  const next = () => page.getByRole('button', { name: t.next }).click();
  const heading = (name) => page.getByRole('heading', { level: 1, name }).waitFor();
  try {
    await page.goto('/');
    await setup?.(page);
    const before = await responsesSoFar(page);
    await page.getByRole('navigation').getByRole('link', { name: t.tab }).click();
    await heading(t.title);
    await a11y('survey intro');
    await page.getByRole('button', { name: t.start }).click();

    // One question per page, with progress; an empty answer meets the error summary.
    await page.getByText(t.progress(1, 13)).waitFor();
    await next();
    const summary = page.getByRole('alert').filter({ hasText: t.problem });
    await summary.waitFor();
    assert.equal(await summary.evaluate((el) => el === document.activeElement), true, 'the error summary takes focus');
    await a11y('question with an error');
    await choose(t.town); await next();
    await choose(t.age); await next();
    await choose(t.satisfied); await next();
    await choose(t.verySatisfied); await next();
    await choose(t.satisfied); await next();
    await choose(t.dontKnow); await next();

    // Closing the app mid-way loses nothing: it opens at the same question.
    await heading(t.housingQuestion);
    await page.reload();
    await heading(t.housingQuestion);
    await page.getByText(t.progress(7, 13)).waitFor();
    await a11y('a scale question');

    if (followUp) {
      await choose(t.dissatisfied); await next();
      await heading(t.followUp);
      await page.getByText(t.progress(8, 14)).waitFor();
      await choose(t.leaks); await next();
    } else {
      await choose(t.satisfied); await next();
      assert.equal(await page.getByRole('heading', { level: 1, name: t.followUp }).count(), 0);
    }
    await choose(t.neutral); await next();
    await choose(t.satisfied); await next();
    await choose(t.satisfied); await next();
    await choose('8'); await next();
    for (const p of t.priorities) await choose(p);
    await a11y('a multiple-choice question');
    await next();
    await page.getByRole('textbox').fill('多开展质量义诊 / more clinics');
    await next();

    // Check, and change one answer from there.
    await heading(t.check);
    if (followUp) assert.ok(await page.getByText(t.leaks).isVisible(), 'the follow-up answer is listed');
    else assert.equal(await page.getByText(t.followUp).count(), 0, 'the skipped follow-up is not listed');
    await a11y('check answers');
    await page.getByRole('button', { name: `${t.change} ${t.ageQuestion}` }).click();
    await heading(t.ageQuestion);
    await choose(t.newAge);
    await page.getByRole('button', { name: t.toCheck }).click();
    await heading(t.check);
    assert.ok(await page.getByText(t.newAge, { exact: true }).isVisible(), 'the changed answer is shown');

    await page.getByRole('button', { name: t.submit }).click();
    await heading(t.done);
    const reference = (await page.locator('.panel__code').textContent()).trim();
    assert.match(reference, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
    await a11y('survey sent');
    assert.deepEqual(await responsesSoFar(page), before,
      'one response later the public results are unchanged: they move only in steps of ten');

    // Results: charts with tables.
    await page.getByRole('link', { name: t.results }).click();
    await heading(t.resultsTitle);
    await page.getByRole('img', { name: t.byDimension }).waitFor();
    await page.getByRole('img', { name: t.byTown }).waitFor();
    assert.ok(await page.getByRole('table').count() >= 2, 'every chart has its table');
    await a11y('results');
    assertNoConsoleErrors(errors);
  } finally {
    await context.close();
  }
}

test('a resident answers the survey, with the construction follow-up, in Chinese', async () => {
  await journey({ t: ZH, followUp: true });
});

test('the survey in English, down the branch that skips the follow-up', async () => {
  await journey({
    t: EN,
    followUp: false,
    setup: inEnglish,
  });
});

test('the survey in elder mode (长辈版)', async () => {
  await journey({
    t: ZH,
    followUp: true,
    elder: true,
    setup: inElderMode,
  });
});
