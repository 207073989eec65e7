/** Builds knowledge bases in temporary folders for tests, and removes them afterwards. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

export function tempDir(prefix = 'tact-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes files (relative path → content) under a fresh temp folder and returns it. */
export function writeTree(files: Readonly<Record<string, string>>): string {
  const dir = tempDir();
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), content);
  }
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A small shop KB in both languages, enough to exercise ranking, clarify and handoff. */
export const SHOP_FAQS = `category: shop
faqs:
  - id: ship-time
    question: { zh: 下单后多久发货？, en: How soon will my order ship? }
    alternates: [什么时候发货, 订单几天能发出, when do you dispatch orders]
    answer: { zh: 您好，订单会在付款后48小时内发货。, en: Orders ship within 48 hours of payment. }
  - id: refund-time
    question: { zh: 退款多久到账？, en: How long does a refund take? }
    alternates: [退款什么时候到, 钱多久退回来, when will I get my refund]
    answer: { zh: 您好，退款会在1-3个工作日内原路退回。, en: Refunds reach your original payment method in 1-3 working days. }
  - id: invoice-get
    question: { zh: 怎么开发票？, en: How do I get an invoice? }
    alternates: [发票怎么申请, 可以开电子发票吗, can I have a receipt for my order]
    answer: { zh: 您好，您可以在订单详情页申请电子发票。, en: You can request an e-invoice on the order details page. }
  - id: password-reset
    question: { zh: 忘记密码怎么办？, en: I forgot my password }
    alternates: [密码找回, 登录不了忘了密码, how to reset my password]
    answer: { zh: 您好，请在登录页点击“忘记密码”，按提示重置即可。, en: Please tap "Forgot password" on the sign-in page and follow the steps. }
  - id: account-hacked
    question: { zh: 我的账号被盗了, en: My account was hacked }
    alternates: [账户被别人登录了, someone logged into my account]
    answer: { zh: 非常抱歉给您带来困扰，我们马上为您转接账户安全专员。, en: We're very sorry; we're connecting you to our account security team right away. }
    handoff: true
  - id: price-match
    question: { zh: 买贵了能补差价吗？, en: Can you refund the price difference? }
    alternates: [降价了能退差价吗, 价格比别家贵能补差价吗, the price dropped after I bought it]
    answer: { zh: 您好，价格问题需要专员为您核实，马上为您转接。, en: A specialist needs to check the price for you; we're connecting you now. }
    handoff: true
`;

/**
 * The demo shop's shop.yaml, open all day every day: tests run at any hour,
 * and one that hands a customer to a person must not find the shop closed
 * because CI ran after 22:00 in Shanghai. Tests of closing time set a clock.
 */
export const ALWAYS_OPEN_SHOP = `name: { zh: Tact 商城, en: Tact Shop }
service:
  hours: "00:00-24:00"
  timezone: Asia/Shanghai
  days: [mon, tue, wed, thu, fri, sat, sun]
contact:
  hotline: 400-820-6060
defaultTeam: general
`;

/** The small shop KB with the demo's own shop.yaml (not open all day): for what a KB without one looks like. */
export function bareShopKb(extra: Readonly<Record<string, string>> = {}): string {
  return writeTree({
    'faqs/shop.yaml': SHOP_FAQS,
    'negatives.yaml': 'negatives:\n  - 帮我写一首诗\n  - what is the weather tomorrow\n  - tell me a joke\n',
    ...extra,
  });
}

/** The small shop KB, open all day (ALWAYS_OPEN_SHOP); `extra` files are added or replace its own. */
export function shopKb(extra: Readonly<Record<string, string>> = {}): string {
  return bareShopKb({ 'shop.yaml': ALWAYS_OPEN_SHOP, ...extra });
}
