/**
 * The admin pages' one escaping helper. `html` is a tagged template that
 * escapes every value put into it unless the value is already Html (the
 * result of another `html`), so text from customers and editors — hostile
 * until proven otherwise — can only ever show as text, never as markup.
 *
 * @example html`<p>${'<img src=x onerror=alert(1)>'}</p>`.text // '<p>&lt;img src=x onerror=alert(1)&gt;</p>'
 */

/** Markup that is safe to send: built only by `html`. */
export class Html {
  private constructor(readonly text: string) {}

  /** Only this module makes Html; everything else goes through the template. */
  static of(text: string): Html {
    return new Html(text);
  }
}

/** What a template may hold: text and numbers (escaped), Html (kept), lists of these, and nothing for absent parts. */
export type HtmlValue = Html | string | number | boolean | null | undefined | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): Html {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '');
  });
  return Html.of(out);
}

/** `false`, `null` and `undefined` render as nothing, so `${cond && html`…`}` reads naturally. */
function render(v: HtmlValue): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === null || v === undefined || v === false || v === true) return '';
  return String(v).replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
