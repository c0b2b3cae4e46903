/**
 * Bounded model check of the AXI protocol of a generated wrapper (rtl/<name>_axi.v with its core): the
 * property modules in formal/ (AXI4-Lite slave, AXI4-Stream in and out) around the wrapper, every input free,
 * checked with Yosys' own SAT solver (`sat -seq N -prove-asserts -set-assumes`), so nothing beyond the
 * Debian `yosys` package is needed. Cycle 1 is in reset; all registers and memories start at zero.
 * docs/zynq.md §10 says what is proved and to which depth.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { axiModuleName, emitAxiWrapper } from '../emit/axi.js';
import { parseModulePorts } from '../emit/ports.js';
import type { EmittedFile } from '../emit/files.js';
import { emitVerilog } from '../emit/verilog.js';
import type { PlannedModel } from '../ir/types.js';
import { runYosysNative } from '../synth/yosys.js';
import { writeFiles } from '../util/atomic.js';
import { PACKAGE_ROOT } from '../util/paths.js';

const FORMAL_DIR = join(PACKAGE_ROOT, 'formal');
const PROPERTY_FILES = ['axi4lite_slave_props.v', 'axi4stream_props.v', 'bsnn_axi_formal.v'];

/** The asserted checks, by their wire in the flattened formal top (formal/*.v says what each means). */
export const AXI_CHECKS = [
  'out_props.ok_reset',
  'out_props.ok_hold',
  'out_props.ok_start',
  'out_props.ok_packet',
  'lite_props.ok_reset',
  'lite_props.ok_b_request',
  'lite_props.ok_r_request',
  'lite_props.ok_b_hold',
  'lite_props.ok_r_hold',
  'lite_props.ok_answered',
] as const;

export interface AxiFormalOptions {
  /** Clock cycles from reset that the check covers (sat -seq). */
  depth: number;
  /** Tests of the check itself: rewrite the wrapper's Verilog first (e.g. re-inject an old bug). */
  patchWrapper?: (verilog: string) => string;
  /**
   * 'rtl' (default): the wrapper with its real core. 'free': the core replaced by a module with its ports whose
   * outputs the solver picks anew every cycle (done early or late, any class and counts), so the wrapper is
   * checked against every behaviour of any core; cheap enough for the bundled networks, where the real core
   * needs thousands of cycles per inference.
   */
  core?: 'rtl' | 'free';
}

export interface AxiFormalResult {
  /** No assertion fails in any cycle 1..depth, for any inputs the assumptions allow. */
  proved: boolean;
  /** In the counterexample: each failing check with the first cycle it fails in. */
  failures: { check: string; step: number }[];
  seconds: number;
}

/** One step of a Yosys sat trace: `  <step> \<signal> <dec> <hex> <bin>`. */
function traceValues(sat: string): { step: number; signal: string; value: string }[] {
  return [...sat.matchAll(/^\s*(\d+)\s+\\(\S+)\s+(\S+)/gm)].map((m) => ({ step: Number(m[1]), signal: m[2], value: m[3] }));
}

/**
 * <prefix>_top with the real core's ports and free outputs ($anyseq: any value, anew each cycle), except the
 * vote read port: the wrapper streams count_out[count_sel] while a beat waits, so it relies on the votes
 * holding still once the core is done. Here count_out is a fixed function of count_sel (an $anyconst offset);
 * that the real core keeps this promise is what the check with the real core covers.
 */
function freeCore(plan: PlannedModel, core: EmittedFile[]): EmittedFile {
  const top = `${plan.name}_top`;
  const ports = parseModulePorts(core.find((f) => f.path === `rtl/${top}.v`)!.content, top);
  const decl = ports.map((p) => `    ${p.direction === 'in' ? 'input' : 'output'} wire ${p.msb === null ? '' : `[${p.msb}:${p.lsb}] `}${p.name}`);
  const drive = ports
    .filter((p) => p.direction === 'out')
    .map((p) => `    assign ${p.name} = ${p.name === 'count_out' ? '$anyconst + count_sel' : '$anyseq'};`);
  return { path: `rtl/${top}.v`, content: [`module ${top} (`, decl.join(',\n'), ');', ...drive, 'endmodule', ''].join('\n') };
}

async function runSat(plan: PlannedModel, depth: number, reach: boolean, show: readonly string[], patch?: (v: string) => string, core: 'rtl' | 'free' = 'rtl') {
  if (!Number.isInteger(depth) || depth < 2) throw new Error(`formal depth ${depth}: needs an integer of at least 2`);
  const work = mkdtempSync(join(tmpdir(), 'bsnn-formal-'));
  const t0 = performance.now();
  try {
    const wrapper = emitAxiWrapper(plan);
    const rtl = emitVerilog(plan).files;
    const files = [...(core === 'free' ? [freeCore(plan, rtl)] : rtl), { ...wrapper, content: patch ? patch(wrapper.content) : wrapper.content }];
    // flat: $readmemh finds the images by bare name in the working folder
    writeFiles(work, files.map((f) => ({ path: f.path.split('/').pop()!, content: f.content })));
    const sources = files.map((f) => f.path.split('/').pop()!).filter((n) => n.endsWith('.v'));
    const defines = [`-DBSNN_AXI=${axiModuleName(plan.name)}`, `-DBSNN_OUT_BEATS=${plan.outputs + 2}`, ...(reach ? ['-DREACH'] : [])];
    const script = [
      `read_verilog -formal ${defines.join(' ')} ${PROPERTY_FILES.map((f) => join(FORMAL_DIR, f)).join(' ')}`,
      // -formal for $anyseq in the free core; the generated RTL has no formal constructs
      `read_verilog -formal ${sources.join(' ')}`,
      'prep -top bsnn_axi_formal -flatten',
      'memory_map',
      'opt -fast',
      `tee -q -o sat.txt sat -seq ${depth} -prove-asserts -set-assumes -set-init-zero -show ${show.join(',')}`,
    ].join('; ');
    await runYosysNative(['-q', '-p', script], work);
    const sat = readFileSync(join(work, 'sat.txt'), 'utf8');
    const proved = /SAT proof finished - no model found: SUCCESS!/.test(sat);
    if (!proved && !/SAT proof finished - model found: FAIL!/.test(sat)) throw new Error(`yosys sat gave no verdict:\n${sat.slice(-2000)}`);
    return { proved, trace: proved ? [] : traceValues(sat), seconds: (performance.now() - t0) / 1000 };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Prove the AXI4-Lite and AXI4-Stream properties for `depth` cycles, or return the failing checks. */
export async function checkAxiProtocol(plan: PlannedModel, opts: AxiFormalOptions): Promise<AxiFormalResult> {
  const r = await runSat(plan, opts.depth, false, AXI_CHECKS, opts.patchWrapper, opts.core);
  const failures = AXI_CHECKS.flatMap((check) => {
    const step = r.trace.find((t) => t.signal === check && t.value === '0')?.step;
    return step === undefined ? [] : [{ check, step }];
  });
  return { proved: r.proved, failures, seconds: r.seconds };
}

/**
 * The depth reaches a whole result packet: claim "no packet ever completes" and let the solver refute it.
 * Returns the cycle in which its last beat is accepted, or null when no packet completes within `depth`.
 * Also shows the assumptions leave room for real traffic (a vacuous environment would refute nothing).
 */
export async function reachResultPacket(plan: PlannedModel, depth: number, core: 'rtl' | 'free' = 'rtl'): Promise<{ step: number | null; seconds: number }> {
  const r = await runSat(plan, depth, true, ['packet_done'], undefined, core);
  const step = r.trace.find((t) => t.signal === 'packet_done' && t.value === '1')?.step ?? null;
  return { step, seconds: r.seconds };
}
