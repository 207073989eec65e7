/**
 * Chinese word segmentation with jieba (@node-rs/jieba, Rust port, default
 * dictionary), for comparing segmenters in the benchmark. The Jieba instance
 * (dictionary load, tens of ms) is created lazily on first use, then reused.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

let jieba: Jieba | undefined;

/** Precise-mode jieba segmentation with HMM for unknown words; whitespace-only tokens dropped. */
export function jiebaSegment(text: string): string[] {
  jieba ??= Jieba.withDict(dict);
  return jieba.cut(text, true).filter((w) => w.trim() !== '');
}
