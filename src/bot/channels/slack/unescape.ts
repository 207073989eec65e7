/**
 * An agent's Slack message as plain text for the customer. Slack sends
 * message text with its markup: `&amp;` `&lt;` `&gt;`, and links, mentions
 * and channels in angle brackets. The widget shows text as text, so the
 * customer would otherwise read "&amp;" and "<https://…|label>".
 *
 *   <https://x.example/a|our returns page>  → our returns page (https://x.example/a)
 *   <https://x.example/a>                  → https://x.example/a
 *   <mailto:help@x.example|help@x.example> → help@x.example
 *   <#C123|orders>  → #orders      <@U123> → (dropped: a colleague's id means nothing to a customer)
 *   <!here>         → @here
 */
const MARKUP = /<([^<>|]*)(?:\|([^<>]*))?>/g;

export function slackToPlainText(text: string): string {
  return text
    .replace(MARKUP, (_whole, target: string, label: string | undefined) => plain(target, label))
    .replace(/ {2,}/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

function plain(target: string, label: string | undefined): string {
  if (target.startsWith('@')) return '';
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!')) return `@${label ?? target.slice(1).split('^')[0]}`;
  if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
  return label && label !== target ? `${label} (${target})` : target;
}
