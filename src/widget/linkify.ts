/**
 * Message text as DOM nodes. Nothing is ever parsed as HTML, so a message
 * cannot inject markup or script: the text becomes text nodes, and only
 * http(s) URLs become links, opening in a new tab without giving the new page
 * a handle on this one. Any other scheme (javascript:, data:, …) stays text.
 */
const URL_IN_TEXT = /https?:\/\/[^\s<>"'`，。！？；：、（）【】《》“”‘’]+/;
/** Punctuation that ends a sentence rather than the URL ("see https://x.com/a."). */
const TRAILING = /[.,;:!?)\]}]+$/;

/**
 * @example linkify('see https://shop.example/returns.') // "see ", <a href="https://shop.example/returns">…</a>, "."
 */
export function linkify(text: string): DocumentFragment {
  const out = document.createDocumentFragment();
  const urls = new RegExp(URL_IN_TEXT.source, 'gi');
  let done = 0;
  for (let m = urls.exec(text); m !== null; m = urls.exec(text)) {
    const url = m[0].replace(TRAILING, '');
    const link = anchor(url);
    if (link === null) continue;
    out.append(text.slice(done, m.index), link);
    done = m.index + url.length;
  }
  out.append(text.slice(done));
  return out;
}

function anchor(url: string): HTMLAnchorElement | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const a = document.createElement('a');
  a.href = parsed.href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = url;
  return a;
}
