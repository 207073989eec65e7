/**
 * The shop's own words in the phrasing library: {shop}, {hotline} and
 * {email} are filled from shop.yaml once, when the KB loads, so every reply
 * — the bot's, an agent's suggested reply, a Slack card, the CLI — names
 * this shop in the customer's language without any caller passing it.
 *
 *   fillShop({ 'voice.greeting': { zh: '欢迎光临{shop}', en: 'Welcome to {shop}' } }, shop)
 *     → { 'voice.greeting': { zh: '欢迎光临 Tact 商城', en: 'Welcome to Tact Shop' } }
 *
 * In Chinese a space separates the name from neighbouring Chinese text only
 * where the name starts or ends with a Latin letter or digit (欢迎光临 Tact
 * 商城, but 欢迎光临甜心烘焙), so templates need not guess the name's script.
 */
import { SHOP_PLACEHOLDERS, type ShopPlaceholder } from './phrasing-file.js';
import type { Lang, Localized, ShopProfile } from './types.js';

const PATTERN = new RegExp(`\\{(${SHOP_PLACEHOLDERS.join('|')})\\}`, 'g');
const HAN = /[\u3400-\u9fff\uf900-\ufaff]/u;
const LATIN = /[A-Za-z0-9]/;

/** A template that names a contact channel the shop does not list. */
export interface MissingContact {
  readonly template: string;
  readonly placeholder: Exclude<ShopPlaceholder, 'shop'>;
}

/** The library with the shop's words filled in; templates that use a contact the shop lacks are reported and keep their placeholder. */
export function fillShop(library: Readonly<Record<string, Localized>>, shop: ShopProfile, missing: (m: MissingContact) => void = () => undefined): Record<string, Localized> {
  const out: Record<string, Localized> = {};
  for (const [name, text] of Object.entries(library)) {
    const fill = (lang: Lang, t: string): string =>
      t.replace(PATTERN, (whole, key: ShopPlaceholder, offset: number) => {
        const value = shopValue(shop, key, lang);
        if (value === undefined) {
          if (key !== 'shop') missing({ template: name, placeholder: key });
          return whole;
        }
        return lang === 'zh' ? spaced(value, t[offset - 1], t[offset + whole.length]) : value;
      });
    out[name] = { ...(text.zh !== undefined ? { zh: fill('zh', text.zh) } : {}), ...(text.en !== undefined ? { en: fill('en', text.en) } : {}) };
  }
  return out;
}

/** The value a shop placeholder stands for in one language. */
export function shopValue(shop: ShopProfile, key: ShopPlaceholder, lang: Lang): string | undefined {
  switch (key) {
    case 'shop':
      return shop.name[lang];
    case 'hotline':
      return shop.contact.hotline;
    case 'email':
      return shop.contact.email;
  }
}

function spaced(value: string, before: string | undefined, after: string | undefined): string {
  const lead = before !== undefined && HAN.test(before) && LATIN.test(value.charAt(0)) ? ' ' : '';
  const trail = after !== undefined && HAN.test(after) && LATIN.test(value.charAt(value.length - 1)) ? ' ' : '';
  return `${lead}${value}${trail}`;
}
