/**
 * vivado/build.tcl, run under tclsh with a stand-in for every Vivado command it calls. The stand-ins log each
 * call; `unknown` fails the run on any command that is neither Tcl nor in VIVADO_COMMANDS, so the script can
 * only use commands Vivado has. Checked for every board and a bare --part, with and without --no-bitstream,
 * with and without installed board files: the part and board_part it asks for, every file it names exists in
 * the output, and the block design is wired as documented.
 * (tclsh is the Debian package `tcl`.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOARDS, type Board } from '../generator/board/boards.js';
import { generateDesign, type DesignOptions } from '../generator/emit/design.js';
import { BLOCK_DESIGN, DEFAULT_CLOCK_MHZ } from '../generator/emit/vivado.js';
import { planModel } from '../generator/ir/plan.js';
import type { PlannedModel } from '../generator/ir/types.js';
import { loadModel } from '../generator/model/load.js';
import { writeFiles } from '../generator/util/atomic.js';
import { PACKAGE_ROOT } from '../generator/util/paths.js';

/** Real Vivado Tcl commands (UG835) that build.tcl may call. Anything else it calls fails the test. */
const VIVADO_COMMANDS = [
  'create_project', 'current_project', 'current_fileset', 'set_property', 'get_property', 'get_parts', 'get_board_parts',
  'add_files', 'import_files', 'read_xdc', 'get_files', 'update_compile_order', 'update_ip_catalog',
  'create_bd_design', 'create_bd_cell', 'apply_bd_automation', 'connect_bd_net', 'connect_bd_intf_net',
  'get_bd_cells', 'get_bd_pins', 'get_bd_intf_pins', 'get_bd_ports', 'get_bd_addr_spaces', 'get_bd_addr_segs',
  'assign_bd_address', 'validate_bd_design', 'save_bd_design', 'make_wrapper',
  'launch_runs', 'wait_on_run', 'get_runs', 'open_run', 'report_utilization', 'report_timing_summary', 'report_power',
  'write_bitstream', 'write_hw_platform',
];

const FAKE_WRAPPER = '/vivado-generated/system_wrapper.v';

/** The stand-ins: log every call, answer queries plausibly, fail on anything unknown. */
function harness(buildTcl: string, argv: string[], installedBoardParts: string[], runsDir: string): string {
  const list = (xs: string[]) => `{${xs.map((x) => `{${x}}`).join(' ')}}`;
  return `
set ::installed ${list(installedBoardParts)}
set ::runs_dir {${runsDir}}
proc bsnn_plain {argv} {
    set out {}
    foreach a $argv { if {![string match -* $a]} { lappend out $a } }
    return $out
}
proc bsnn_answer {cmd argv} {
    set plain [bsnn_plain $argv]
    switch -- $cmd {
        create_bd_cell { return [lindex $argv end] }
        get_bd_cells - get_bd_pins - get_bd_intf_pins - get_bd_ports - get_bd_addr_spaces -
        get_files - get_runs - get_parts { return $plain }
        get_board_parts {
            set out {}
            foreach bp $::installed { foreach p $plain { if {[string match $p $bp]} { lappend out $bp } } }
            return $out
        }
        get_bd_addr_segs { return {/ps7/Data/SEG_axi_dma_Reg /ps7/Data/SEG_bsnn_core_reg0} }
        current_project { return project_1 }
        current_fileset { return sources_1 }
        make_wrapper { return ${FAKE_WRAPPER} }
        get_property {
            set prop [lindex $plain 0]
            set obj [lindex $plain 1]
            switch -- $prop {
                STATUS { if {$obj eq "impl_1"} { return "write_bitstream Complete!" } else { return "synth_design Complete!" } }
                DIRECTORY { return [file join $::runs_dir $obj] }
                STATS.WNS { if {[info exists ::env(FAKE_WNS)]} { return $::env(FAKE_WNS) } else { return 0.250 } }
                OFFSET { return 0x43C00000 }
                RANGE { return 64K }
                CONFIG.PCW_ACT_FPGA0_PERIPHERAL_FREQMHZ { if {[info exists ::env(FAKE_FCLK)]} { return $::env(FAKE_FCLK) } else { return 100.000000 } }
            }
            return ""
        }
    }
    return ""
}
foreach cmd {${VIVADO_COMMANDS.join(' ')}} {
    proc $cmd {args} [format {
        set line [list CALL %s]
        foreach a $args { lappend line [string map {"\\n" "\\\\n" "\\t" " "} $a] }
        puts [join $line "\\t"]
        return [bsnn_answer %s $args]
    } $cmd $cmd]
}
proc unknown {args} {
    puts "UNKNOWN\\t[lindex $args 0]"
    exit 3
}
set argv {${argv.join(' ')}}
set argc [llength $argv]
source {${buildTcl}}
puts "END"
`;
}

interface Call {
  cmd: string;
  args: string[];
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: Call[];
}

function runTcl(out: string, argv: string[], installed: string[], env: Record<string, string> = {}): Run {
  const runsDir = join(out, '..', 'vivado-runs');
  const script = join(out, '..', `harness-${Math.random().toString(36).slice(2)}.tcl`);
  writeFileSync(script, harness(join(out, 'vivado', 'build.tcl'), argv, installed, runsDir));
  const env0 = { ...process.env };
  delete env0.BSNN_NO_BITSTREAM;
  const p = spawnSync('tclsh', [script], { encoding: 'utf8', env: { ...env0, ...env }, timeout: 300_000 }); // a hang ceiling; both cores may be busy
  expect(p.error, 'tclsh must be installed (Debian package tcl)').toBeUndefined();
  const calls = p.stdout
    .split('\n')
    .filter((l) => l.startsWith('CALL\t'))
    .map((l) => {
      const [, cmd, ...args] = l.split('\t');
      return { cmd, args };
    });
  return { status: p.status, stdout: p.stdout, stderr: p.stderr, calls };
}

/** Flags of the Vivado commands build.tcl uses that take a value. */
const VALUE_FLAGS = new Set(['-fileset', '-part', '-vlnv', '-type', '-reference', '-rule', '-config', '-file', '-files', '-name', '-jobs', '-to_step', '-of_objects', '-dict']);
/** The operands of a call: its arguments without flags and flag values. */
function plain(args: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (VALUE_FLAGS.has(args[i])) i++;
    else if (!args[i].startsWith('-')) out.push(args[i]);
  }
  return out;
}
const callsOf = (r: Run, cmd: string) => r.calls.filter((c) => c.cmd === cmd);
/** Value after a flag in one call's arguments. */
const flag = (c: Call, name: string) => c.args[c.args.indexOf(name) + 1];

let TMP: string;
let plan: PlannedModel;
const outputs = new Map<string, string>();

/** gen-rtl's files for these options, written once into a fresh folder; its path. */
function output(key: string, opts: DesignOptions): string {
  let dir = outputs.get(key);
  if (dir) return dir;
  dir = join(mkdtempSync(join(TMP, `${key}-`)), 'out');
  writeFiles(dir, generateDesign(plan, opts).files);
  // What Vivado itself would have made by the end of a full run.
  const runs = join(dir, '..', 'vivado-runs', 'impl_1');
  mkdirSync(runs, { recursive: true });
  writeFileSync(join(runs, `${BLOCK_DESIGN.bd}_wrapper.bit`), 'fake bitstream');
  const hwh = join(dir, 'vivado', 'project', `${plan.name}_zynq.gen`, 'sources_1', 'bd', BLOCK_DESIGN.bd, 'hw_handoff');
  mkdirSync(hwh, { recursive: true });
  writeFileSync(join(hwh, `${BLOCK_DESIGN.bd}.hwh`), 'fake handoff');
  outputs.set(key, dir);
  return dir;
}

beforeAll(() => {
  TMP = mkdtempSync(join(tmpdir(), 'bsnn-vivado-tcl-'));
  plan = planModel(loadModel(join(PACKAGE_ROOT, 'examples', 'yinyang.json')));
});
afterAll(() => {
  if (TMP) rmSync(TMP, { recursive: true, force: true });
});

/** Checks every run shares: only Vivado commands, files exist, part, wiring, reports. */
function expectSoundRun(r: Run, out: string, part: string, bitstream: boolean): void {
  const unknown = r.stdout.split('\n').filter((l) => l.startsWith('UNKNOWN'));
  expect(unknown, 'build.tcl called a command that is neither Tcl nor in VIVADO_COMMANDS').toEqual([]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('END');
  for (const c of r.calls) expect(VIVADO_COMMANDS).toContain(c.cmd);

  // The part asked for, and a check that Vivado has it.
  const cp = callsOf(r, 'create_project');
  expect(cp).toHaveLength(1);
  expect(flag(cp[0], '-part')).toBe(part);
  expect(plain(callsOf(r, 'get_parts')[0].args)).toEqual([part]);

  // Every file build.tcl names exists in the output (Vivado's own products aside).
  const named = [
    ...callsOf(r, 'add_files').flatMap((c) => plain(c.args).flatMap((a) => a.split(' '))),
    ...callsOf(r, 'read_xdc').flatMap((c) => plain(c.args)),
    ...callsOf(r, 'import_files').flatMap((c) => plain(c.args)),
  ].filter((f) => f !== FAKE_WRAPPER);
  expect(named.length).toBeGreaterThan(0);
  for (const f of named) {
    expect(isAbsolute(f), f).toBe(true);
    expect(f.startsWith(out + '/'), `${f} is outside the output`).toBe(true);
    expect(existsSync(f), `${f} does not exist`).toBe(true);
  }
  // All Verilog and memory images of the output are in the project (or, with --ip-repo, in the IP).
  const mems = readFileSync(join(out, 'manifest.json'), 'utf8').match(/mem\/[^"]+\.mem/g)!;
  for (const m of mems) expect(named).toContain(join(out, m));

  // The block design: PS7, DMA, interconnects, reset, interrupt concat and the core.
  const cells = callsOf(r, 'create_bd_cell').map((c) => ({ vlnv: c.args.includes('-vlnv') ? flag(c, '-vlnv') : `module:${flag(c, '-reference')}`, name: c.args[c.args.length - 1] }));
  const vlnvOf = (name: string) => cells.find((c) => c.name === name)?.vlnv ?? '';
  expect(vlnvOf('ps7')).toMatch(/^xilinx\.com:ip:processing_system7/);
  expect(vlnvOf(BLOCK_DESIGN.dma)).toMatch(/^xilinx\.com:ip:axi_dma/);
  expect(vlnvOf('rst_fclk0')).toMatch(/^xilinx\.com:ip:proc_sys_reset/);
  expect(vlnvOf('irq_concat')).toMatch(/^xilinx\.com:ip:xlconcat/);
  expect(cells.filter((c) => /axi_interconnect|smartconnect/.test(c.vlnv))).toHaveLength(2);
  expect(vlnvOf(BLOCK_DESIGN.core)).not.toBe('');

  const intf = callsOf(r, 'connect_bd_intf_net').map((c) => plain(c.args).join(' -> '));
  const core = BLOCK_DESIGN.core;
  const dma = BLOCK_DESIGN.dma;
  expect(intf).toContain(`${dma}/M_AXIS_MM2S -> ${core}/s_axis`);
  expect(intf).toContain(`${core}/m_axis -> ${dma}/S_AXIS_S2MM`);
  expect(intf).toContain('axi_hp0/M00_AXI -> ps7/S_AXI_HP0');
  expect(intf.some((n) => n.startsWith('ps7/M_AXI_GP0 -> '))).toBe(true);
  expect(intf.some((n) => n.endsWith(`${core}/s_axi`))).toBe(true);
  const nets = callsOf(r, 'connect_bd_net').map((c) => plain(c.args));
  const clockNet = nets.find((n) => n[0] === 'ps7/FCLK_CLK0')!;
  expect(clockNet).toContain(`${core}/aclk`);
  expect(clockNet).toContain(`${dma}/s_axi_lite_aclk`);
  expect(nets.find((n) => n.includes(`${core}/irq`))).toContain('irq_concat/In2');
  expect(nets.find((n) => n.includes('irq_concat/dout'))).toContain('ps7/IRQ_F2P');
  expect(nets.find((n) => n[0] === 'rst_fclk0/peripheral_aresetn')).toContain(`${core}/aresetn`);

  // The DMA's streams are as wide as the core's (8-bit input beats, 32-bit results).
  const dmaProps = callsOf(r, 'set_property').find((c) => c.args[0] === '-dict' && c.args[c.args.length - 1] === dma)!;
  expect(dmaProps.args[1]).toContain('CONFIG.c_m_axis_mm2s_tdata_width 8');
  expect(dmaProps.args[1]).toContain('CONFIG.c_s_axis_s2mm_tdata_width 32');
  expect(dmaProps.args[1]).toContain('CONFIG.c_include_sg 0');
  // FCLK_CLK0 at the design clock; GP0, HP0 and the fabric interrupt on.
  const ps7Props = callsOf(r, 'set_property').filter((c) => c.args[0] === '-dict' && c.args[c.args.length - 1] === 'ps7').map((c) => c.args[1]);
  const ours = ps7Props[ps7Props.length - 1];
  for (const s of [`CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ ${DEFAULT_CLOCK_MHZ}`, 'CONFIG.PCW_USE_M_AXI_GP0 1', 'CONFIG.PCW_USE_S_AXI_HP0 1', 'CONFIG.PCW_IRQ_F2P_INTR 1']) {
    expect(ours).toContain(s);
  }

  for (const cmd of ['assign_bd_address', 'validate_bd_design', 'save_bd_design', 'make_wrapper']) expect(callsOf(r, cmd), cmd).toHaveLength(1);
  const order = r.calls.map((c) => c.cmd);
  expect(order.indexOf('validate_bd_design')).toBeLessThan(order.indexOf('make_wrapper'));
  expect(order.indexOf('make_wrapper')).toBeLessThan(order.indexOf('launch_runs'));

  // Runs and reports: synthesis always, implementation and bitstream only when asked.
  const runs = callsOf(r, 'launch_runs').map((c) => c.args.join(' '));
  expect(runs[0]).toMatch(/^synth_1\b/);
  expect(runs.some((x) => /^impl_1 .*-to_step write_bitstream/.test(x))).toBe(bitstream);
  const reports = ['report_utilization', 'report_timing_summary', 'report_power'].flatMap((cmd) => callsOf(r, cmd).map((c) => flag(c, '-file')));
  expect(reports).toHaveLength(bitstream ? 6 : 3);
  for (const f of reports) expect(dirname(f)).toBe(join(out, 'vivado', 'reports'));
  expect(r.stdout).toContain(`bsnn: reports in ${join(out, 'vivado', 'reports')}`);
  expect(existsSync(join(out, 'vivado', 'reports', 'addresses.txt'))).toBe(true);
  expect(existsSync(join(out, 'vivado', `${plan.name}.bit`))).toBe(bitstream);
  if (bitstream) {
    expect(readFileSync(join(out, 'vivado', `${plan.name}.hwh`), 'utf8')).toBe('fake handoff');
    expect(callsOf(r, 'write_hw_platform')).toHaveLength(1);
  }
}

const boardPartSet = (r: Run) => callsOf(r, 'set_property').filter((c) => c.args[0] === 'board_part').map((c) => c.args[1]);
const presetApplied = (r: Run) => flag(callsOf(r, 'apply_bd_automation')[0], '-config').includes('apply_board_preset 1');

describe('build.tcl under tclsh, every board', () => {
  for (const board of BOARDS) {
    for (const bitstream of [true, false]) {
      it(`${board.name}, board files installed, ${bitstream ? 'full run' : '--no-bitstream'}`, () => {
        const out = output(board.name, { board: board.name });
        rmSync(join(out, 'vivado', `${plan.name}.bit`), { force: true });
        const r = runTcl(out, bitstream ? [] : ['--no-bitstream'], [board.boardParts[board.boardParts.length - 1], 'xilinx.com:zc702:part0:1.4']);
        expectSoundRun(r, out, board.part, bitstream);
        // The board asked for: its board files, its preset, its XDC.
        expect(boardPartSet(r)).toEqual([board.boardParts[board.boardParts.length - 1]]);
        expect(presetApplied(r)).toBe(true);
        const xdc = callsOf(r, 'add_files').filter((c) => c.args.includes('constrs_1')).flatMap((c) => plain(c.args));
        expect(xdc).toEqual([join(out, 'constraints', `${board.name}.xdc`)]);
      });
    }

    it(`${board.name}, no board files: PS7 configured from the script`, () => {
      const out = output(board.name, { board: board.name });
      const r = runTcl(out, ['--no-bitstream'], ['xilinx.com:zc702:part0:1.4']);
      expectSoundRun(r, out, board.part, false);
      expect(boardPartSet(r)).toEqual([]);
      expect(presetApplied(r)).toBe(false);
      expect(r.stdout).toContain(`no board files for ${board.name}`);
      const fallback = callsOf(r, 'set_property').filter((c) => c.args[0] === '-dict' && c.args[c.args.length - 1] === 'ps7')[0].args[1];
      for (const [k, v] of board.ps7Fallback) expect(fallback).toContain(`CONFIG.${k} ${v.includes(' ') ? `{${v}}` : v}`);
    });

    it(`${board.name}, another version of its board files: found by pattern`, () => {
      const out = output(board.name, { board: board.name });
      const other = board.boardParts[0].replace(/:[^:]+$/, ':9.9');
      const r = runTcl(out, ['--no-bitstream'], [other]);
      expectSoundRun(r, out, board.part, false);
      expect(boardPartSet(r)).toEqual([other]);
    });
  }

  it('zedboard: the PS7 fallback is the IP\'s own ZedBoard preset', () => {
    const zed = BOARDS.find((b) => b.name === 'zedboard') as Board;
    expect(zed.ps7Fallback).toEqual([['preset', 'ZedBoard']]);
  });
});

describe('build.tcl under tclsh, bare --part', () => {
  for (const bitstream of [true, false]) {
    it(`xc7z030sbg485-1 ${bitstream ? 'full run' : '--no-bitstream'}: no board preset, no XDC`, () => {
      const out = output('part', { part: 'xc7z030sbg485-1' });
      rmSync(join(out, 'vivado', `${plan.name}.bit`), { force: true });
      const r = runTcl(out, bitstream ? [] : ['--no-bitstream'], ['tul.com.tw:pynq-z2:part0:1.0']);
      expectSoundRun(r, out, 'xc7z030sbg485-1', bitstream);
      expect(boardPartSet(r)).toEqual([]);
      expect(presetApplied(r)).toBe(false);
      expect(callsOf(r, 'add_files').filter((c) => c.args.includes('constrs_1'))).toEqual([]);
      expect(readFileSync(join(out, 'vivado', 'build.tcl'), 'utf8')).toMatch(/--part alone: there is no board preset and no board XDC/);
    });
  }
});

describe('build.tcl options', () => {
  it('BSNN_NO_BITSTREAM=1 stops after synthesis like --no-bitstream', () => {
    const out = output('pynq-z2', { board: 'pynq-z2' });
    rmSync(join(out, 'vivado', `${plan.name}.bit`), { force: true });
    const r = runTcl(out, [], ['tul.com.tw:pynq-z2:part0:1.0'], { BSNN_NO_BITSTREAM: '1' });
    expectSoundRun(r, out, 'xc7z020clg400-1', false);
  });

  it('--ip-repo takes the core from ip/ (component.xml) with the VLNV it declares', () => {
    const out = output('pynq-z2', { board: 'pynq-z2' });
    const r = runTcl(out, ['--ip-repo', '--no-bitstream'], ['tul.com.tw:pynq-z2:part0:1.0']);
    expectSoundRun(r, out, 'xc7z020clg400-1', false);
    const repo = callsOf(r, 'set_property').find((c) => c.args[0] === 'ip_repo_paths')!;
    expect(repo.args[1]).toBe(join(out, 'ip'));
    expect(existsSync(join(repo.args[1], 'component.xml'))).toBe(true);
    const xml = readFileSync(join(out, 'ip', 'component.xml'), 'utf8');
    const vlnv = ['vendor', 'library', 'name', 'version'].map((t) => new RegExp(`^  <spirit:${t}>([^<]+)<`, 'm').exec(xml)![1]).join(':');
    const coreCell = callsOf(r, 'create_bd_cell').find((c) => c.args[c.args.length - 1] === BLOCK_DESIGN.core)!;
    expect(flag(coreCell, '-vlnv')).toBe(vlnv);
    // The RTL comes with the IP, not as project sources.
    const added = callsOf(r, 'add_files').flatMap((c) => plain(c.args).flatMap((a) => a.split(' ')));
    expect(added.some((f) => f.endsWith('.v') && f !== FAKE_WRAPPER)).toBe(false);
  });

  it('an unknown option stops the script with its name', () => {
    const out = output('pynq-z2', { board: 'pynq-z2' });
    const r = runTcl(out, ['--bitstream-please'], []);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/unknown option "--bitstream-please"/);
    expect(callsOf(r, 'create_project')).toEqual([]);
  });

  it('a design that misses its clock stops before the bitstream is shipped, unless --allow-timing-violation', () => {
    const out = output('pynq-z2', { board: 'pynq-z2' });
    rmSync(join(out, 'vivado', `${plan.name}.bit`), { force: true });
    const failed = runTcl(out, [], ['tul.com.tw:pynq-z2:part0:1.0'], { FAKE_WNS: '-0.412' });
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/timing not met at 100 MHz \(WNS -0\.412 ns\).*--allow-timing-violation/);
    expect(existsSync(join(out, 'vivado', `${plan.name}.bit`))).toBe(false);
    const kept = runTcl(out, ['--allow-timing-violation'], ['tul.com.tw:pynq-z2:part0:1.0'], { FAKE_WNS: '-0.412' });
    expect(kept.status, kept.stderr).toBe(0);
    expect(kept.stdout).toMatch(/warning: timing not met .* kept because of --allow-timing-violation/);
    expect(existsSync(join(out, 'vivado', `${plan.name}.bit`))).toBe(true);
  });

  it('the clock asked for reaches FCLK_CLK0 as an FCLK the PS7 makes, from the IO PLL', () => {
    // 142 MHz is not 1000 MHz ÷ an integer product: the rule builds 125 MHz (÷ 8), the fastest at or below.
    const out = output('clock', { board: 'pynq-z2', clockMHz: 142 });
    const r = runTcl(out, ['--no-bitstream'], []);
    const ps7 = callsOf(r, 'set_property').filter((c) => c.args[0] === '-dict' && c.args[c.args.length - 1] === 'ps7');
    expect(ps7[ps7.length - 1].args[1]).toContain('CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 125');
    expect(ps7[ps7.length - 1].args[1]).toContain('CONFIG.PCW_FCLK0_PERIPHERAL_CLKSRC {IO PLL}');
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.clockMHz).toBe(125);
    expect(manifest.clock).toEqual({ source: '--clock-mhz 142', ioPllMHz: 1000, divisor: 8 });
  });

  it('stops when the PS7 makes a faster FCLK_CLK0 than planned', () => {
    const out = output('fclk', { board: 'pynq-z2' });
    const ok = runTcl(out, ['--no-bitstream'], [], { FAKE_FCLK: '100.000000' });
    expect(ok.status, ok.stderr).toBe(0);
    const slower = runTcl(out, ['--no-bitstream'], [], { FAKE_FCLK: '90.909088' });
    expect(slower.status, slower.stderr).toBe(0);
    const faster = runTcl(out, ['--no-bitstream'], [], { FAKE_FCLK: '111.111115' });
    expect(faster.status).not.toBe(0);
    expect(faster.stderr).toMatch(/PS7 makes FCLK_CLK0 111\.111115 MHz, faster than the 100 MHz bsnn planned/);
  });
});
