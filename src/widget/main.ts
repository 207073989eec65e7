/**
 * Entry of /widget.js. One tag embeds the chat:
 *
 *   <script src="https://HOST/widget.js" async data-lang="zh" data-title="…" data-color="#0a7"></script>
 *
 * It reads its settings from that tag, mounts the launcher and panel in an
 * open shadow root on a <tact-chat> element (a custom tag, so page rules for
 * div or button never match the host) and installs window.Tact.
 */
import { installApi } from './api.js';
import { Chat } from './chat.js';
import { readConfig } from './config.js';

function ownScript(): HTMLScriptElement | null {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement) return current;
  return document.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
}

function mount(): HTMLElement {
  const host = document.createElement('tact-chat');
  // Inline, so it outranks any page rule: nothing inheritable leaks into the shadow tree.
  host.style.setProperty('all', 'initial');
  document.body.append(host);
  return host;
}

// A second copy of the script on the page must not add a second widget.
if (window.Tact === undefined) {
  // currentScript exists only while this runs, so read the settings before waiting for <body>.
  const config = readConfig(ownScript());
  const start = () => installApi(new Chat(mount().attachShadow({ mode: 'open' }), config));
  if (document.body === null) document.addEventListener('DOMContentLoaded', start);
  else start();
}
