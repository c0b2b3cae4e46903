/** docs/zynq.md cannot drift from the code: register map, block design names, build.tcl options. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictCycles } from '../generator/analysis/cycles.js';
import { BOARDS } from '../generator/board/boards.js';
import { AXI_REGISTERS } from '../generator/emit/axi.js';
import { generateDesign } from '../generator/emit/design.js';
import { BLOCK_DESIGN } from '../generator/emit/vivado.js';
import { GoldenModel } from '../generator/golden/infer.js';
import { planModel } from '../generator/ir/plan.js';
import { loadModel } from '../generator/model/load.js';
import { PACKAGE_ROOT } from '../generator/util/paths.js';

const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'zynq.md'), 'utf8');
const tcl = readFileSync(join(PACKAGE_ROOT, 'templates', 'vivado', 'build.tcl.hbs'), 'utf8');

describe('docs/zynq.md', () => {
  it('has a register-map row for every register in AXI_REGISTERS, with its offset and access, and no other', () => {
    const rows = doc.split('\n').filter((l) => /^\| `0x[0-9A-F]{2}` \| `[A-Z_0-9]+` \|/.test(l));
    const documented = rows.map((l) => {
      const [, offset, name, access] = /^\| `0x([0-9A-F]{2})` \| `([A-Z_0-9]+)` \| (\w+) \|/.exec(l)!;
      return [name, parseInt(offset, 16), access];
    });
    expect(documented).toEqual(AXI_REGISTERS.map((r) => [r.name, r.offset, r.access]));
  });

  it('names the block-design cells as build.tcl creates them', () => {
    const plan = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
    const built = generateDesign(plan).files.find((f) => f.path === 'vivado/build.tcl')!.content;
    const cells = [...built.matchAll(/create_bd_cell [^\n]* (\w+)\]/g)].map((m) => m[1]);
    expect(cells.sort()).toEqual([BLOCK_DESIGN.core, BLOCK_DESIGN.core, BLOCK_DESIGN.dma, 'axi_gp0', 'axi_hp0', 'irq_concat', 'ps7', 'rst_fclk0'].sort());
    for (const cell of cells) expect(doc, cell).toContain(`\`${cell}\``);
    expect(doc).toContain(`ol.${BLOCK_DESIGN.dma}, ol.${BLOCK_DESIGN.core}`);
  });

  it('documents the options build.tcl takes, and every board', () => {
    for (const opt of ['--no-bitstream', '--ip-repo', '--jobs', 'BSNN_NO_BITSTREAM']) {
      expect(tcl, opt).toContain(opt);
      expect(doc, opt).toContain(opt);
    }
    for (const b of BOARDS) expect(doc).toContain(b.name);
  });

  it('says plainly what was not run on hardware', () => {
    expect(doc).toMatch(/Nothing on this page has been run in Vivado or on a board yet/);
    expect(doc.match(/\*\(not run here\)\*/g)!.length).toBeGreaterThanOrEqual(2);
  });
});

describe('docs/zynq.md §6 timing figures', () => {
  it('quote the cycle model for the bundled yinyang example (they go stale when it is retrained)', () => {
    const plan = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
    const x = Uint8Array.of(26, 204, 230, 51);
    const cycles = predictCycles(plan, new GoldenModel(plan).infer(x, { activity: true }), x).total;
    const fmt = (n: number) => n.toLocaleString('en-US');
    expect(doc).toContain(`gives ${fmt(cycles)}, so the`);
    expect(doc).toContain(`CYCLES = ${fmt(cycles)} `);
    expect(doc).toContain(`D = 13 + ${fmt(cycles)} = ${fmt(13 + cycles)}`);
    // M + CYCLES + 2·C + 4 with M = 4 inputs and C = 3 classes.
    expect(doc).toContain(`${fmt(4 + cycles + 2 * 3 + 4)} cycles, ${Math.round((4 + cycles + 10) / 100)} µs at 100 MHz`);
  });
});
