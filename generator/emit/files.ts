/** A generated file, in memory until util/atomic.ts writes the folder. */
export interface EmittedFile {
  /** Path relative to the output folder. */
  path: string;
  content: string;
}
