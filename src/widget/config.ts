/**
 * The widget's settings, read once from the data attributes of its own
 * <script> tag: data-server, data-lang, data-title and data-color.
 */
import type { Lang } from '../bot/channels/web/protocol.js';

export interface WidgetConfig {
  /** The chat socket's URL (ws: or wss:). */
  readonly socketUrl: string;
  /** Where files are uploaded and fetched: the socket's URL over http(s), /chat/files. */
  readonly filesUrl: string;
  readonly lang: Lang;
  readonly title: string | null;
  /** A CSS colour for the accent, or null for the default. */
  readonly color: string | null;
  /** data-sound="on": a soft chime for a new message while the panel is closed. */
  readonly sound: boolean;
  /** data-position: which corner the launcher and panel sit in. */
  readonly position: 'left' | 'right';
  /** data-offset="x,y": pixels from that corner (so the launcher keeps clear of the page's own buttons). */
  readonly offset: { readonly x: number; readonly y: number };
  /** data-theme: light, dark, or auto (the visitor's system setting). */
  readonly theme: 'light' | 'dark' | 'auto';
}

/** #hex, rgb()/rgba()/hsl()/hsla() with plain numbers, or a colour keyword; anything else could smuggle in other CSS. */
const CSS_COLOR = /^(#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})|(rgb|hsl)a?\([\d\s.,%/-]+\)|[a-z]{3,20})$/i;

export function readConfig(script: HTMLScriptElement | null): WidgetConfig {
  const data = script?.dataset ?? {};
  const color = data['color']?.trim() ?? '';
  const socket = socketUrl(data['server'] || originOf(script));
  return {
    socketUrl: socket,
    filesUrl: `${socket.replace(/^ws/, 'http')}/files`,
    lang: pickLang(data['lang'] || document.documentElement.lang || navigator.language),
    title: data['title']?.trim() || null,
    color: CSS_COLOR.test(color) ? color : null,
    sound: data['sound'] === 'on',
    position: data['position'] === 'left' ? 'left' : 'right',
    offset: offsetOf(data['offset']),
    theme: data['theme'] === 'light' || data['theme'] === 'dark' ? data['theme'] : 'auto',
  };
}

/** "x,y" or "y" in whole pixels, each 0–400; 20,20 by default (and for anything else). */
export function offsetOf(raw: string | undefined): { x: number; y: number } {
  const parts = (raw ?? '').split(',').map((p) => p.trim());
  const px = (v: string | undefined): number | null => (v !== undefined && /^\d{1,3}$/.test(v) && Number(v) <= 400 ? Number(v) : null);
  const [a, b] = parts.length === 1 ? [undefined, parts[0]] : parts;
  return { x: px(a) ?? 20, y: px(b) ?? 20 };
}

/** Chinese for any zh* tag, English for everything else. */
export function pickLang(tag: string): Lang {
  return /^zh/i.test(tag) ? 'zh' : 'en';
}

/**
 * The socket URL for a server base URL: `chat` under it, so `https://shop.example`
 * gives `wss://shop.example/chat` (and a server behind a path prefix still works).
 * @example socketUrl('http://127.0.0.1:3000') // 'ws://127.0.0.1:3000/chat'
 */
export function socketUrl(base: string): string {
  const url = new URL(base, document.baseURI);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const chat = new URL('chat', url);
  chat.protocol = chat.protocol === 'https:' ? 'wss:' : 'ws:';
  return chat.href;
}

function originOf(script: HTMLScriptElement | null): string {
  return script?.src ? new URL(script.src).origin : location.origin;
}
