/**
 * The AXI wrapper's ports grouped into the interfaces a block design sees: an AXI4-Lite slave, two
 * AXI4-Stream ports, a clock, a reset and an interrupt. Grouping is by the usual Xilinx name prefixes
 * (s_axi_*, s_axis_*, m_axis_*); a port that fits no interface is kept in `other`, never dropped.
 */
import { axiModuleName, emitAxiWrapper } from './axi.js';
import type { PlannedModel } from '../ir/types.js';
import { parseModulePorts, type VerilogPort } from './ports.js';

export interface BusInterface {
  name: string;
  /** Xilinx interface type: xilinx.com:interface:<kind>:1.0 */
  kind: 'aximm' | 'axis';
  mode: 'slave' | 'master';
  /** Logical signal (AWADDR, TDATA, ...) for each physical port. */
  signals: { logical: string; port: VerilogPort }[];
}

export interface WrapperInterfaces {
  module: string;
  ports: VerilogPort[];
  clock: VerilogPort;
  reset: VerilogPort;
  interrupt: VerilogPort;
  buses: BusInterface[];
  other: VerilogPort[];
}

const BUS_PREFIXES: readonly { prefix: string; name: string; kind: BusInterface['kind']; mode: BusInterface['mode'] }[] = [
  { prefix: 's_axi_', name: 's_axi', kind: 'aximm', mode: 'slave' },
  { prefix: 's_axis_', name: 's_axis', kind: 'axis', mode: 'slave' },
  { prefix: 'm_axis_', name: 'm_axis', kind: 'axis', mode: 'master' },
];

const SIGNAL_PORTS = { clock: 'aclk', reset: 'aresetn', interrupt: 'irq' } as const;

export function groupInterfaces(module: string, ports: VerilogPort[]): WrapperInterfaces {
  const byName = new Map(ports.map((p) => [p.name, p]));
  const single = (name: string) => {
    const p = byName.get(name);
    if (!p) throw new Error(`${module}: no ${name} port (the Vivado and IP-XACT outputs need it)`);
    return p;
  };
  const buses: BusInterface[] = [];
  const taken = new Set<string>(Object.values(SIGNAL_PORTS));
  for (const b of BUS_PREFIXES) {
    const signals = ports.filter((p) => p.name.startsWith(b.prefix)).map((port) => ({ logical: port.name.slice(b.prefix.length).toUpperCase(), port }));
    if (signals.length === 0) continue;
    signals.forEach((s) => taken.add(s.port.name));
    buses.push({ name: b.name, kind: b.kind, mode: b.mode, signals });
  }
  return {
    module,
    ports,
    clock: single(SIGNAL_PORTS.clock),
    reset: single(SIGNAL_PORTS.reset),
    interrupt: single(SIGNAL_PORTS.interrupt),
    buses,
    other: ports.filter((p) => !taken.has(p.name)),
  };
}

/** The interfaces of rtl/<name>_axi.v as emitted for this plan. */
export function wrapperInterfaces(plan: PlannedModel, wrapperVerilog: string = emitAxiWrapper(plan).content): WrapperInterfaces {
  const module = axiModuleName(plan.name);
  return groupInterfaces(module, parseModulePorts(wrapperVerilog, module));
}

/** Width of one signal of one bus interface (e.g. s_axis TDATA), or an internal error when it is missing. */
export function signalWidth(w: WrapperInterfaces, bus: string, logical: string): number {
  const s = w.buses.find((b) => b.name === bus)?.signals.find((x) => x.logical === logical);
  if (!s) throw new Error(`${w.module}: interface ${bus} has no ${logical}`);
  return s.port.width;
}
