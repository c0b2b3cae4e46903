/**
 * The event decomposition pipeline of conv.v.hbs, generated: the flat CHW index of an input event becomes the
 * kernel-row offset c·kh·kw, the stride quotients and remainders of (y + ph, x + pw) and the output row qy·Wo,
 * without a divider or a multiplier. Divisions by constants are restoring divisions unrolled over the quotient
 * bits (one subtract per bit, its borrow the quotient bit), two bits per register stage so that no stage is
 * longer than two carry chains; products by constants are sums of shifted constants. Every stage holds while
 * the sequencer is busy (`hold`), so the pipeline stalls as a whole.
 */
import type { ConvLayer } from '../../ir/types.js';
import { countBits } from '../../ir/widths.js';
import { zext } from '../../emit/verilog-text.js';

/** Quotient bits resolved per register stage. */
const STEPS_PER_STAGE = 2;

interface Ref {
  expr: string;
  bits: number;
}

class Pipe {
  stages = 0;
  /** Flip-flops of the stage registers, and bits of the subtractors of the divisions. */
  regBits = 0;
  subtractBits = 0;
  readonly wires: string[] = [];
  readonly regs: string[] = [];
  readonly assigns: string[] = [];
  cur = new Map<string, Ref>();

  constructor(init: Record<string, Ref>) {
    for (const [k, v] of Object.entries(init)) this.cur.set(k, v);
  }

  ref(name: string): string {
    const r = this.cur.get(name);
    if (!r) throw new Error(`decomposition: no signal ${name}`);
    return r.expr;
  }

  bits(name: string): number {
    return this.cur.get(name)!.bits;
  }

  private aliases = 0;

  /** A named wire for an expression (so that bits can be selected from it). */
  alias(name: string, bits: number, expr: string): Ref {
    const w = `a${++this.aliases}_${name}`;
    this.wires.push(`    wire [${bits - 1}:0] ${w} = ${expr};`);
    return { expr: w, bits };
  }

  /** A combinational wire of the stage being built. */
  wire(name: string, bits: number, expr: string): string {
    const w = `w${this.stages + 1}_${name}`;
    this.wires.push(`    wire [${bits - 1}:0] ${w} = ${expr};`);
    return w;
  }

  /** Register every signal: `next` replaces or adds signals, `drop` leaves some out. */
  stage(next: Record<string, Ref>, drop: string[] = []): void {
    const s = ++this.stages;
    const out = new Map<string, Ref>();
    for (const [k, v] of this.cur) if (!(k in next) && !drop.includes(k)) out.set(k, v);
    for (const [k, v] of Object.entries(next)) out.set(k, v);
    const regd = new Map<string, Ref>();
    for (const [k, v] of out) {
      // constants stay constants
      if (/^\d+'[sd]/.test(v.expr)) {
        regd.set(k, v);
        continue;
      }
      const r = `d${s}_${k}`;
      this.regs.push(`    reg  [${v.bits - 1}:0] ${r};`);
      this.regBits += v.bits;
      this.assigns.push(`            ${r} <= ${v.expr};`);
      regd.set(k, { expr: r, bits: v.bits });
    }
    this.cur = regd;
  }
}

/** A division in progress: dividend remainder `r`, quotient bits found so far `g<b>`, bits still to find. */
interface Division {
  name: string;
  d: number;
  n: number;
  qBits: number;
  rBits: number;
  next: number; // next quotient bit to resolve (counting down), -1 when done
}

function startDivision(p: Pipe, name: string, dividend: string, max: number, d: number): Division {
  const n = countBits(max);
  const qBits = countBits(Math.floor(max / d));
  const rBits = countBits(d - 1);
  p.cur.set(`${name}_r`, { expr: zext(p.ref(dividend), p.bits(dividend), n), bits: n });
  p.cur.delete(dividend);
  return { name, d, n, qBits, rBits, next: qBits - 1 };
}

/** Up to `steps` quotient bits of `div` in the stage being built: the signals it replaces. */
function divisionSteps(p: Pipe, div: Division, steps: number): Record<string, Ref> {
  const out: Record<string, Ref> = {};
  let r = p.ref(`${div.name}_r`);
  for (let i = 0; i < steps && div.next >= 0; i++, div.next--) {
    const b = div.next;
    const c = div.d * 2 ** b;
    const t = p.wire(`${div.name}_t${b}`, div.n + 1, `{1'b0, ${r}} - ${div.n + 1}'d${c}`);
    p.subtractBits += div.n + 1;
    const g = p.wire(`${div.name}_g${b}`, 1, `~${t}[${div.n}]`);
    r = p.wire(`${div.name}_r${b}`, div.n, `${g} ? ${t}[${div.n - 1}:0] : ${r}`);
    out[`${div.name}_g${b}`] = { expr: g, bits: 1 };
  }
  out[`${div.name}_r`] = { expr: r, bits: div.n };
  return out;
}

/** The finished division's quotient and remainder expressions (current references). */
function quotient(p: Pipe, div: Division): Ref {
  const gs = Array.from({ length: div.qBits }, (_, i) => p.ref(`${div.name}_g${div.qBits - 1 - i}`));
  return p.alias(`${div.name}_q`, div.qBits, gs.length === 1 ? gs[0] : `{${gs.join(', ')}}`);
}
const remainder = (p: Pipe, div: Division): Ref => p.alias(`${div.name}_rem`, div.rBits, `${p.ref(`${div.name}_r`)}[${div.rBits - 1}:0]`);
const divDrops = (div: Division) => [`${div.name}_r`, ...Array.from({ length: div.qBits }, (_, b) => `${div.name}_g${b}`)];

/** `expr` (bits wide) times the constant `c`, as a sum of shifted constants, in `out` bits. */
export function constTimes(expr: string, bits: number, c: number, out: number): string {
  const terms: string[] = [];
  for (let b = 0; b < bits; b++) {
    const k = c * 2 ** b;
    if (k >= 2 ** out) continue;
    terms.push(`({${out}{${bits === 1 ? expr : `${expr}[${b}]`}}} & ${out}'d${k})`);
  }
  return terms.length ? terms.join(' + ') : `${out}'d0`;
}

/**
 * Run divisions side by side, a stage per STEPS_PER_STAGE bits, then replace them by their results. `afterRead`:
 * the first stage starts at the event list's block-RAM output (slow clock-to-out), so it takes the bits left
 * over (an odd one, at two a stage): the same number of stages, one carry chain after the read instead of two
 * (two were the critical path of a 64-lane layer at 99.3 MHz).
 */
function divide(p: Pipe, divs: Division[], afterRead = false): void {
  let first = true;
  while (divs.some((d) => d.next >= 0)) {
    const next: Record<string, Ref> = {};
    for (const d of divs) if (d.next >= 0) Object.assign(next, divisionSteps(p, d, first && afterRead ? ((d.qBits - 1) % STEPS_PER_STAGE) + 1 : STEPS_PER_STAGE));
    first = false;
    p.stage(next);
  }
}

export interface Decomposition {
  /** Verilog: wires and registers of every stage, the valid chain, and the always block's body. */
  text: string;
  /** Register stages after the event list read. */
  stages: number;
  /** Flip-flops of the stages (valids included) and subtractor bits of the divisions (resource model). */
  ff: number;
  subtractBits: number;
  /** The last stage's signals, for the sequencer: valid, c·kh·kw, stride quotients and remainders, qy·Wo, value. */
  out: { v: string; ck: Ref; qy: Ref; ry: Ref; qx: Ref; rx: Ref; prow: Ref; val: Ref };
}

/** Widths the sequencer needs: set by the emitter (emit.ts). */
export interface DecompositionWidths {
  iw: number;
  valBits: number;
  ckBits: number;
  prowBits: number;
}

export function decomposition(L: ConvLayer, w: DecompositionWidths): Decomposition {
  const { c: Cin, h: H, w: W } = L.inShape;
  const [kh, kw] = L.kernel;
  const [sh, sw] = L.stride;
  const [ph, pw] = L.padding;
  const KK = kh * kw;
  const inputs = Cin * H * W;
  const p = new Pipe({ idx: { expr: 'ev_q_idx', bits: w.iw }, val: { expr: 'ev_q_val', bits: w.valBits } });

  // c = idx / (H·W), pin = idx mod (H·W)
  const pinBits = countBits(H * W - 1);
  if (Cin > 1) {
    const dc = startDivision(p, 'dc', 'idx', inputs - 1, H * W);
    divide(p, [dc], true);
    const c = quotient(p, dc);
    const pin = p.alias('pin', pinBits, `${p.ref('dc_r')}[${pinBits - 1}:0]`);
    for (const k of divDrops(dc)) p.cur.delete(k);
    p.cur.set('c', c);
    p.cur.set('pin', pin);
  } else {
    p.cur.set('c', { expr: "1'd0", bits: 1 });
    p.cur.set('pin', p.cur.get('idx')!);
    p.cur.delete('idx');
  }
  // y = pin / W, x = pin mod W
  if (H > 1 && W > 1) {
    const dy = startDivision(p, 'dy', 'pin', H * W - 1, W);
    divide(p, [dy], Cin === 1);
    const y = quotient(p, dy);
    const x = remainder(p, dy);
    for (const k of divDrops(dy)) p.cur.delete(k);
    p.cur.set('y', y);
    p.cur.set('x', x);
  } else if (H === 1) {
    p.cur.set('y', { expr: "1'd0", bits: 1 });
    p.cur.set('x', p.cur.get('pin')!);
    p.cur.delete('pin');
  } else {
    p.cur.set('y', p.cur.get('pin')!);
    p.cur.set('x', { expr: "1'd0", bits: 1 });
    p.cur.delete('pin');
  }
  // (y + ph, x + pw) by the strides, side by side; c·kh·kw in the first of these stages
  const yyMax = H - 1 + ph;
  const xxMax = W - 1 + pw;
  const yyBits = countBits(yyMax);
  const xxBits = countBits(xxMax);
  p.cur.set('yy', { expr: `${zext(p.ref('y'), p.bits('y'), yyBits)} + ${yyBits}'d${ph}`, bits: yyBits });
  p.cur.set('xx', { expr: `${zext(p.ref('x'), p.bits('x'), xxBits)} + ${xxBits}'d${pw}`, bits: xxBits });
  p.cur.delete('y');
  p.cur.delete('x');
  const ck = (): Record<string, Ref> => ({ ck: { expr: constTimes(p.ref('c'), p.bits('c'), KK, w.ckBits), bits: w.ckBits } });
  // the sums go through a register first (the strides' subtract chains start from a register)
  p.stage({ ...ck() }, ['c']);
  const divs: Division[] = [];
  const qy = sh > 1 ? startDivision(p, 'qy', 'yy', yyMax, sh) : null;
  const qx = sw > 1 ? startDivision(p, 'qx', 'xx', xxMax, sw) : null;
  if (qy) divs.push(qy);
  if (qx) divs.push(qx);
  divide(p, divs);
  const qyRef = qy ? quotient(p, qy) : p.cur.get('yy')!;
  const ryRef: Ref = qy ? remainder(p, qy) : { expr: "1'd0", bits: 1 };
  const qxRef = qx ? quotient(p, qx) : p.cur.get('xx')!;
  const rxRef: Ref = qx ? remainder(p, qx) : { expr: "1'd0", bits: 1 };
  // qy·Wo, the output row of the first kernel row
  p.stage(
    {
      qy: qyRef,
      ry: ryRef,
      qx: qxRef,
      rx: rxRef,
      prow: { expr: constTimes(qyRef.expr, qyRef.bits, L.convShape.w, w.prowBits), bits: w.prowBits },
    },
    [...(qy ? divDrops(qy) : []), ...(qx ? divDrops(qx) : []), 'yy', 'xx'],
  );
  const n = p.stages;
  const vs = Array.from({ length: n + 1 }, (_, i) => `v${i}`);
  const text = [
    `    reg  ${vs.join(', ')};`,
    ...p.regs,
    ...p.wires,
    '    always @(posedge clk) begin',
    '        if (rst || !in_ev) begin',
    ...vs.map((v) => `            ${v} <= 1'b0;`),
    '        end else if (!hold) begin',
    '            v0 <= e != n_ev;',
    ...vs.slice(1).map((v, i) => `            ${v} <= v${i};`),
    '        end',
    '        if (!hold) begin',
    ...p.assigns,
    '        end',
    '    end',
  ].join('\n');
  const get = (k: string) => p.cur.get(k)!;
  return { text, stages: n, ff: p.regBits + n + 1, subtractBits: p.subtractBits, out: { v: `v${n}`, ck: get('ck'), qy: get('qy'), ry: get('ry'), qx: get('qx'), rx: get('rx'), prow: get('prow'), val: get('val') } };
}

/**
 * Register stages of the decomposition (after the event-list read), as `decomposition` builds them: the
 * channel division, the row division, the stage of c·kh·kw and the padded coordinates, the stride divisions
 * side by side, and qy·Wo. The cycle model counts on it (cost.ts); the emitter checks the two agree.
 */
export function decompositionStages(L: ConvLayer): number {
  const { c: Cin, h: H, w: W } = L.inShape;
  const [sh, sw] = L.stride;
  const stagesOf = (max: number, d: number) => Math.ceil(countBits(Math.floor(max / d)) / STEPS_PER_STAGE);
  const channel = Cin > 1 ? stagesOf(Cin * H * W - 1, H * W) : 0;
  const row = H > 1 && W > 1 ? stagesOf(H * W - 1, W) : 0;
  const stride = Math.max(sh > 1 ? stagesOf(H - 1 + L.padding[0], sh) : 0, sw > 1 ? stagesOf(W - 1 + L.padding[1], sw) : 0);
  return channel + row + 1 + stride + 1;
}
