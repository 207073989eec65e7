/**
 * Whether people are on duty: the shop's service hours (shop.yaml)
 * ("09:00-22:00", a time zone and open days). Pure: the caller passes the
 * time, so tests need no clock. Outside hours a handoff takes a message and
 * promises a callback at the next opening instead of a queue position.
 */
import type { Lang, ServiceHours } from '../../kb/types.js';

const MINUTE = 60_000;

interface LocalTime {
  readonly day: string;
  /** Minutes since local midnight. */
  readonly minute: number;
}

export function isOpen(service: ServiceHours, now: Date): boolean {
  const { open, close } = window(service);
  const t = local(service.timezone, now);
  return service.days.includes(t.day) && t.minute >= open && t.minute < close;
}

/** The next moment the service opens after `now` (or `now` itself when open); null when it never opens. */
export function nextOpening(service: ServiceHours, now: Date): Date | null {
  if (isOpen(service, now)) return now;
  const { open } = window(service);
  const t = local(service.timezone, now);
  // Walk forward a day at a time from local midnight today; eight days always reach an open day.
  const midnight = now.getTime() - t.minute * MINUTE - (now.getTime() % MINUTE);
  for (let d = 0; d <= 7; d++) {
    const candidate = new Date(midnight + d * 24 * 60 * MINUTE + open * MINUTE);
    if (candidate > now && isOpen(service, candidate)) return candidate;
  }
  return null;
}

/** "周六 09:00" / "Sat 09:00": when the service opens, in its own time zone, for a callback promise. */
export function formatOpening(service: ServiceHours, at: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: service.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

function window(service: ServiceHours): { open: number; close: number } {
  const [open = 0, close = 24 * 60] = service.hours.split('-').map((hm) => {
    const [h = '0', m = '0'] = hm.split(':');
    return Number(h) * 60 + Number(m);
  });
  return { open, close };
}

function local(timezone: string, at: Date): LocalTime {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '0';
  return { day: get('weekday').toLowerCase().slice(0, 3), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}
