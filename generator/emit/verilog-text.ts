/** Small pieces of Verilog text every emitter shares: literals, extensions, seed vectors, the LFSR leap. */
import { leapMasks, LFSR_WIDTH } from '../rng/lfsr.js';

export const hex32 = (x: number) => (x >>> 0).toString(16).padStart(8, '0');
export const msb = (bits: number) => bits - 1;

/** Seeds as one Verilog vector, lane 0 in the low 32 bits. */
export function seedVector(seeds: Uint32Array): string {
  return '{' + Array.from(seeds).reverse().map((s) => `32'h${hex32(s)}`).join(', ') + '}';
}

/** Zero-extend `expr` of `from` bits to `to` bits. */
export function zext(expr: string, from: number, to: number): string {
  return to > from ? `{${to - from}'d0, ${expr}}` : expr;
}

/** Sign-extend `expr` (a plain identifier) of `from` bits to `to` bits. */
export function sext(expr: string, from: number, to: number): string {
  return to > from ? `{{${to - from}{${expr}[${from - 1}]}}, ${expr}}` : expr;
}

/** A two's complement literal of `width` bits. */
export function signedLiteral(v: number, width: number): string {
  const mask = 2 ** width - 1;
  const pattern = v < 0 ? 2 ** width + v : v;
  return `${width}'sh${(pattern & mask).toString(16)}`;
}

export const lfsrModuleName = (prefix: string, k: number, pair = false) => `${prefix}_lfsr_k${k}${pair ? 'x2' : ''}`;

/** XOR equations of the first `count` new bits after a leap of `steps` (bit p: the old bits whose XOR it is). */
function leapEquations(steps: number, count: number, state = 's'): string[] {
  return leapMasks(steps)
    .slice(0, count)
    .map((mask) => {
      const terms: string[] = [];
      for (let b = LFSR_WIDTH - 1; b >= 0; b--) if ((mask >>> b) & 1) terms.push(`${state}[${b}]`);
      return terms.join(' ^ ');
    });
}

/** The LFSR module's context: k steps per draw; `pair` adds a second draw per cycle (a 2k-step leap). */
export function lfsrContext(prefix: string, k: number, pair = false) {
  return {
    module: lfsrModuleName(prefix, k, pair),
    k,
    k2: 2 * k,
    plural: k > 1,
    kMsb: k - 1,
    keepMsb: LFSR_WIDTH - 1 - k,
    keepMsb2: LFSR_WIDTH - 1 - 2 * k,
    equations: leapEquations(k, k),
    pair,
    // the second and third k-bit blocks: the newest k bits of a 2k- and a 3k-step leap
    equations1: pair ? leapEquations(2 * k, k) : [],
    equations2: pair ? leapEquations(3 * k, k) : [],
  };
}

/**
 * The shared runtime-seed LFSR of a group of streams that advance together (docs/semantics.md §1.2): it starts
 * at seed_rt and leaps k steps on `adv`, as the group's constant-seed LFSRs do. Its draw `<name>` is XORed into
 * each stream's own draw, which by linearity gives the draws from seed(id) ^ seed_rt.
 */
export function runtimeSeedLfsr(name: string, k: number, adv: string, what: string, pair?: { adv2: string; half: string }): string {
  const state = `${name}_s`;
  const assign = (out: string, eqs: string[]) => eqs.map((e, b) => `    assign ${out}[${b}] = ${e.replace(/\bs\[/g, `${state}[`)};`);
  if (!pair) {
    return [
      `    reg  [31:0] ${state} = 32'd0;   // the runtime-seed stream of ${what}`,
      `    wire [${k - 1}:0] ${name};`,
      ...assign(name, leapEquations(k, k)),
      '    always @(posedge clk) begin',
      `        if (rst) ${state} <= 32'd0;`,
      `        else if (seed_load) ${state} <= seed_rt;`,
      `        else if (${adv}) ${state} <= {${state}[${LFSR_WIDTH - 1 - k}:0], ${name}};`,
      '    end',
    ].join('\n');
  }
  // Two draws per cycle, as the pair LFSR module does (lfsr_leap.v.hbs): <name> and <name>1, the state moving
  // 2k steps at a time, `half` saying the stream is one draw past it.
  const b = [0, 1, 2].map((i) => `${name}_b${i}`);
  return [
    `    reg  [31:0] ${state} = 32'd0;   // the runtime-seed stream of ${what}`,
    `    wire [${k - 1}:0] ${b.join(', ')};`,
    ...[1, 2, 3].flatMap((m, i) => assign(b[i], leapEquations(m * k, k))),
    `    wire [${k - 1}:0] ${name} = ${pair.half} ? ${b[1]} : ${b[0]};`,
    `    wire [${k - 1}:0] ${name}1 = ${pair.half} ? ${b[2]} : ${b[1]};`,
    '    always @(posedge clk) begin',
    `        if (rst) ${state} <= 32'd0;`,
    `        else if (seed_load) ${state} <= seed_rt;`,
    `        else if (${adv} && (${pair.adv2} || ${pair.half})) ${state} <= {${state}[${LFSR_WIDTH - 1 - 2 * k}:0], ${b[0]}, ${b[1]}};`,
    '    end',
  ].join('\n');
}

/** {k{~lock}}: the shared draw is left out where the lane's seed(id) equals seed_rt. */
export const lockMask = (k: number, lock: string) => `{${k}{~${lock}}}`;
