/**
 * /bsnn/settings: what a bsnn model holds beyond NIR (seed, T, sampling, encoding, widths, lanes, noise,
 * reset mode, the timestep dt), as one JSON string written by `bsnn export` and read back by `bsnn import`.
 */
import { z } from 'zod';
import { NoiseSchema } from '../model/schema.js';
import { BsnnError } from '../util/errors.js';

const SettingsSchema = z.strictObject({
  name: z.string(),
  description: z.string().optional(),
  seed: z.number().int(),
  timesteps: z.number().int(),
  sampling: z.strictObject({ mode: z.enum(['time-ensemble', 'per-sample']), samples: z.number().int() }),
  encoding: z.enum(['rate', 'direct']),
  temperature: z.number().optional(),
  dt: z.number().positive(),
  layers: z.array(
    z.strictObject({
      probBits: z.number().int(),
      reset: z.enum(['subtract', 'zero']).optional(),
      membraneBits: z.number().int().optional(),
      lanes: z.number().int().optional(),
      eventsPerCycle: z.number().int().optional(),
      offsetsPerCycle: z.number().int().optional(),
      noise: NoiseSchema.optional(),
    }),
  ),
});

export type BsnnSettings = z.output<typeof SettingsSchema>;

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
    throw new BsnnError(`${source}: dataset /bsnn/settings: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return r.data;
}
