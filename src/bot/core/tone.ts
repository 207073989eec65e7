/**
 * checkTone: finds what the service standard forbids in a reply — cold,
 * curt, buck-passing, arguing or rude phrasing, 你 where 您 belongs, no
 * greeting on a first reply, no apology to an upset customer — and gives
 * each finding a polite rewrite. It coaches human agents in Slack and
 * proves, in tests, that every reply the bot composes is clean.
 *
 * @example
 *   const tone = new ToneChecker(kb.tone, kb.phrasing);
 *   tone.checkTone('不知道，你自己看订单', 'zh')
 *   // [{ kind: 'cold', rule: 'zh-dont-know', phrase: '不知道', rewrite: '非常抱歉，这个问题需要为您核实一下…' }, …]
 */
import { analyze } from '../../intents/analyze.js';
import { Lexicon } from '../../intents/lexicon.js';
import { TermSet, type TermHit } from '../../intents/terms.js';
import type { Lang, ToneKind, ToneRule, ToneStandard } from '../../kb/types.js';
import { phrase, type PhrasingLibrary } from './phrasing.js';

export type ToneFindingKind = ToneKind | 'informal_pronoun' | 'missing_greeting' | 'missing_apology';

export interface ToneFinding {
  readonly kind: ToneFindingKind;
  /** The tone.yaml rule id, or null for the pronoun, greeting and apology checks. */
  readonly rule: string | null;
  /** The offending words as found (normalized); empty when something is missing. */
  readonly phrase: string;
  /** A polite replacement: a sentence for a forbidden phrase, the corrected text for 你, the words to add when something is missing. */
  readonly rewrite: string;
}

export interface ToneContext {
  /** The first reply of a conversation must greet the customer. */
  readonly firstReply?: boolean;
  /** An upset customer must hear an apology. */
  readonly customerUpset?: boolean;
}

const NO_CONCEPTS = new Lexicon([]);
/** Up to the first full stop, question or exclamation mark or line break (a "." only before a space or the end: ¥9.9 goes on). */
const FIRST_SENTENCE = /^[\s\S]*?(?:[。！？!?\n]|\.(?=\s|$)|$)/u;

export class ToneChecker {
  private readonly forbidden: TermSet<ToneRule>;
  private readonly exceptions: TermSet<string>;
  private readonly greetings: TermSet<true>;
  private readonly apologies: TermSet<true>;

  constructor(
    private readonly standard: ToneStandard,
    private readonly phrasing: PhrasingLibrary,
  ) {
    this.forbidden = new TermSet(standard.forbidden.flatMap((rule) => rule.phrases.map((p) => ({ phrase: p, value: rule }))));
    this.exceptions = new TermSet(standard.forbidden.flatMap((rule) => rule.except.map((p) => ({ phrase: p, value: rule.id }))));
    const markers = (m: ToneStandard['greetings']): TermSet<true> => new TermSet([...m.zh, ...m.en].map((p) => ({ phrase: p, value: true as const })));
    this.greetings = markers(standard.greetings);
    this.apologies = markers(standard.apologies);
  }

  checkTone(text: string, lang: Lang, ctx: ToneContext = {}): ToneFinding[] {
    const a = analyze(text, NO_CONCEPTS);
    const allowed = this.exceptions.find(a.normalized, a.tokens);
    const findings: ToneFinding[] = this.forbidden
      .find(a.normalized, a.tokens)
      .filter((hit) => !allowed.some((ex) => ex.value === hit.value.id && covers(ex, hit)))
      .map((hit) => ({ kind: hit.value.kind, rule: hit.value.id, phrase: hit.phrase, rewrite: hit.value.rewrite }));
    const pronoun = this.informalPronouns(text);
    if (pronoun) findings.push(pronoun);
    if (ctx.firstReply && this.greetings.find(a.normalized, a.tokens).length === 0) {
      findings.push({ kind: 'missing_greeting', rule: null, phrase: '', rewrite: phrase(this.phrasing, 'voice.greeting', lang) });
    }
    if (ctx.customerUpset && this.apologies.find(a.normalized, a.tokens).length === 0) {
      findings.push({ kind: 'missing_apology', rule: null, phrase: '', rewrite: phrase(this.phrasing, 'voice.apology', lang) });
    }
    return findings;
  }

  /**
   * Whether the text's first sentence holds an apology (tone.yaml's
   * `apologies`): "您好，非常抱歉……" does, "您好，您反映的事项我们非常重视。非常抱歉" does not.
   * An upset customer hears the apology first, as the standard's
   * apologise → explain → commit has it.
   */
  opensWithApology(text: string): boolean {
    const first = FIRST_SENTENCE.exec(text)?.[0] ?? text;
    const a = analyze(first, NO_CONCEPTS);
    return this.apologies.find(a.normalized, a.tokens).length > 0;
  }

  /** 你 outside the allowed words (你们, 迷你 …): one finding, whose rewrite is the text with each such 你 made 您. */
  private informalPronouns(text: string): ToneFinding | null {
    const { informal, formal, except } = this.standard.pronoun;
    let found = false;
    let rewritten = '';
    for (let i = 0; i < text.length; ) {
      if (!text.startsWith(informal, i)) {
        rewritten += text[i];
        i++;
        continue;
      }
      const ok = except.some((word) => {
        const at = word.indexOf(informal);
        return at >= 0 && text.startsWith(word, i - at);
      });
      rewritten += ok ? informal : formal;
      found ||= !ok;
      i += informal.length;
    }
    return found ? { kind: 'informal_pronoun', rule: null, phrase: informal, rewrite: rewritten } : null;
  }
}

function covers(outer: TermHit<unknown>, inner: TermHit<unknown>): boolean {
  return outer.script === inner.script && outer.start <= inner.start && outer.end >= inner.end;
}
