/**
 * Pre-place-and-route timing from a Yosys netlist (generator/synth/timing.ts). Hand-made netlists check the
 * arithmetic against figures worked out by hand from the delay table (docs/estimation.md, Timing); a small
 * generated design synthesised with the native yosys checks that a real netlist gives a sane, register-bounded
 * critical path.
 */
import { describe, expect, it } from 'vitest';
import { generateDesign } from '../generator/emit/design.js';
import { analyseTiming, ZYNQ7000_SPEED1_DELAYS as D } from '../generator/synth/timing.js';
import { nativeYosysAvailable, synthesise } from '../generator/synth/yosys.js';
import { COSIM_MATRIX, plannedRandom } from './helpers/designs.js';

// ---------------------------------------------------------------------------------------------------------
// A tiny netlist builder in Yosys write_json form.

type B = number | '0' | '1';
type Dir = 'input' | 'output';
interface Cell {
  type: string;
  port_directions: Record<string, Dir>;
  connections: Record<string, B[]>;
  parameters?: Record<string, string>;
}

class Net {
  private next = 2;
  cells: Record<string, Cell> = {};
  ports: Record<string, { direction: Dir; bits: B[] }> = {};
  bit(): number {
    return this.next++;
  }
  port(name: string, direction: Dir, bit: number) {
    this.ports[name] = { direction, bits: [bit] };
  }
  ff(name: string, d: B, q: number, clk: number, type = 'FDRE') {
    this.cells[name] = {
      type,
      port_directions: { C: 'input', CE: 'input', D: 'input', R: 'input', Q: 'output' },
      connections: { C: [clk], CE: ['1'], D: [d], R: ['0'], Q: [q] },
    };
  }
  lut(name: string, k: number, inputs: B[], out: number) {
    const pd: Record<string, Dir> = { O: 'output' };
    const conn: Record<string, B[]> = { O: [out] };
    for (let i = 0; i < k; i++) {
      pd[`I${i}`] = 'input';
      conn[`I${i}`] = [inputs[i] ?? '0'];
    }
    this.cells[name] = { type: `LUT${k}`, port_directions: pd, connections: conn };
  }
  carry4(name: string, c: { CI?: B; CYINIT?: B; DI?: B[]; S?: B[]; O?: B[]; CO?: B[] }) {
    const four = (x: B[] | undefined, fill: B) => [0, 1, 2, 3].map((i) => x?.[i] ?? fill);
    this.cells[name] = {
      type: 'CARRY4',
      port_directions: { CI: 'input', CYINIT: 'input', DI: 'input', S: 'input', O: 'output', CO: 'output' },
      connections: { CI: [c.CI ?? '0'], CYINIT: [c.CYINIT ?? '0'], DI: four(c.DI, '0'), S: four(c.S, '0'), O: four(c.O, this.bit()), CO: four(c.CO, this.bit()) },
    };
  }
  cell(name: string, type: string, pins: Record<string, [Dir, B]>) {
    this.cells[name] = {
      type,
      port_directions: Object.fromEntries(Object.entries(pins).map(([p, [d]]) => [p, d])),
      connections: Object.fromEntries(Object.entries(pins).map(([p, [, b]]) => [p, [b]])),
    };
  }
  json(top = 'top', extra: Record<string, unknown> = {}): string {
    return JSON.stringify({ creator: 'test', modules: { [top]: { attributes: { top: '00000000000000000000000000000001' }, ports: this.ports, cells: this.cells, netnames: {} }, ...extra } });
  }
}

/** clk input, FF a → (build) → FF b; returns the net and the bit that FF b's D must be driven by. */
function twoFFs(build: (n: Net, q: number) => number): Net {
  const n = new Net();
  const clk = n.bit();
  n.port('clk', 'input', clk);
  const q = n.bit();
  n.ff('ffa', '0', q, clk);
  const d = build(n, q);
  n.ff('ffb', d, n.bit(), clk);
  return n;
}

/** FF → N LUT6 in series → FF. */
function lutChain(count: number): string {
  return twoFFs((n, q) => {
    let x = q;
    for (let i = 0; i < count; i++) {
      const y = n.bit();
      n.lut(`l${i}`, 6, [x], y);
      x = y;
    }
    return x;
  }).json();
}

const close = (a: number, b: number) => expect(a).toBeCloseTo(b, 6);

describe('analyseTiming on hand-made netlists', () => {
  it('two flip-flops through three LUTs: levels and delay as computed by hand', () => {
    // FF → LUT6 → LUT3 → LUT6 → FF, every net fanout 1:
    //   clock-to-out 0.518 + 4 nets × 0.6 + LUT6 0.124 + LUT3 0.27 + LUT6 0.124 + setup(D) −0.031 = 3.405 ns.
    const net = twoFFs((n, q) => {
      const a = n.bit();
      const b = n.bit();
      const c = n.bit();
      n.lut('la', 6, [q], a);
      n.lut('lb', 3, ['0', a], b);
      n.lut('lc', 6, ['0', '0', '0', '0', '0', b], c);
      return c;
    });
    const t = analyseTiming(net.json(), 'top');
    expect(t.logicLevels).toBe(3);
    expect(t.maxLogicLevels).toBe(3);
    close(t.clockToOutNS, 0.518);
    close(t.logicDelayNS, 0.124 + 0.27 + 0.124);
    close(t.routeDelayNS, 4 * 0.6);
    close(t.pathDelayNS, 2.918);
    close(t.setupNS, -0.031);
    close(t.periodNS, 3.405);
    expect(t.fmaxMHz).toBeCloseTo(1000 / 3.405, 1);
    expect(t.steps.map((s) => s.type)).toEqual(['FDRE', 'LUT6', 'LUT3', 'LUT6', 'FDRE']);
    expect(t.steps[0].cell).toBe('ffa');
    expect(t.steps.at(-1)!.cell).toBe('ffb');
    expect(t.criticalPath).toHaveLength(5);
    expect(t.loops).toEqual([]);
    expect(t.warnings).toEqual([]);
    // The figures are the exported delay table, not private constants.
    close(D.ffClockToOut + 4 * D.routeBase + 2 * D.lut6 + D.lutSmall + D.ffSetupD, t.periodNS);
  });

  it('a carry chain: one logic level for the chain, CI→CO propagation at its own small delay', () => {
    // FF → (net 0.6) CARRY4 S[0]→CO[3] 0.508 → CI→CO[3] 0.114 → CI→O[1] 0.334 → (net 0.6) FF D (−0.031):
    //   0.518 + 0.6 + 0.508 + 0 + 0.114 + 0 + 0.334 + 0.6 − 0.031 = 2.643 ns.
    const net = twoFFs((n, q) => {
      const co0 = n.bit();
      const co1 = n.bit();
      const o2 = n.bit();
      n.carry4('c0', { S: [q], CO: [n.bit(), n.bit(), n.bit(), co0] });
      n.carry4('c1', { CI: co0, CO: [n.bit(), n.bit(), n.bit(), co1] });
      n.carry4('c2', { CI: co1, O: [n.bit(), o2, n.bit(), n.bit()] });
      return o2;
    });
    const t = analyseTiming(net.json(), 'top');
    expect(t.logicLevels).toBe(1);
    expect(t.carryStages).toBe(3);
    close(t.logicDelayNS, 0.508 + 0.114 + 0.334);
    close(t.routeDelayNS, 1.2);
    close(t.periodNS, 2.643);
    expect(t.steps.map((s) => `${s.type} ${s.from}→${s.to}`)).toEqual(['FDRE →Q', 'CARRY4 S[0]→CO[3]', 'CARRY4 CI→CO[3]', 'CARRY4 CI→O[1]', 'FDRE D→']);
  });

  it('a LUT feeding its CARRY4 S input alone uses the in-slice connection (no routing delay)', () => {
    // FF → (0.6) LUT6 0.124 → (0, dedicated) S[3]→CO[3] 0.380 → (0.6) FF: 0.518 + 1.2 + 0.504 − 0.031 = 2.191 ns.
    const net = twoFFs((n, q) => {
      const s = n.bit();
      const co = n.bit();
      n.lut('l', 6, [q], s);
      n.carry4('c', { S: ['0', '0', '0', s], CO: [n.bit(), n.bit(), n.bit(), co] });
      return co;
    });
    const t = analyseTiming(net.json(), 'top');
    expect(t.logicLevels).toBe(2);
    close(t.periodNS, 2.191);
  });

  it('routing grows with fanout: 0.6 ns + 0.12 ns per doubling', () => {
    // FF drives four LUT6s (fanout 4: 0.84 ns); one of them drives the capturing FF (0.6 ns).
    const net = twoFFs((n, q) => {
      const outs = [0, 1, 2, 3].map(() => n.bit());
      outs.forEach((o, i) => n.lut(`l${i}`, 6, [q], o));
      return outs[0];
    });
    const t = analyseTiming(net.json(), 'top');
    close(t.routeDelayNS, 0.84 + 0.6);
    close(t.periodNS, 0.518 + 0.84 + 0.124 + 0.6 - 0.031);
  });

  it('Fmax falls, and logic levels rise, with every LUT appended to the path', () => {
    let last = Infinity;
    for (let k = 1; k <= 8; k++) {
      const t = analyseTiming(lutChain(k), 'top');
      expect(t.logicLevels).toBe(k);
      expect(t.fmaxMHz).toBeLessThan(last);
      close(t.periodNS, 0.518 + (k + 1) * 0.6 + k * 0.124 - 0.031);
      last = t.fmaxMHz;
    }
  });

  it('INV is absorbed (no level, no extra net); BUFG clock nets are not data paths', () => {
    const n = new Net();
    const clkIn = n.bit();
    const clk = n.bit();
    n.port('clk', 'input', clkIn);
    n.cell('bufg', 'BUFG', { I: ['input', clkIn], O: ['output', clk] });
    const q = n.bit();
    const nq = n.bit();
    const l = n.bit();
    n.ff('ffa', '0', q, clk);
    n.cell('inv', 'INV', { I: ['input', q], O: ['output', nq] });
    n.lut('l', 6, [nq], l);
    n.ff('ffb', l, n.bit(), clk);
    const t = analyseTiming(n.json(), 'top');
    expect(t.logicLevels).toBe(1);
    close(t.periodNS, 0.518 + 0.6 + 0.124 + 0.6 - 0.031);
    expect(t.steps.map((s) => s.type)).toEqual(['FDRE', 'LUT6', 'FDRE']);
  });

  it('block RAM and LUT-RAM: clock-to-out, asynchronous LUT-RAM read, setups', () => {
    const n = new Net();
    const clk = n.bit();
    n.port('clk', 'input', clk);
    const q = n.bit();
    const dob = n.bit();
    const doa = n.bit();
    n.ff('ffa', '0', q, clk);
    // FF → RAM64M ADDRA (read, 0.124) → RAMB18E1 ADDR setup 0.566: 0.518 + 0.6 + 0.124 + 0.6 + 0.566 = 2.408.
    n.cell('lram', 'RAM64M', { WCLK: ['input', clk], ADDRA: ['input', q], DOA: ['output', doa], WE: ['input', '0'] });
    n.cell('bram', 'RAMB18E1', { CLKARDCLK: ['input', clk], ADDRARDADDR: ['input', doa], DOBDO: ['output', dob] });
    // RAMB18E1 DOB (2.454, no output register) → FF D: 2.454 + 0.6 − 0.031 = 3.023 — the critical path.
    n.ff('ffb', dob, n.bit(), clk);
    const t = analyseTiming(n.json(), 'top');
    close(t.periodNS, 3.023);
    expect(t.steps[0].type).toBe('RAMB18E1');
    expect(t.logicLevels).toBe(0);
    // With the optional output register (DOB_REG = 1) the clock-to-out is 0.882 and the LUT-RAM path wins.
    const j = JSON.parse(n.json());
    j.modules.top.cells.bram.parameters = { DOA_REG: '00000000000000000000000000000000', DOB_REG: '00000000000000000000000000000001' };
    const t2 = analyseTiming(JSON.stringify(j), 'top');
    close(t2.periodNS, 2.408);
    expect(t2.steps.map((s) => s.type)).toEqual(['FDRE', 'RAM64M', 'RAMB18E1']);
    expect(t2.logicLevels).toBe(1);
  });

  it('top-level ports: registered by default, ignored on request', () => {
    // in → LUT6 → LUT6 → out, no flip-flop at all.
    const n = new Net();
    const a = n.bit();
    const b = n.bit();
    const c = n.bit();
    n.port('a', 'input', a);
    n.port('c', 'output', c);
    n.lut('l1', 6, [a], b);
    n.lut('l2', 6, [b], c);
    const t = analyseTiming(n.json(), 'top');
    close(t.periodNS, 0.518 + 3 * 0.6 + 2 * 0.124 - 0.031);
    expect(t.steps[0].type).toBe('input port');
    expect(t.steps.at(-1)!.type).toBe('output port');
    const none = analyseTiming(n.json(), 'top', { ioPaths: 'ignore' });
    expect(none.criticalPath).toEqual([]);
    expect(none.fmaxMHz).toBe(Infinity);
  });

  it('a combinational loop is found, reported and broken; the analysis terminates', () => {
    const net = twoFFs((n, q) => {
      const x = n.bit();
      const y = n.bit();
      n.lut('la', 6, [q, y], x);
      n.lut('lb', 6, [x], y);
      return y;
    });
    const t = analyseTiming(net.json(), 'top');
    expect(t.loops).toHaveLength(1);
    expect(t.loops[0].sort()).toEqual(['LUT6 la', 'LUT6 lb']);
    expect(t.warnings.join(' ')).toMatch(/combinational loop/);
    expect(t.logicLevels).toBe(2);
    expect(Number.isFinite(t.fmaxMHz)).toBe(true);
  });

  it('a hierarchical netlist is flattened and timed like the flat one', () => {
    // top: FF → sub(LUT6 → LUT6) → FF, the sub-module instantiated once.
    const n = new Net();
    const clk = n.bit();
    n.port('clk', 'input', clk);
    const q = n.bit();
    const d = n.bit();
    n.ff('ffa', '0', q, clk);
    n.cell('u', 'sub', { a: ['input', q], y: ['output', d] });
    n.ff('ffb', d, n.bit(), clk);
    const sub = {
      attributes: {},
      ports: { a: { direction: 'input', bits: [2] }, y: { direction: 'output', bits: [3] } },
      cells: {
        l1: { type: 'LUT6', port_directions: { I0: 'input', O: 'output' }, connections: { I0: [2], O: [4] } },
        l2: { type: 'LUT6', port_directions: { I0: 'input', O: 'output' }, connections: { I0: [4], O: [3] } },
      },
      netnames: { mid: { hide_name: 0, bits: [4] } },
    };
    const t = analyseTiming(n.json('top', { sub }), 'top');
    const flat = analyseTiming(lutChain(2), 'top');
    expect(t.logicLevels).toBe(2);
    close(t.periodNS, flat.periodNS);
    expect(t.steps.map((s) => s.cell)).toEqual(['ffa', 'u.l1', 'u.l2', 'ffb']);
    expect(t.steps[1].net).toBe('u.mid');
  });

  it('rejects a missing top module and text that is not JSON', () => {
    expect(() => analyseTiming(lutChain(1), 'nope')).toThrow(/not in the netlist/);
    expect(() => analyseTiming('not json', 'top')).toThrow(/not valid JSON/);
  });
});

describe('analyseTiming on a generated design (native yosys, flattened)', () => {
  it('gives sane logic levels and a critical path from a sequential element to a sequential element', async () => {
    // Fails (never skips) without native Yosys: the README promises suites fail when a tool is missing.
    expect(nativeYosysAvailable(), 'native yosys is not installed (apt-get install -y yosys)').toBe(true);
    const design = generateDesign(plannedRandom(COSIM_MATRIX[1]));
    const synth = await synthesise({ top: design.top, files: design.files }, { engine: 'native', flatten: true, netlist: true });
    expect(synth.netlist).toBeDefined();
    const t = analyseTiming(synth.netlist!, design.top, { ioPaths: 'ignore' });
    expect(t.loops).toEqual([]);
    expect(t.warnings).toEqual([]);
    expect(t.stats.startPoints).toBeGreaterThan(10);
    expect(t.logicLevels).toBeGreaterThanOrEqual(2);
    expect(t.logicLevels).toBeLessThanOrEqual(40);
    expect(t.maxLogicLevels).toBeGreaterThanOrEqual(t.logicLevels);
    expect(t.fmaxMHz).toBeGreaterThan(30);
    expect(t.fmaxMHz).toBeLessThan(500);
    const sequential = /^(FD[RSCP]E|RAMB(18|36)E1|RAM(32|64)M|RAM\d+X1[SD]|SRLC?(16|32)E)$/;
    expect(t.steps[0].type).toMatch(sequential);
    expect(t.steps.at(-1)!.type).toMatch(sequential);
    expect(t.criticalPath[0]).toMatch(/^(FD|RAM|SRL)/);
    // The delays add up: clock-to-out + path + setup = period.
    expect(t.clockToOutNS + t.pathDelayNS + t.setupNS).toBeCloseTo(t.periodNS, 2);
    // Counting the ports as registered can only add paths.
    const withPorts = analyseTiming(synth.netlist!, design.top);
    expect(withPorts.fmaxMHz).toBeLessThanOrEqual(t.fmaxMHz);
  });
});
