/** Import defaults, apart from the converter so that `bsnn import --help` shows them without loading it. */
export const DEFAULTS = { timesteps: 32, probBits: 8, seed: 1, clip: 1 } as const;

export const EXPORT_DT = 1e-3;
