/**
 * What every system in the emotion section implements, Tact included:
 * optionally learn from labelled yes/no cases, then say yes or no per message.
 */
import type { BinaryCase } from '../emotion-tasks.js';

export interface EmotionPeer {
  readonly name: string;
  /** Systems that learn get the dataset's own train split; lexicon systems get none and ignore it. */
  train(cases: readonly BinaryCase[]): Promise<void>;
  /** Whether the message is a positive for the task (needs a human, upset, abusive). */
  isPositive(text: string): boolean;
}
