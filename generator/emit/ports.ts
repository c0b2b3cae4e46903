/**
 * The port list of a generated Verilog module, read back from the emitted text. The Vivado script and the
 * IP-XACT description take widths and directions from here, so they follow any change to the RTL templates.
 * Only the ANSI headers our templates write are understood (`input wire [7:0] name,`); anything else is an
 * internal error, not a guess.
 */

export type PortDirection = 'in' | 'out' | 'inout';

export interface VerilogPort {
  name: string;
  direction: PortDirection;
  /** Bits; 1 for a scalar. */
  width: number;
  /** Declared range, or null for a scalar. */
  msb: number | null;
  lsb: number | null;
}

const stripComments = (s: string) => s.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');

const PORT_RE = /^(input|output|inout)\s+(?:(?:wire|reg|logic)\s+)?(?:signed\s+)?(?:\[\s*(\d+)\s*:\s*(\d+)\s*\]\s*)?([A-Za-z_][A-Za-z0-9_$]*)$/;

export function parseModulePorts(verilog: string, module: string): VerilogPort[] {
  const text = stripComments(verilog);
  const head = new RegExp(`\\bmodule\\s+${module}\\s*(#\\s*\\([\\s\\S]*?\\)\\s*)?\\(`).exec(text);
  if (!head) throw new Error(`port list: module ${module} not found`);
  const start = head.index + head[0].length;
  const end = text.indexOf(');', start);
  if (end < 0) throw new Error(`port list: module ${module} has no closing ");"`);
  const body = text.slice(start, end).trim();
  if (body === '') return [];
  const dirs: Record<string, PortDirection> = { input: 'in', output: 'out', inout: 'inout' };
  return body.split(',').map((raw) => {
    const decl = raw.trim().replace(/\s+/g, ' ');
    const m = PORT_RE.exec(decl);
    if (!m) throw new Error(`port list of ${module}: cannot read "${decl}" (expected an ANSI declaration with a numeric range)`);
    const msb = m[2] === undefined ? null : Number(m[2]);
    const lsb = m[3] === undefined ? null : Number(m[3]);
    return { name: m[4], direction: dirs[m[1]], width: msb === null ? 1 : Math.abs(msb - lsb!) + 1, msb, lsb };
  });
}
