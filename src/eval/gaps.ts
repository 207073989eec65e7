/**
 * What customers ask that the KB cannot answer: the messages the bot met
 * with `none` or `clarify`, from stored conversations, grouped into clusters
 * of similar questions and ranked by how often they came — the list an
 * editor turns into new FAQs or new alternates. Each cluster comes with
 * examples and the closest existing FAQ (adding an alternate may be enough).
 * The customers' words are masked for personal data as they are read, so
 * nothing built from them (the admin Gaps page, `tact kb gaps`, a new
 * alternate) carries a phone number or an e-mail address.
 */
import { bigrams, jaccard } from '../intents/bigrams.js';
import type { FaqIndex } from '../bot/core/faq-index.js';
import type { StoredEvent } from '../bot/store/store.js';
import { analyze } from '../intents/analyze.js';
import { maskPii } from '../bot/core/mask.js';
import { REMOVED } from '../bot/core/anonymise.js';

export interface Gap {
  readonly count: number;
  /** The cluster's most typical message (its first). */
  readonly message: string;
  readonly examples: readonly string[];
  readonly action: 'none' | 'clarify';
  readonly closestFaq: { readonly id: string; readonly question: string; readonly confidence: number } | null;
  readonly lastAsked: string;
}

/**
 * Two messages are the same question when they name the same concepts
 * (the lexicon's: 货到付款/到付 → cod, 礼品卡/购物卡 → gift_card) at least this
 * much (Jaccard), or, failing concepts, share this many character bigrams.
 */
const SAME_CONCEPTS = 0.5;
const SAME_CHARACTERS = 0.35;
const MAX_EXAMPLES = 5;

interface Missed {
  readonly text: string;
  readonly action: 'none' | 'clarify';
  readonly at: string;
}

interface Shape {
  readonly concepts: ReadonlySet<string>;
  readonly grams: ReadonlySet<string>;
}

export function findGaps(conversations: ReadonlyMap<string, readonly StoredEvent[]>, index: FaqIndex, since: Date | null = null): Gap[] {
  const clusters: { shape: Shape; items: Missed[] }[] = [];
  for (const m of missed(conversations, since)) {
    const a = analyze(m.text, index.lexicon);
    const shape = { concepts: new Set(a.concepts.map((c) => c.concept)), grams: bigrams(a.normalized) };
    if (shape.grams.size === 0) continue;
    const home = clusters.find((c) => sameQuestion(c.shape, shape));
    if (home) home.items.push(m);
    else clusters.push({ shape, items: [m] });
  }
  return clusters
    .map((c) => gap(c.items, index))
    .sort((a, b) => b.count - a.count || b.lastAsked.localeCompare(a.lastAsked));
}

/** Each customer message the next decision met with none or clarify. */
function missed(conversations: ReadonlyMap<string, readonly StoredEvent[]>, since: Date | null): Missed[] {
  const out: Missed[] = [];
  for (const events of conversations.values()) {
    let last: string | null = null;
    for (const e of events) {
      // A message taken out (retention, forgotten at the customer's request) is no question to list.
      if (e.kind === 'message' && e.from === 'customer') last = e.text === REMOVED ? null : e.text;
      if (e.kind !== 'decision' || last === null) continue;
      if ((e.action === 'none' || e.action === 'clarify') && (since === null || Date.parse(e.at) >= since.getTime())) out.push({ text: maskPii(last.trim().slice(0, 500)), action: e.action, at: e.at });
      last = null;
    }
  }
  return out;
}

function gap(items: readonly Missed[], index: FaqIndex): Gap {
  const first = items[0] as Missed;
  const distinct = [...new Set(items.map((i) => i.text))];
  const top = index.matcher.match(first.text, 1).candidates[0];
  const faq = top ? index.faqs.get(top.faqId) : undefined;
  return {
    count: items.length,
    message: first.text,
    examples: distinct.slice(0, MAX_EXAMPLES),
    action: items.some((i) => i.action === 'none') ? 'none' : 'clarify',
    closestFaq: top && faq ? { id: faq.id, question: faq.question.zh ?? faq.question.en ?? '', confidence: Math.round(top.confidence * 100) / 100 } : null,
    lastAsked: items.reduce((m, i) => (i.at > m ? i.at : m), first.at),
  };
}

function sameQuestion(a: Shape, b: Shape): boolean {
  if (a.concepts.size > 0 && b.concepts.size > 0) return jaccard(a.concepts, b.concepts) >= SAME_CONCEPTS;
  return jaccard(a.grams, b.grams) >= SAME_CHARACTERS;
}
