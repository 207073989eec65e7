/**
 * Small numbers for the agents' dashboards (Slack's Home tab, the admin
 * page): a median, and the calendar day of a moment in the service's time
 * zone (so "today" ends at the shop's midnight, not the server's).
 */

/** The median, or null for no values. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const at = (i: number): number => s[i] ?? 0;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? at(mid) : (at(mid - 1) + at(mid)) / 2;
}

/** YYYY-MM-DD of a moment (milliseconds) in the time zone ('' for an invalid moment); en-CA formats dates that way. */
export function dayFormatter(timeZone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => (Number.isFinite(ms) ? f.format(ms) : '');
}
