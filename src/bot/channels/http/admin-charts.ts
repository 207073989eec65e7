/**
 * Bar charts as inline SVG for the dashboard: no script and no chart
 * library, readable on a phone (they scale to the width), and described
 * for screen readers by their title and an aria-label listing every value.
 * Colours come from the stylesheet, so the CSP needs no inline styles.
 */
import { html, type Html } from './admin-html.js';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown under a column when the label is too long for it (the label stays in the description). */
  readonly short?: string;
}

/** About a card's width on a phone and on a desktop grid, so 12-unit text stays readable. */
const WIDTH = 360;
const ROW = 24;
const LABEL_WIDTH = 150;
/** Room for a label, in halves of a CJK character (a Latin letter takes about one). */
const LABEL_UNITS = 20;

/** Horizontal bars, one row per label (reasons, ratings, FAQs, gaps). */
export function barChart(title: string, bars: readonly Bar[]): Html {
  if (bars.length === 0) return html`<p class="hint">No data yet.</p>`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const room = WIDTH - LABEL_WIDTH - 36;
  const height = bars.length * ROW + 4;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${describe(title, bars)}">
<title>${title}</title>
${bars.map((b, i) => {
  const y = i * ROW + 2;
  const w = Math.round((b.value / max) * room);
  return html`<text x="${LABEL_WIDTH - 8}" y="${y + 16}" text-anchor="end">${cut(b.label)}</text>
<rect class="bar" x="${LABEL_WIDTH}" y="${y + 3}" width="${w}" height="${ROW - 8}" rx="2"></rect>
<text x="${LABEL_WIDTH + w + 6}" y="${y + 16}">${b.value}</text>`;
})}
</svg>`;
}

/** Vertical columns in order (a value per day), labelled below. */
export function columnChart(title: string, bars: readonly Bar[]): Html {
  if (bars.length === 0) return html`<p class="hint">No data yet.</p>`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = 150;
  const plot = height - 40;
  const step = Math.floor(WIDTH / bars.length);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${describe(title, bars)}">
<title>${title}</title>
<line class="axis" x1="0" y1="${plot + 16}" x2="${WIDTH}" y2="${plot + 16}"></line>
${bars.map((b, i) => {
  const h = Math.round((b.value / max) * plot);
  const x = i * step;
  return html`<rect class="bar" x="${x + Math.round(step * 0.15)}" y="${plot + 16 - h}" width="${Math.round(step * 0.7)}" height="${h}" rx="2"></rect>
<text x="${x + Math.round(step / 2)}" y="${plot + 12 - h}" text-anchor="middle">${b.value > 0 ? b.value : ''}</text>
<text x="${x + Math.round(step / 2)}" y="${height - 6}" text-anchor="middle">${b.short ?? b.label}</text>`;
})}
</svg>`;
}

/** One bar split in two, for a share (answered by the bot vs handed off). */
export function shareBar(title: string, part: Bar, rest: Bar): Html {
  const total = Math.max(1, part.value + rest.value);
  const w = Math.round((part.value / total) * WIDTH);
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} 46" role="img" aria-label="${describe(title, [part, rest])}">
<title>${title}</title>
<rect class="bar" x="0" y="0" width="${w}" height="24"></rect>
<rect class="bar alt" x="${w}" y="0" width="${WIDTH - w}" height="24"></rect>
<text x="0" y="42">${part.label}: ${part.value}</text>
<text x="${WIDTH}" y="42" text-anchor="end">${rest.label}: ${rest.value}</text>
</svg>`;
}

function describe(title: string, bars: readonly Bar[]): string {
  return `${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`;
}

/** The label cut to fit left of the bars: CJK characters are about twice as wide as Latin ones. */
function cut(label: string): string {
  let units = 0;
  for (const [i, ch] of [...label].entries()) {
    units += /[\u2E80-\uFFEF]/.test(ch) ? 2 : 1;
    if (units > LABEL_UNITS) return `${[...label].slice(0, i).join('')}…`;
  }
  return label;
}
