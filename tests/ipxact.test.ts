/**
 * ip/component.xml: well-formed XML, IP-XACT 1685-2009 in Vivado's form, naming every port of the wrapper
 * with its direction and width (read here from the emitted Verilog by a parser of this test's own), the bus
 * interfaces built from those ports, the register map of AXI_REGISTERS, and files that exist.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AXI_REGISTERS, axiModuleName } from '../generator/emit/axi.js';
import { generateDesign } from '../generator/emit/design.js';
import { IPXACT_PATH } from '../generator/emit/ipxact.js';
import { parseModulePorts } from '../generator/emit/ports.js';
import { planModel } from '../generator/ir/plan.js';
import type { PlannedModel } from '../generator/ir/types.js';
import { loadModel } from '../generator/model/load.js';
import { PACKAGE_ROOT } from '../generator/util/paths.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';
import { writeFiles } from '../generator/util/atomic.js';

/** name → [direction, width] of a module's ANSI port list, read line by line. */
function portsOf(verilog: string, module: string): Map<string, [string, number]> {
  const start = verilog.indexOf(`module ${module} (`);
  expect(start, `module ${module}`).toBeGreaterThanOrEqual(0);
  const header = verilog.slice(start, verilog.indexOf(');', start));
  const out = new Map<string, [string, number]>();
  for (const line of header.split('\n')) {
    const m = /^\s*(input|output)\s+(?:wire|reg)\s+(?:\[(\d+):(\d+)\]\s+)?(\w+)\s*,?\s*(?:\/\/.*)?$/.exec(line);
    if (m) out.set(m[4], [m[1] === 'input' ? 'in' : 'out', m[2] === undefined ? 1 : Number(m[2]) - Number(m[3]) + 1]);
  }
  return out;
}

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, isArray: (name) => ['spirit:busInterface', 'spirit:portMap', 'spirit:port', 'spirit:register', 'spirit:file', 'spirit:fileSet', 'spirit:parameter', 'spirit:view', 'spirit:field'].includes(name) });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = any;
const text = (n: Node): string => (typeof n === 'object' ? String(n['#text']) : String(n));

function component(plan: PlannedModel) {
  const files = generateDesign(plan).files;
  const xml = files.find((f) => f.path === IPXACT_PATH)!.content;
  const verilog = files.find((f) => f.path === `rtl/${axiModuleName(plan.name)}.v`)!.content;
  return { files, xml, verilog, c: parser.parse(xml)['spirit:component'] as Node };
}

let yinyang: PlannedModel;
let TMP: string;
beforeAll(() => {
  yinyang = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
  TMP = mkdtempSync(join(tmpdir(), 'bsnn-ipxact-'));
});
afterAll(() => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

describe('ip/component.xml', () => {
  it('is well-formed XML in the IP-XACT 1685-2009 namespace, VLNV bsnn:user:<name>_axi:1.0', () => {
    const { xml, c } = component(yinyang);
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(c['@xmlns:spirit']).toBe('http://www.spiritconsortium.org/XMLSchema/SPIRIT/1685-2009');
    expect([c['spirit:vendor'], c['spirit:library'], c['spirit:name'], String(c['spirit:version'])]).toEqual(['bsnn', 'user', 'yinyang_axi', '1.0']);
  });

  const designs = [
    { label: 'yinyang', plan: () => yinyang },
    ...[COSIM_MATRIX[0], COSIM_MATRIX[10], COSIM_MATRIX[19]].map((o) => ({ label: `random seed ${o.seed}`, plan: () => plannedRandom(o) })),
  ];
  for (const d of designs) {
    it(`${d.label}: names every port of the wrapper with its direction and width`, () => {
      const plan = d.plan();
      const { xml, c, verilog } = component(plan);
      expect(XMLValidator.validate(xml)).toBe(true);
      const want = portsOf(verilog, axiModuleName(plan.name));
      expect(want.size).toBeGreaterThan(20);
      const got = new Map<string, [string, number]>(
        (c['spirit:model']['spirit:ports']['spirit:port'] as Node[]).map((p) => {
          const w = p['spirit:wire'];
          const v = w['spirit:vector'];
          const width = v ? Math.abs(Number(text(v['spirit:left'])) - Number(text(v['spirit:right']))) + 1 : 1;
          return [p['spirit:name'], [w['spirit:direction'], width]];
        }),
      );
      expect(got).toEqual(want);
      // The library's parser, used by the generator, agrees with this test's.
      const lib = parseModulePorts(verilog, axiModuleName(plan.name));
      expect(new Map(lib.map((p) => [p.name, [p.direction, p.width]]))).toEqual(want);
    });
  }

  it('declares s_axi (memory-mapped slave), s_axis, m_axis, clock, reset and interrupt over real ports', () => {
    const { c, verilog } = component(yinyang);
    const ports = portsOf(verilog, 'yinyang_axi');
    const ifs = c['spirit:busInterfaces']['spirit:busInterface'] as Node[];
    const byName = new Map(ifs.map((b) => [b['spirit:name'], b]));
    const type = (b: Node) => `${b['spirit:busType']['@spirit:library']}:${b['spirit:busType']['@spirit:name']}`;
    expect(type(byName.get('s_axi'))).toBe('interface:aximm');
    expect(type(byName.get('s_axis'))).toBe('interface:axis');
    expect(type(byName.get('m_axis'))).toBe('interface:axis');
    expect(type(byName.get('aclk'))).toBe('signal:clock');
    expect(type(byName.get('aresetn'))).toBe('signal:reset');
    expect(type(byName.get('irq'))).toBe('signal:interrupt');
    expect(byName.get('s_axi')['spirit:slave']['spirit:memoryMapRef']['@spirit:memoryMapRef']).toBe('s_axi');
    expect(byName.get('s_axis')).toHaveProperty('spirit:slave');
    expect(byName.get('m_axis')).toHaveProperty('spirit:master');
    expect(byName.get('irq')).toHaveProperty('spirit:master');
    // Every port of every interface exists; every port is in exactly one interface.
    const mapped = ifs.flatMap((b) => (b['spirit:portMaps']['spirit:portMap'] as Node[]).map((m) => m['spirit:physicalPort']['spirit:name'] as string));
    for (const p of mapped) expect(ports.has(p), p).toBe(true);
    expect([...mapped].sort()).toEqual([...ports.keys()].sort());
    const logical = (bus: string) => (byName.get(bus)['spirit:portMaps']['spirit:portMap'] as Node[]).map((m) => m['spirit:logicalPort']['spirit:name']);
    expect(logical('s_axis')).toEqual(expect.arrayContaining(['TDATA', 'TVALID', 'TREADY', 'TLAST']));
    expect(logical('s_axi')).toEqual(expect.arrayContaining(['AWADDR', 'WDATA', 'BRESP', 'ARADDR', 'RDATA', 'RREADY']));
    const params = (bus: string) => new Map((byName.get(bus)['spirit:parameters']['spirit:parameter'] as Node[]).map((p) => [p['spirit:name'], text(p['spirit:value'])]));
    expect(params('aclk').get('ASSOCIATED_BUSIF')!.split(':').sort()).toEqual(['m_axis', 's_axi', 's_axis']);
    expect(params('aclk').get('ASSOCIATED_RESET')).toBe('aresetn');
    expect(params('aresetn').get('POLARITY')).toBe('ACTIVE_LOW');
    expect(params('irq').get('SENSITIVITY')).toBe('LEVEL_HIGH');
    // AXI4-Lite, not full AXI4 (issue 15): Vivado would otherwise let an interconnect send it bursts
    expect(params('s_axi').get('PROTOCOL')).toBe('AXI4LITE');
    expect(logical('m_axis')).toContain('TKEEP');
    expect(ports.get('m_axis_tkeep')).toEqual(['out', 4]);
    expect(Object.fromEntries(params('m_axis'))).toEqual({ TDATA_NUM_BYTES: '4', HAS_TLAST: '1', HAS_TKEEP: '1' });
    expect(Object.fromEntries(params('s_axis'))).toEqual({ TDATA_NUM_BYTES: '1', HAS_TLAST: '1', HAS_TKEEP: '0' });
    const ids = ifs.flatMap((b) => (b['spirit:parameters']['spirit:parameter'] as Node[]).map((p) => [b['spirit:name'], p['spirit:name'], p['spirit:value']['@spirit:id']]));
    for (const [bus, name, id] of ids) expect(id).toBe(`BUSIFPARAM_VALUE.${String(bus).toUpperCase()}.${name}`);
  });

  it('carries Xilinx packaging information: families, taxonomy, vendor, the packager version', () => {
    const { c } = component(yinyang);
    const ext = c['spirit:vendorExtensions'];
    expect(text(ext['xilinx:coreExtensions']['xilinx:supportedFamilies']['xilinx:family'])).toBe('zynq');
    expect(ext['xilinx:coreExtensions']['xilinx:vendorDisplayName']).toBe('bsnn');
    expect(ext['xilinx:packagingInfo']['xilinx:xilinxVersion']).toMatch(/^20\d\d\.\d$/);
  });

  it('carries the register map of AXI_REGISTERS', () => {
    const { c } = component(yinyang);
    const mm = c['spirit:memoryMaps']['spirit:memoryMap'];
    expect(mm['spirit:name']).toBe('s_axi');
    const regs = (mm['spirit:addressBlock']['spirit:register'] as Node[]).map((r) => [r['spirit:name'], parseInt(text(r['spirit:addressOffset']), 16), r['spirit:access']]);
    expect(regs).toEqual(AXI_REGISTERS.map((r) => [r.name, r.offset, r.access === 'RO' ? 'read-only' : 'read-write']));
    expect(Number(text(mm['spirit:addressBlock']['spirit:range']))).toBeGreaterThanOrEqual(4096);
  });

  it('names rtl/ and mem/ files relative to ip/, and they exist in the output', () => {
    const { files, c } = component(yinyang);
    const out = join(TMP, 'out');
    writeFiles(out, files);
    const sets = c['spirit:fileSets']['spirit:fileSet'] as Node[];
    expect(sets.map((s) => s['spirit:name']).sort()).toEqual(['xilinx_anylanguagebehavioralsimulation_view_fileset', 'xilinx_anylanguagesynthesis_view_fileset']);
    for (const s of sets) {
      const names = (s['spirit:file'] as Node[]).map((f) => f['spirit:name'] as string);
      for (const n of names) expect(existsSync(join(out, 'ip', n)), n).toBe(true);
      // Every Verilog source and memory image of the design is in the set.
      const wanted = files.filter((f) => /\.(v|mem)$/.test(f.path)).map((f) => `../${f.path}`);
      expect([...names].sort()).toEqual([...wanted].sort());
    }
  });

  it('is deterministic', () => {
    expect(component(yinyang).xml).toBe(component(planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')))).xml);
  });
});

describe('Verilog port-list reader', () => {
  it('reads ANSI declarations, ranges and comments', () => {
    const v = `// header
module m #(parameter W = 4) (
    input  wire        clk,   // clock
    /* block */ output reg  [7:0]  q,
    input  wire [0:3]  up,
    inout  wire        io
);
endmodule`;
    expect(parseModulePorts(v, 'm')).toEqual([
      { name: 'clk', direction: 'in', width: 1, msb: null, lsb: null },
      { name: 'q', direction: 'out', width: 8, msb: 7, lsb: 0 },
      { name: 'up', direction: 'in', width: 4, msb: 0, lsb: 3 },
      { name: 'io', direction: 'inout', width: 1, msb: null, lsb: null },
    ]);
  });

  it('refuses what it cannot read rather than guess', () => {
    expect(() => parseModulePorts('module m (input wire [W-1:0] a); endmodule', 'm')).toThrow(/cannot read/);
    expect(() => parseModulePorts('module m (a, b); input a; output b; endmodule', 'm')).toThrow(/cannot read/);
    expect(() => parseModulePorts('module other (input wire a); endmodule', 'm')).toThrow(/not found/);
  });
});
