/**
 * A photo or PDF inside a message bubble: a photo as its thumbnail (opening
 * the whole picture in a new tab), a PDF as a button that downloads it.
 * Both are fetched with the session token (files.ts), never linked.
 */
import type { FileRef } from '../bot/channels/web/protocol.js';
import { el } from './dom.js';
import { sizeText, type Files } from './files.js';
import type { Strings } from './strings.js';

/** Thumbnails are shown at most this wide (CSS pixels). */
const THUMB_WIDTH = 200;

export function fileView(file: FileRef, files: Files, s: Strings): HTMLElement {
  return file.kind === 'image' ? photo(file, files, s) : pdfView(file, files, s);
}

function photo(file: FileRef, files: Files, s: Strings): HTMLElement {
  const img = el('img', { alt: s.photo(file.name) });
  // The space it will take, known before it loads: the log does not jump.
  if (file.width && file.height) {
    const width = Math.min(THUMB_WIDTH, file.width);
    img.width = width;
    img.height = Math.round((width * file.height) / file.width);
  }
  files.url(file, true).then(
    (url) => (img.src = url),
    () => img.replaceWith(el('span', { class: 'file-gone' }, s.fileUnavailable)),
  );
  const button = el('button', { type: 'button', class: 'file-img', 'aria-label': s.openPhoto(file.name) }, img);
  button.addEventListener('click', () => void files.url(file, false).then((url) => window.open(url, '_blank', 'noopener')));
  return button;
}

function pdfView(file: FileRef, files: Files, s: Strings): HTMLElement {
  const button = el('button', { type: 'button', class: 'file-doc' }, `PDF · ${file.name} · ${sizeText(file.size)}`);
  button.setAttribute('aria-label', s.downloadPdf(file.name));
  button.addEventListener('click', () =>
    void files.url(file, false).then((url) => {
      const a = el('a', { href: url, download: file.name });
      a.click();
    }),
  );
  return button;
}
