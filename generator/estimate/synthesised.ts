/**
 * Resources from real synthesis: Yosys statistics of the hierarchical netlist, attributed to blocks.
 * Each LFSR instance is its own module (its SEED parameter differs), so the planned IR's seeds say which
 * layer, lane and stream it serves.
 */
import type { PlannedModel } from '../ir/types.js';
import { opOf } from '../ops/registry.js';
import { parseStat } from '../synth/yosys.js';
import { addResources, emptyResources, resourcesFromCells } from './cells.js';
import type { BlockResources, Resources } from './types.js';

function seedOf(moduleName: string): number | undefined {
  const m = /SEED=32'([01]{32})/.exec(moduleName);
  return m ? parseInt(m[1], 2) >>> 0 : undefined;
}

export function blocksFromStat(plan: PlannedModel, stat: string): { total: Resources; blocks: BlockResources[] } {
  const { modules } = parseStat(stat);
  const seedBlock = new Map<number, string>();
  seedBlock.set(plan.input.seed, 'encoder');
  for (const L of plan.layers) {
    for (const stream of opOf(L).randomStreams(L)) for (const s of stream.seeds) seedBlock.set(s, `layer${L.index}/${stream.name} rng`);
  }
  const acc = new Map<string, Resources>();
  const add = (block: string, r: Resources) => acc.set(block, addResources(acc.get(block) ?? emptyResources(), r));
  for (const [name, cells] of modules) {
    const r = resourcesFromCells(cells);
    const seed = seedOf(name);
    if (seed !== undefined) {
      // A module per seed; identical seeds would share one module, instantiated once per use.
      add(seedBlock.get(seed) ?? 'other', r);
      continue;
    }
    const layer = /_layer(\d+)$/.exec(name);
    if (layer) add(`layer${layer[1]}/datapath`, r);
    else if (name.endsWith('_encoder')) add('encoder', r);
    else if (name.endsWith('_top')) add('control', r);
    else add('other', r);
  }
  const blocks: BlockResources[] = [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([block, resources]) => ({ block, layer: /^layer(\d+)/.test(block) ? Number(/^layer(\d+)/.exec(block)![1]) : null, resources }));
  const total = blocks.reduce((t, b) => addResources(t, b.resources), emptyResources());
  return { total, blocks };
}
