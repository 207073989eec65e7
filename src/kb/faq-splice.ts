/**
 * Edits one FAQ in the text of an FAQ file and leaves every other byte as
 * the editor wrote it. Printing the whole parsed document would restyle the
 * rest of the file (`|` turned into `|-`, `[a, b]` into `[ a, b ]`, blank
 * lines between FAQs dropped), which makes every save a noisy git diff that
 * touches FAQs nobody edited. So only the lines of what changed are cut out
 * of the text and replaced by that part printed alone, at its indentation:
 *
 *   replaceFaqText   the changed fields of one FAQ (one language of an
 *                    answer, its alternates, handoff); the rest stays as is
 *   appendFaqText    a new FAQ after the file's last one
 *   removeFaqText    the FAQ's lines gone (the comments around it stay)
 *
 * What has no lines of its own to splice is printed a level up instead: a
 * field of an FAQ written in flow style (`- {id: a, …}`) reprints that FAQ,
 * and a file whose FAQ list is not a block list (`faqs: [ … ]`, or an empty
 * one) is printed whole.
 */
import { Document, isCollection, isMap, isNode, isScalar, isSeq, Pair, parseDocument, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import { KbError } from './errors.js';
import type { Faq, Localized } from './types.js';

/** What an edit puts into the file: the fields an editor changes. */
export type FaqFields = Pick<Faq, 'id' | 'question' | 'alternates' | 'answer' | 'handoff'>;

const PRINT = { lineWidth: 0, flowCollectionPadding: false } as const;

/** `text` with the FAQ `was` (as loaded, so unchanged fields can be told apart) changed to `draft`. */
export function replaceFaqText(file: string, text: string, was: FaqFields, draft: FaqFields): string {
  const doc = parseDocument(text);
  const { seq, at } = find(file, doc, draft.id);
  const item = seq.items[at] as YAMLMap;
  const edits = item.flow ? null : fieldEdits(text, doc, item, was, draft);
  if (edits) return applyEdits(text, edits);
  update(doc, item, was, draft);
  const span = itemSpan(text, seq, at);
  if (!span) return doc.toString(PRINT);
  return text.slice(0, span.start) + itemText(item, span.column, text) + text.slice(span.end);
}

/** `text` with `draft` as its last FAQ. */
export function appendFaqText(file: string, text: string, draft: FaqFields): string {
  const doc = parseDocument(text);
  const seq = faqList(file, doc);
  const item = doc.createNode(plain(draft)) as YAMLMap;
  const last = seq.items.length - 1;
  const span = last >= 0 ? itemSpan(text, seq, last) : null;
  if (!span) {
    seq.items.push(item);
    return doc.toString(PRINT);
  }
  const gap = spacedItems(seq) ? newline(text) : '';
  return text.slice(0, span.end) + lineEnd(text, span.end) + gap + itemText(item, span.column, text) + text.slice(span.end);
}

/** `text` without the FAQ `id`. */
export function removeFaqText(file: string, text: string, id: string): string {
  const doc = parseDocument(text);
  const { seq, at } = find(file, doc, id);
  const span = seq.items.length > 1 ? itemSpan(text, seq, at) : null;
  if (!span) {
    seq.items.splice(at, 1);
    return doc.toString(PRINT);
  }
  // The blank line that set this FAQ off from its neighbour goes with it.
  const before = text.slice(0, span.start);
  const blankBefore = /\r?\n[ \t]*\r?\n$/.exec(before);
  const start = blankBefore && at > 0 ? span.start - blankBefore[0].length + (blankBefore[0].startsWith('\r') ? 2 : 1) : span.start;
  const blankAfter = at === 0 ? /^[ \t]*\r?\n/.exec(text.slice(span.end)) : null;
  return text.slice(0, start) + text.slice(span.end + (blankAfter ? blankAfter[0].length : 0));
}

function find(file: string, doc: Document, id: string): { seq: YAMLSeq; at: number } {
  const seq = faqList(file, doc);
  const at = seq.items.findIndex((item) => isMap(item) && String(item.get('id')) === id);
  if (at < 0) throw schemaError(file, `no FAQ "${id}" in the file`);
  return { seq, at };
}

function faqList(file: string, doc: Document): YAMLSeq {
  const faqs = doc.get('faqs', true);
  if (!isSeq(faqs)) throw schemaError(file, 'the FAQ file has no faqs list to edit');
  return faqs;
}

function schemaError(file: string, message: string): KbError {
  return new KbError([{ code: 'KB_SCHEMA', file, line: 0, field: 'faqs', message }]);
}

/** One replacement in the text: [start, end) becomes `text`. */
interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** The edits that change each changed field's own lines, or null when one of them has no lines of its own. */
function fieldEdits(text: string, doc: Document, item: YAMLMap, was: FaqFields, draft: FaqFields): Edit[] | null {
  const edits: (Edit[] | null)[] = [
    localizedEdits(text, doc, item, 'question', was.question, draft.question),
    localizedEdits(text, doc, item, 'answer', was.answer, draft.answer),
    sameList(was.alternates, draft.alternates) ? [] : pairEdit(text, item, 'alternates', draft.alternates.length > 0 ? alternatesNode(doc, item, draft.alternates) : undefined, { after: 'question' }),
    draft.handoff === was.handoff ? [] : pairEdit(text, item, 'handoff', draft.handoff ? doc.createNode(true) : undefined, {}),
  ];
  return edits.some((e) => e === null) ? null : edits.flatMap((e) => e ?? []);
}

/** One language of a block `question:`/`answer:` map, or the whole field when it is written in flow style. */
function localizedEdits(text: string, doc: Document, item: YAMLMap, key: 'question' | 'answer', was: Localized, draft: Localized): Edit[] | null {
  if (sameLocalized(was, draft)) return [];
  const node = item.get(key, true);
  if (!isMap(node) || node.flow) {
    const whole = doc.createNode(draft) as YAMLMap;
    whole.flow = isMap(node) && node.flow;
    return pairEdit(text, item, key, whole, {});
  }
  const edits: (Edit[] | null)[] = (['zh', 'en'] as const).map((lang) => {
    const value = draft[lang];
    if (value === was[lang]) return [];
    return pairEdit(text, node, lang, value === undefined ? undefined : styledLike(node.get(lang, true), value), lang === 'zh' ? { before: 'en' } : {});
  });
  return edits.some((e) => e === null) ? null : edits.flatMap((e) => e ?? []);
}

/**
 * Sets (value) or deletes (undefined) `key` of a block map by its lines: a
 * new key goes after `after`, before `before`, or after the map's last key.
 * Null when the key shares its line with something that must stay.
 */
function pairEdit(text: string, map: YAMLMap, key: string, value: Node | undefined, at: { readonly after?: string; readonly before?: string }): Edit[] | null {
  const pair = pairOf(map, key);
  if (pair) {
    const span = pairSpan(text, pair);
    if (!span) return null;
    if (value !== undefined) return [{ start: span.start, end: span.end, text: printPair(key, value, span.column, text, paddedFlow(text, pair.value)) }];
    return span.alone ? [{ start: span.lineStart, end: span.end, text: '' }] : null;
  }
  if (value === undefined) return [];
  const first = map.items[0];
  const firstSpan = first ? pairSpan(text, first) : null;
  if (!firstSpan) return null;
  const pad = ' '.repeat(firstSpan.column);
  const next = at.before ? pairOf(map, at.before) : undefined;
  const nextSpan = next ? pairSpan(text, next) : null;
  if (nextSpan?.alone) return [{ start: nextSpan.lineStart, end: nextSpan.lineStart, text: pad + printPair(key, value, firstSpan.column, text, false) }];
  const anchor = (at.after ? pairOf(map, at.after) : undefined) ?? map.items[map.items.length - 1];
  const anchorSpan = anchor ? pairSpan(text, anchor) : null;
  if (!anchorSpan) return null;
  return [{ start: anchorSpan.end, end: anchorSpan.end, text: lineEnd(text, anchorSpan.end) + pad + printPair(key, value, firstSpan.column, text, false) }];
}

function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isScalar(p.key) && p.key.value === key);
}

interface PairSpan {
  readonly lineStart: number;
  /** Where the key starts. */
  readonly start: number;
  /** End of the value's last line, after its line break. */
  readonly end: number;
  readonly column: number;
  /** Nothing but indentation before the key on its line (not `- key:`). */
  readonly alone: boolean;
}

function pairSpan(text: string, pair: Pair): PairSpan | null {
  const key = pair.key;
  if (!isScalar(key) || !key.range) return null;
  const value = pair.value;
  const last = isNode(value) && value.range ? value.range[1] : key.range[1];
  const start = key.range[0];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineBreak = text.indexOf('\n', Math.max(last - 1, start));
  return { lineStart, start, end: lineBreak < 0 ? text.length : lineBreak + 1, column: start - lineStart, alone: text.slice(lineStart, start).trim() === '' };
}

/** `key: value` printed alone; its first line starts at the key, the others are indented to `column`. */
function printPair(key: string, value: Node, column: number, text: string, padded: boolean): string {
  const alone = value.clone();
  // A block list's or map's trailing comment lies below its lines, where it stays.
  if (isCollection(alone) && !alone.flow) alone.comment = null;
  const doc = new Document(new YAMLMap());
  (doc.contents as YAMLMap).items.push(new Pair(new Scalar(key), alone));
  return indent(doc.toString({ ...PRINT, flowCollectionPadding: padded }), column, text, false);
}

/** Was the old value written `{ a, b }` rather than `{a, b}`? The new one is written the same way. */
function paddedFlow(text: string, old: unknown): boolean {
  if (!isCollection(old) || !old.flow || !old.range) return false;
  return /^[[{][ \t]/.test(text.slice(old.range[0], old.range[0] + 2));
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((out, e) => out.slice(0, e.start) + e.text + out.slice(e.end), text);
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Changes only the fields that differ, so the others keep their nodes (style, comments). */
function update(doc: Document, item: YAMLMap, was: FaqFields, draft: FaqFields): void {
  updateLocalized(doc, item, 'question', was.question, draft.question);
  updateLocalized(doc, item, 'answer', was.answer, draft.answer);
  updateAlternates(doc, item, was.alternates, draft.alternates);
  if (draft.handoff === was.handoff) return;
  if (draft.handoff) item.set('handoff', true);
  else item.delete('handoff');
}

function updateLocalized(doc: Document, item: YAMLMap, key: 'question' | 'answer', was: Localized, draft: Localized): void {
  if (sameLocalized(was, draft)) return;
  const node = item.get(key, true);
  if (!isMap(node)) return void item.set(key, doc.createNode(draft));
  for (const lang of ['zh', 'en'] as const) {
    const text = draft[lang];
    if (text === was[lang]) continue;
    if (text === undefined) node.delete(lang);
    else node.set(lang, styledLike(node.get(lang, true), text));
  }
}

function sameLocalized(a: Localized, b: Localized): boolean {
  return a.zh === b.zh && a.en === b.en;
}

/** New text in the old value's style: a `|` block stays `|` (its text ends in a line break), not `|-`. */
function styledLike(old: unknown, text: string): Scalar {
  const scalar = new Scalar(text);
  if (!isScalar(old)) return scalar;
  scalar.type = old.type;
  const block = old.type === Scalar.BLOCK_LITERAL || old.type === Scalar.BLOCK_FOLDED;
  if (block && typeof old.value === 'string' && old.value.endsWith('\n')) scalar.value = `${text}\n`;
  return scalar;
}

function updateAlternates(doc: Document, item: YAMLMap, was: readonly string[], draft: readonly string[]): void {
  if (sameList(was, draft)) return;
  if (draft.length === 0) return void item.delete('alternates');
  const seq = alternatesNode(doc, item, draft);
  if (pairOf(item, 'alternates')) return void item.set('alternates', seq);
  // A new list goes right after the question, where editors look for it.
  const after = item.items.findIndex((p) => isScalar(p.key) && p.key.value === 'question');
  item.items.splice(after + 1, 0, new Pair(new Scalar('alternates'), seq));
}

/** The new alternates; those kept from before keep their nodes (quotes, comments), and the list its flow or block style. */
function alternatesNode(doc: Document, item: YAMLMap, draft: readonly string[]): YAMLSeq {
  const old = item.get('alternates', true);
  const kept = new Map<string, unknown>();
  if (isSeq(old)) for (const node of old.items) if (isScalar(node)) kept.set(String(node.value).trim(), node);
  const seq = new YAMLSeq();
  seq.flow = isSeq(old) && old.flow;
  seq.items = draft.map((a) => kept.get(a) ?? doc.createNode(a));
  return seq;
}

/** A new FAQ as YAML wants it: no empty alternates, handoff only when set. */
function plain(d: FaqFields): Record<string, unknown> {
  return {
    id: d.id,
    question: d.question,
    ...(d.alternates.length > 0 ? { alternates: [...d.alternates] } : {}),
    answer: d.answer,
    ...(d.handoff ? { handoff: true } : {}),
  };
}

interface Span {
  /** Start of the line with the item's `-`. */
  readonly start: number;
  /** End of the item's last line, after its line break (comments after it are not the item's). */
  readonly end: number;
  /** Column of the `-`. */
  readonly column: number;
}

/** Where item `at` of a block list is in the text, or null when the list is not one. */
function itemSpan(text: string, seq: YAMLSeq, at: number): Span | null {
  const item = seq.items[at] as Node | undefined;
  if (seq.flow || !item?.range) return null;
  let dash = item.range[0] - 1;
  while (dash >= 0 && /\s/.test(text.charAt(dash))) dash--;
  if (text.charAt(dash) !== '-') return null;
  const start = text.lastIndexOf('\n', dash) + 1;
  const valueEnd = item.range[1];
  const lineBreak = text.indexOf('\n', Math.max(valueEnd - 1, dash));
  return { start, end: lineBreak < 0 ? text.length : lineBreak + 1, column: dash - start };
}

/** The item printed as a one-item list, indented to `column`, in the file's line breaks. */
function itemText(item: YAMLMap, column: number, text: string): string {
  const alone = item.clone() as YAMLMap;
  // The comments before and after the item are outside its lines, and stay where they are.
  alone.commentBefore = null;
  alone.comment = null;
  alone.spaceBefore = false;
  return indent(printList(alone), column, text, true);
}

/** Printed lines indented to `column` (the first too, when it starts a line), in the file's line breaks. */
function indent(printed: string, column: number, text: string, first: boolean): string {
  const pad = ' '.repeat(column);
  return printed
    .split('\n')
    .map((line, i) => (line === '' || (i === 0 && !first) ? line : pad + line))
    .join(newline(text));
}

function printList(item: YAMLMap): string {
  const doc = new Document([]);
  (doc.contents as YAMLSeq).items.push(item);
  return doc.toString(PRINT);
}

/** Are the file's FAQs set off by blank lines? Then a new one is too. */
function spacedItems(seq: YAMLSeq): boolean {
  return seq.items.slice(1).some((item) => isMap(item) && item.spaceBefore === true);
}

function newline(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** A line break when the file's last FAQ ends without one (at the end of the file). */
function lineEnd(text: string, end: number): string {
  return end > 0 && text.charAt(end - 1) !== '\n' ? newline(text) : '';
}
