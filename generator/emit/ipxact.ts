/**
 * ip/component.xml (templates/ip/component.xml.hbs): the AXI wrapper as an IP-XACT 1685-2009 component in the
 * form Vivado's IP packager writes (spirit: namespace, xilinx: extensions), so `ip/` can be added to a
 * project's IP repositories and the core dropped into any block design with its interfaces declared.
 * Ports, widths and interfaces come from the emitted wrapper; the register map from AXI_REGISTERS.
 */
import type { PlannedModel } from '../ir/types.js';
import { TEMPLATES_DIR } from '../util/paths.js';
import { join } from 'node:path';
import { AXI_CONTROL, AXI_REGISTERS, AXI_STATUS, axiModuleName, type AxiAccess } from './axi.js';
import type { WrapperInterfaces } from './bus.js';
import { render } from './templates.js';
import type { EmittedFile } from './files.js';

export const IPXACT_PATH = 'ip/component.xml';
export const IP_VENDOR = 'bsnn';
export const IP_LIBRARY = 'user';
export const IP_VERSION = '1.0';

export const ipVlnv = (plan: PlannedModel) => `${IP_VENDOR}:${IP_LIBRARY}:${axiModuleName(plan.name)}:${IP_VERSION}`;

/** Smallest window a Zynq GP0 address segment takes; the register bank aliases within it. */
const MIN_RANGE = 4096;

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const ACCESS: Record<AxiAccess, string> = { RW: 'read-write', RO: 'read-only', RW1C: 'read-write' };

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

interface Field {
  name: string;
  bitOffset: number;
  bitWidth: number;
  access: string;
  modifiedWriteValue: string;
}

/** Bit fields of CONTROL and STATUS from their masks; one 32-bit field for every other register. */
function registerFields(name: string, access: AxiAccess): Field[] {
  const bits = (masks: Record<string, number>, fieldAccess: (k: string) => [string, string]) =>
    Object.entries(masks)
      .sort((a, b) => a[1] - b[1])
      .map(([k, mask]) => {
        const [acc, mwv] = fieldAccess(k);
        return { name: snake(k), bitOffset: Math.log2(mask), bitWidth: 1, access: acc, modifiedWriteValue: mwv };
      });
  if (name === 'CONTROL') return bits(AXI_CONTROL, () => ['read-write', '']);
  if (name === 'STATUS') {
    // done and error are sticky, write 1 to clear; the others only report.
    const clearable = new Set(['done', 'error']);
    return bits(AXI_STATUS, (k) => (clearable.has(k) && access === 'RW1C' ? ['read-write', 'oneToClear'] : ['read-only', '']));
  }
  return [{ name: 'value', bitOffset: 0, bitWidth: 32, access: ACCESS[access], modifiedWriteValue: '' }];
}

export interface IpxactInputs {
  plan: PlannedModel;
  wrapper: WrapperInterfaces;
  /** Output-relative paths (rtl/..., mem/...); the component names them relative to ip/. */
  rtlFiles: string[];
  memFiles: string[];
  generator: string;
}

/** A bus-interface parameter as Vivado's packager writes it (id BUSIFPARAM_VALUE.<INTERFACE>.<NAME>). */
const busParam = (busif: string, name: string, value: string) => ({ name, value, id: `BUSIFPARAM_VALUE.${busif.toUpperCase()}.${name}` });

/**
 * Parameters of an AXI interface. An aximm interface without burst signals is AXI4-Lite: without PROTOCOL
 * Vivado would take it for full AXI4 (and an interconnect would send it bursts).
 */
function axiBusParams(b: WrapperInterfaces['buses'][number]) {
  const has = (logical: string) => b.signals.some((s) => s.logical === logical);
  if (b.kind === 'aximm') return [busParam(b.name, 'PROTOCOL', has('AWLEN') || has('ARLEN') ? 'AXI4' : 'AXI4LITE')];
  const bytes = b.signals.find((s) => s.logical === 'TDATA')!.port.width / 8;
  return [
    busParam(b.name, 'TDATA_NUM_BYTES', String(bytes)),
    busParam(b.name, 'HAS_TLAST', has('TLAST') ? '1' : '0'),
    busParam(b.name, 'HAS_TKEEP', has('TKEEP') ? '1' : '0'),
  ];
}

/** Which Vivado wrote the packaging this component imitates (xilinx:packagingInfo). */
const IP_XILINX_VERSION = '2022.2';

export function componentContext(i: IpxactInputs) {
  const { plan, wrapper } = i;
  const module = wrapper.module;
  const liteAddr = wrapper.buses.find((b) => b.name === 's_axi')?.signals.find((s) => s.logical === 'AWADDR');
  const busNames = wrapper.buses.map((b) => b.name);
  const busInterfaces = [
    ...wrapper.buses.map((b) => ({
      name: b.name,
      library: 'interface',
      type: b.kind,
      mode: b.mode,
      memoryMapRef: b.kind === 'aximm' && b.mode === 'slave' ? b.name : '',
      portMaps: b.signals.map((s) => ({ logical: s.logical, physical: s.port.name })),
      parameters: axiBusParams(b),
    })),
    {
      name: wrapper.clock.name,
      library: 'signal',
      type: 'clock',
      mode: 'slave',
      memoryMapRef: '',
      portMaps: [{ logical: 'CLK', physical: wrapper.clock.name }],
      parameters: [busParam(wrapper.clock.name, 'ASSOCIATED_BUSIF', busNames.join(':')), busParam(wrapper.clock.name, 'ASSOCIATED_RESET', wrapper.reset.name)],
    },
    {
      name: wrapper.reset.name,
      library: 'signal',
      type: 'reset',
      mode: 'slave',
      memoryMapRef: '',
      portMaps: [{ logical: 'RST', physical: wrapper.reset.name }],
      parameters: [busParam(wrapper.reset.name, 'POLARITY', 'ACTIVE_LOW')],
    },
    {
      name: wrapper.interrupt.name,
      library: 'signal',
      type: 'interrupt',
      mode: 'master',
      memoryMapRef: '',
      portMaps: [{ logical: 'INTERRUPT', physical: wrapper.interrupt.name }],
      parameters: [busParam(wrapper.interrupt.name, 'SENSITIVITY', 'LEVEL_HIGH')],
    },
  ];
  const views = [
    { name: 'xilinx_anylanguagesynthesis', displayName: 'Synthesis', envIdentifier: ':vivado.xilinx.com:synthesis', fileSet: 'xilinx_anylanguagesynthesis_view_fileset' },
    {
      name: 'xilinx_anylanguagebehavioralsimulation',
      displayName: 'Simulation',
      envIdentifier: ':vivado.xilinx.com:simulation',
      fileSet: 'xilinx_anylanguagebehavioralsimulation_view_fileset',
    },
  ];
  return {
    generator: xml(i.generator),
    name: xml(plan.name),
    modelHash: plan.modelHash,
    vendor: IP_VENDOR,
    library: IP_LIBRARY,
    module,
    version: IP_VERSION,
    xilinxVersion: IP_XILINX_VERSION,
    versionUnderscore: IP_VERSION.replace(/\./g, '_'),
    displayName: xml(`bsnn ${plan.name} (Bayesian SNN, T = ${plan.timesteps}, S = ${plan.samples})`),
    description: xml(
      `Binary-weight Bayesian spiking network ${plan.name} (${[plan.input.size, ...plan.layers.map((L) => L.size)].join('-')}) behind AXI: ` +
        `s_axis input intensities, m_axis class/votes/cycles, s_axi registers, irq. Model hash ${plan.modelHash}.`,
    ),
    busInterfaces: busInterfaces.map((b) => ({
      ...b,
      portMaps: b.portMaps.map((p) => ({ logical: xml(p.logical), physical: xml(p.physical) })),
      parameters: b.parameters.map((p) => ({ ...p, value: xml(p.value) })),
    })),
    memoryMap: {
      name: 's_axi',
      block: 'reg0',
      range: Math.max(MIN_RANGE, 2 ** (liteAddr?.port.width ?? 0)),
      width: 32,
      registers: AXI_REGISTERS.map((r) => ({
        name: r.name,
        description: xml(r.description),
        offset: `0x${r.offset.toString(16).toUpperCase().padStart(2, '0')}`,
        access: ACCESS[r.access],
        fields: registerFields(r.name, r.access),
      })),
    },
    views,
    ports: wrapper.ports.map((p) => ({
      name: p.name,
      direction: p.direction,
      vector: p.msb === null ? null : { left: p.msb, right: p.lsb },
    })),
    files: [
      ...i.rtlFiles.map((f) => ({ name: xml(`../${f}`), fileType: 'verilogSource', userFileType: '' })),
      // Vivado's file type for $readmemh images (its "Memory Initialization Files").
      ...i.memFiles.map((f) => ({ name: xml(`../${f}`), fileType: '', userFileType: 'mem' })),
    ],
  };
}

export function emitComponentXml(i: IpxactInputs): EmittedFile {
  return { path: IPXACT_PATH, content: render(join(TEMPLATES_DIR, 'ip'), 'component.xml.hbs', componentContext(i)) };
}
