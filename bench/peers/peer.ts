/**
 * What every system in the benchmark implements, Tact included: learn from
 * labelled phrasings, then predict one label per message with a score.
 */
export interface Example {
  readonly text: string;
  /** Intent / FAQ id; `oos` marks an out-of-scope (negative) example. */
  readonly label: string;
}

export interface Prediction {
  /** The predicted label, or `oos` when the system itself says "none". */
  readonly label: string;
  /** The system's confidence for that label; thresholds are calibrated on it. Higher = surer. */
  readonly score: number;
}

export interface Peer {
  readonly name: string;
  /** Learns from the training split. May be async (NLP.js trains asynchronously). */
  train(examples: readonly Example[]): Promise<void>;
  predict(text: string): Prediction;
  /** For peers whose library only predicts asynchronously (NLP.js); their `predict` throws. */
  predictAsync?(text: string): Promise<Prediction>;
}
