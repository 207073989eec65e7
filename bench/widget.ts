/**
 * The benchmark's widget section: what a shop's page downloads to show the
 * chat, Tact's widget beside Botkit's web client, gzipped as a server would
 * send them. Tact's is one file (script, styles, both languages, file
 * uploads); its budget is 30 KB gzipped. Botkit's is its own files only: its
 * page also loads Handlebars, Showdown and a polyfill from CDNs, not counted.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packageRoot } from '../src/kb/defaults.js';

export interface WidgetRow {
  readonly system: string;
  readonly files: readonly string[];
  readonly bytes: number;
  readonly gzipped: number;
}

export const WIDGET_BUDGET_GZIPPED = 30 * 1024;

function measure(system: string, dir: string, files: readonly string[]): WidgetRow {
  const bodies = files.map((f) => readFileSync(join(dir, f)));
  return { system, files, bytes: bodies.reduce((n, b) => n + b.length, 0), gzipped: bodies.reduce((n, b) => n + gzipSync(b).length, 0) };
}

export function runWidgetSection(): { rows: WidgetRow[]; md: string } {
  const botkitClient = join(dirname(createRequire(import.meta.url).resolve('botbuilder-adapter-web/package.json')), 'client');
  const rows = [measure('Tact widget', join(packageRoot(), 'dist', 'widget'), ['widget.js']), measure('Botkit web client (its own files)', botkitClient, ['embed.js', 'css/embed.css', 'index.html', 'client.js', 'css/styles.css'])];
  const kb = (n: number): string => (n / 1024).toFixed(1);
  const md = [
    '### Widget: what the page downloads (KB)',
    '',
    '| system | files | bytes | gzipped |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.system} | ${r.files.join(', ')} | ${kb(r.bytes)} | ${kb(r.gzipped)} |`),
    '',
    `- Tact's budget is ${kb(WIDGET_BUDGET_GZIPPED)} KB gzipped: the script with its styles, both languages' labels and the photo and PDF uploads, in one request.`,
    "- Botkit's web client is an iframe page whose own files are counted here; it also loads Handlebars, Showdown and a polyfill from CDNs, which are not.",
    '',
  ];
  return { rows, md: md.join('\n') };
}
