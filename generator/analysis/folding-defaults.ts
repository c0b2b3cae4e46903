/** The folding search's defaults, in a module of their own so that the CLI's help can show them cheaply. */

/** Default utilisation cap: a fifth of the part left for routing, the AXI wrapper and the DMA. */
export const DEFAULT_MAX_UTILISATION = 0.8;
