/**
 * Whether what a customer gave as contact details can be used to reach
 * them: a phone number (seven digits or more, however typed: full-width,
 * spaced, with dashes) or an e-mail address. Anything else ("我不想留",
 * "call me later") is not kept as contact details.
 */
export function hasContactDetails(text: string): boolean {
  const t = text.normalize('NFKC');
  return /[^\s@]+@[^\s@]+\.[^\s@]+/.test(t) || t.replace(/\D/g, '').length >= 7;
}
