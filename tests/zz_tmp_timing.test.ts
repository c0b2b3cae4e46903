import { it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { emitVerilog } from '../generator/emit/verilog.js';
import { synthesise } from '../generator/synth/yosys.js';
import { analyseTiming } from '../generator/synth/timing.js';
import { planModel } from '../generator/ir/plan.js';
import { validateModel } from '../generator/model/load.js';
it('timing', async () => {
  const lanes = process.env.LANES ? process.env.LANES.split(',').map(Number) : undefined;
  const plan = planModel(validateModel(JSON.parse(readFileSync(process.env.MODEL!, 'utf8'))), { lanes });
  const design = emitVerilog(plan);
  const syn = await synthesise({ top: design.top, files: design.files }, { netlist: true });
  const t = analyseTiming(syn.netlist!, design.top);
  writeFileSync(process.env.OUT!, JSON.stringify({ fmax: t.fmaxMHz, levels: t.logicLevels, path: t.criticalPath }, null, 1));
}, 900000);
