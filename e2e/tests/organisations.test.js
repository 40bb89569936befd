// A company's quality manager signs the company up to a 贤质堂 training: the event says it
// takes organisations, a mistyped credit code is caught as it is typed, the answers are
// checked, and the confirmation and 我的 name the company. Once in Chinese, once in English.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, newPhone, assertAccessible, assertNoConsoleErrors, assertNoHorizontalScroll, inEnglish,
} from './helpers.js';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

const ZH = {
  event: '贤质堂：质量管理领域数字化转型', audience: '市民个人和企业等单位', signUp: '我要报名',
  asOrg: '单位报名（企业、商会、园区等）', orgName: '单位名称', code: '统一社会信用代码',
  mistyped: '代码有一位输错了，请对照营业执照逐位核对', contact: '联系人姓名', phone: '联系人手机号码',
  attendees: '参加人数（含联系人）', continue: '继续', check: '请核对报名信息', confirm: '确认报名',
  done: '报名成功', orgLabel: '报名单位', mine: '查看我的报名', mineHeading: '我的',
  company: '上海奉贤精工质量检测有限公司', person: '王质量', three: '3 人',
};
const EN = {
  event: 'Xianzhitang: digital transformation of quality management', audience: 'Residents and organisations',
  signUp: 'Sign up', asOrg: 'An organisation (company, chamber, park…)', orgName: 'Organisation name',
  code: 'Unified social credit code', mistyped: 'One character of the code is mistyped: check it against the licence',
  contact: "Contact's name", phone: "Contact's mobile number", attendees: 'People attending (contact included)',
  continue: 'Continue', check: 'Check your answers', confirm: 'Confirm sign-up', done: 'You are signed up',
  orgLabel: 'Organisation', mine: 'See my sign-ups', mineHeading: 'Mine',
  company: 'Fengxian Precision Testing Co., Ltd.', person: 'Li Biaozhun', three: '3 people',
};

async function companySignsUp({ t, code, phoneNumber, english = false }) {
  const { context, page, errors } = await newPhone(browser);
  const a11y = (where) => assertAccessible(page, where);
  try {
    if (english) {
      await page.goto('/');
      await inEnglish(page);
    }
    await page.goto('/events?town=nanqiao&category=training');
    await page.getByRole('link', { name: t.event }).click();
    await page.getByRole('heading', { level: 1, name: t.event }).waitFor();
    // The page says who may sign up.
    await page.getByText(t.audience, { exact: true }).waitFor();

    await page.getByRole('link', { name: t.signUp }).click();
    await page.getByLabel(t.asOrg).check();
    await page.getByLabel(t.orgName).fill(t.company);
    // One character wrong (the 10th): said at once, before sending.
    const typo = code.slice(0, 9) + (code[9] === '7' ? '8' : '7') + code.slice(10);
    await page.getByLabel(t.code).fill(typo);
    await page.getByText(t.mistyped).first().waitFor();
    await a11y('organisation form with a mistyped code');
    await assertNoHorizontalScroll(page, 'organisation form');
    await page.getByLabel(t.code).fill(code.toLowerCase());
    await page.getByText(t.mistyped).first().waitFor({ state: 'detached' });
    await page.getByLabel(t.contact).fill(t.person);
    await page.getByLabel(t.phone).fill(phoneNumber);
    await page.getByLabel(t.attendees).fill('3');
    await page.getByRole('button', { name: t.continue }).click();

    await page.getByRole('heading', { level: 1, name: t.check }).waitFor();
    await page.getByText(t.company, { exact: true }).waitFor();
    await page.getByText(code, { exact: true }).waitFor();
    assert.ok(await page.getByText(t.three, { exact: true }).isVisible(), 'three attend');
    await a11y('check the organisation answers');
    await page.getByRole('button', { name: t.confirm }).click();

    await page.getByRole('heading', { level: 1, name: t.done }).waitFor();
    const facts = page.locator('.facts');
    await facts.getByText(t.orgLabel).waitFor();
    await facts.getByText(t.company).waitFor();
    const registration = (await page.locator('.panel__code').textContent()).trim();
    await a11y('organisation confirmation');

    await page.getByRole('link', { name: t.mine }).click();
    await page.getByRole('heading', { level: 1, name: t.mineHeading }).waitFor();
    const card = page.locator('.card').filter({ hasText: registration });
    await card.getByText(t.company).waitFor();
    assertNoConsoleErrors(errors);
  } finally {
    await context.close();
  }
}

test('a company signs up to a 贤质堂 training, in Chinese', async () => {
  await companySignsUp({ t: ZH, code: '91310120MA1HK4K43E', phoneNumber: '13912350001' });
});

test('a company signs up to a 贤质堂 training, in English', async () => {
  await companySignsUp({ t: EN, code: '91310120MA1J2P5T7A', phoneNumber: '13912350002', english: true });
});
