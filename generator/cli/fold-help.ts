/** The help text of --target-us (light: commands.ts shows it without loading the folding search). */
import { DEFAULT_MAX_UTILISATION } from '../analysis/folding-defaults.js';

export const TARGET_HELP =
  `choose the lanes and events per cycle of every layer for this latency per image in µs (at the clock), or "fastest": the fastest design within ${DEFAULT_MAX_UTILISATION * 100} % of the part (instead of --lanes and --events-per-cycle)`;
