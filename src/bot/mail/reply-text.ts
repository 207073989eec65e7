/**
 * The customer's own words in an e-mail reply: the quoted message below
 * them ("> …", "On … wrote:", "在 … 写道：", "-----Original Message-----",
 * "发件人：…") is cut off, as is a signature after "-- ". What is left is
 * what they wrote, cut to a chat message's length.
 */
const QUOTE_STARTS: readonly RegExp[] = [/^On .{4,200} wrote:\s*$/i, /^在.{2,200}写道[:：]\s*$/, /^-{2,}\s*(Original Message|原始邮件)/i, /^(From|发件人)\s*[:：]/i, /^-- $/, /^_{5,}\s*$/];

export function replyText(body: string, maxChars: number): string {
  const kept: string[] = [];
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    if (QUOTE_STARTS.some((q) => q.test(line))) break;
    if (line.startsWith('>')) continue;
    kept.push(line);
  }
  const text = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}
