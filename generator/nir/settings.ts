/**
 * /bsnn/settings: what a bsnn model holds beyond NIR (seed, T, sampling, encoding, widths, lanes, noise,
 * reset mode, the timestep dt), as one JSON string written by `bsnn export` and read back by `bsnn import`.
 */
import { z } from 'zod';
import { ConvLayerSchema, DenseLayerSchema, ModelSchema, NoiseSchema, ReadoutSchema } from '../model/schema.js';
import { formatPath, show as shown, valueAt } from '../model/load.js';
import { BsnnError } from '../util/errors.js';

// Each entry takes its field's schema from the bsnn/1 format itself, ranges included, so a value the model
// would refuse is refused here, as a /bsnn/settings entry, not as a field of a model the user never saw.
const dense = DenseLayerSchema.shape;
const model = ModelSchema.shape;
const SettingsSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  seed: model.seed,
  timesteps: model.timesteps,
  sampling: model.sampling,
  encoding: model.input.shape.encoding,
  temperature: ReadoutSchema.shape.temperature,
  dt: z.number().positive(),
  layers: z.array(
    z.strictObject({
      probBits: dense.probBits,
      reset: z.enum(['subtract', 'zero']).optional(),
      membraneBits: dense.membraneBits.unwrap().optional(),
      lanes: dense.lanes,
      eventsPerCycle: dense.eventsPerCycle,
      offsetsPerCycle: ConvLayerSchema.shape.offsetsPerCycle,
      noise: NoiseSchema.optional(),
    }),
  ),
});

export type BsnnSettings = z.output<typeof SettingsSchema>;

/** One zod issue in the words the model loader uses ("9 is above the maximum 8"), not zod's own. */
function describe(i: z.core.$ZodIssue, value: unknown): string {
  switch (i.code) {
    case 'too_big':
      return `${shown(value)} is above the maximum ${String(i.maximum)}`;
    case 'too_small':
      return `${shown(value)} is below the minimum ${String(i.minimum)}`;
    case 'unrecognized_keys':
      return `unknown ${i.keys.length === 1 ? 'key' : 'keys'} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return `${shown(value)} is not one of ${i.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_type':
      return value === undefined ? `missing (expected ${i.expected})` : `expected ${i.expected}, got ${shown(value)}`;
    default:
      return `${shown(value)}: ${i.message}`;
  }
}

export function parseSettings(text: string, source: string): BsnnSettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BsnnError(`${source}: dataset /bsnn/settings is not JSON (${(e as Error).message})`);
  }
  const r = SettingsSchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new BsnnError(`${source}: dataset /bsnn/settings: ${formatPath(i.path)}: ${describe(i, valueAt(json, i.path))}`);
  }
  return r.data;
}
