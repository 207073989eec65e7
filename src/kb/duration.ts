/**
 * Durations as editors write them in escalation.yaml: a whole number and a
 * unit — `30s`, `1m`, `4h`, `2d` (calendar days) or `3wd` (working days).
 */
import type { Duration, DurationUnit } from './types.js';
import type { Path, YamlFile } from './yaml-file.js';
import { describe } from './validate.js';

const SECONDS: Readonly<Record<DurationUnit, number>> = { s: 1, m: 60, h: 3600, d: 86_400, wd: 86_400 };
const PATTERN = /^(\d{1,6})\s*(wd|s|m|h|d)$/;

export function parseDuration(text: string): Duration | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] as DurationUnit;
  return n > 0 ? { n, unit, text: `${n}${unit}`, seconds: n * SECONDS[unit] } : undefined;
}

export function readDuration(f: YamlFile, v: unknown, path: Path): Duration | undefined {
  const d = typeof v === 'string' ? parseDuration(v) : undefined;
  if (!d) f.problem(path, `must be a duration such as 30s, 1m, 4h, 2d or 3wd (working days), not ${describe(v)}`);
  return d;
}
