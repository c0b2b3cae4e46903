/** S of the per-sample ensemble baseline; apart from the evaluator so that `bsnn evaluate --help` shows it cheaply. */
export const DEFAULT_BASELINE_SAMPLES = 4;
