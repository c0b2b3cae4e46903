/** The PL clock: one default for every command (gen-rtl's FCLK_CLK0, estimate's clock without synthesis). */

/** FCLK_CLK0 when gen-rtl is not told otherwise (PYNQ-Z2's usual fabric clock); estimate uses it too. */
export const DEFAULT_CLOCK_MHZ = 100;
/** The PS7's PL clocks go up to 250 MHz. */
export const MAX_FCLK_MHZ = 250;
