/**
 * Markdown summary of an estimate (and optionally of a knob sweep), plus the number formatting and the
 * list of headline figures shared with the HTML report, so both show the same strings.
 *
 * Formatting is locale-free (no toLocaleString): the same report gives the same text on every machine.
 * Utilisation figures in EstimateReport.utilisation are read as fractions of the device (0..1).
 */

import type { EstimateReport } from '../estimate/types.js';
import type { SweepPoint } from './plots.js';

// ---------------------------------------------------------------------------------------------------
// Number formatting
// ---------------------------------------------------------------------------------------------------

function group(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer with thousands separators ("12,345"); non-finite values as "n/a". */
export function formatInt(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  const r = Math.round(x);
  return (r < 0 ? '-' : '') + group(String(Math.abs(r)));
}

/**
 * A measured or estimated quantity: integers as integers, otherwise about four significant digits
 * (no decimals from 1000 up, 1 from 100, 2 from 10, 3 from 1, 3 significant below 1), thousands grouped.
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (Number.isInteger(x)) return formatInt(x);
  const a = Math.abs(x);
  let s: string;
  if (a >= 1000) s = a.toFixed(0);
  else if (a >= 100) s = a.toFixed(1);
  else if (a >= 10) s = a.toFixed(2);
  else if (a >= 1) s = a.toFixed(3);
  else s = a.toPrecision(3);
  if (s.includes('e')) s = a.toExponential(2);
  const [i, f] = s.split('.');
  const body = /^\d+$/.test(i!) ? group(i!) + (f !== undefined ? `.${f}` : '') : s;
  return (x < 0 ? '-' : '') + body;
}

/** A fraction of the device as a percentage with one decimal ("23.4 %"). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  return `${(fraction * 100).toFixed(1)} %`;
}

// ---------------------------------------------------------------------------------------------------
// Headline figures
// ---------------------------------------------------------------------------------------------------

export interface ResourceFigure {
  label: string;
  used: string;
  available: string;
  /** Utilisation, or null where it is reported on a combined row (BRAM36 / BRAM18 → BRAM total). */
  utilisation: string | null;
}

export interface Figure {
  label: string;
  value: string;
  /** Extra context shown next to the value. */
  note?: string;
}

/** Device resources used, with utilisation. */
export function resourceFigures(report: EstimateReport): ResourceFigure[] {
  const t = report.resources.total;
  const p = report.part;
  const u = report.utilisation;
  return [
    { label: 'LUT', used: formatInt(t.lut), available: formatInt(p.lut), utilisation: formatPercent(u.lut) },
    { label: 'FF', used: formatInt(t.ff), available: formatInt(p.ff), utilisation: formatPercent(u.ff) },
    { label: 'BRAM36', used: formatInt(t.bram36), available: formatInt(p.bram36), utilisation: null },
    { label: 'BRAM18', used: formatInt(t.bram18), available: formatInt(2 * p.bram36), utilisation: null },
    {
      label: 'BRAM total (36 Kb equiv.)',
      used: formatNumber(t.bram36 + t.bram18 / 2),
      available: formatInt(p.bram36),
      utilisation: formatPercent(u.bram),
    },
    { label: 'DSP', used: formatInt(t.dsp), available: formatInt(p.dsp), utilisation: formatPercent(u.dsp) },
  ];
}

/** Timing, throughput, power and energy figures. */
export function performanceFigures(report: EstimateReport): Figure[] {
  const tm = report.timing;
  const th = report.throughput;
  const pw = report.power;
  const fmax: Figure = Number.isFinite(tm.fmaxMHz)
    ? {
        label: 'Fmax (estimated)',
        value: `${formatNumber(tm.fmaxMHz)} MHz`,
        note:
          (tm.meetsClock ? `meets the ${formatNumber(tm.clockMHz)} MHz build clock` : `BELOW the ${formatNumber(tm.clockMHz)} MHz build clock`) +
          (tm.logicLevels !== null ? `; ${formatInt(tm.logicLevels)} logic levels` : ''),
      }
    : { label: 'Fmax (estimated)', value: 'not estimated', note: 'needs synthesis (run without --synth none)' };
  return [
    fmax,
    { label: 'Build clock', value: `${formatNumber(tm.clockMHz)} MHz`, note: `${tm.clockSource}; what gen-rtl builds with the same --clock-mhz. ${tm.check}` },
    { label: 'Cycles per inference', value: formatInt(th.cyclesPerInference), note: 'mean over the activity inputs' },
    { label: 'Latency per inference', value: `${formatNumber(th.latencyUS)} µs`, note: `mean, at the ${formatNumber(tm.clockMHz)} MHz build clock` },
    { label: 'Inferences per second', value: formatNumber(th.inferencesPerSecond), note: 'one at a time: 1 / latency' },
    {
      label: 'Inferences per second, streamed',
      value: formatNumber(th.streamedPerSecond),
      note: 'samples sent back to back through the AXI wrapper: the next one streams in while the core runs (direct input), and the result leaves',
    },
    { label: 'Throughput', value: `${formatNumber(th.gsops)} GSOPS` },
    {
      label: 'Power',
      value: `${formatNumber(pw.totalMW)} mW`,
      note: `static ${formatNumber(pw.staticMW)} mW + dynamic ${formatNumber(pw.dynamicMW)} mW`,
    },
    { label: 'Energy per inference', value: `${formatNumber(pw.energyPerInferenceUJ)} µJ`, note: 'PL only: PL static + dynamic' },
    {
      label: 'Energy per inference, device',
      value: `${formatNumber(pw.deviceEnergyPerInferenceUJ)} µJ`,
      note: `with the PS, XADC and VCCO static power, as Vivado's Device Static (${formatNumber(pw.deviceStaticMW)} mW)`,
    },
    ...atFmaxFigures(report),
    { label: 'Synaptic ops per inference', value: formatNumber(report.activity.synapticOps) },
    { label: 'Fits the device', value: report.fits ? 'yes' : 'no' },
  ];
}

/** The figures at the estimated Fmax (issue 11's latency per image), with the --clock-mhz that builds closest. */
function atFmaxFigures(report: EstimateReport): Figure[] {
  const f = report.atFmax;
  if (!f) return [];
  const build = `build it with --clock-mhz ${report.timing.fmaxClockMHz} (the fastest FCLK at or below), or auto`;
  return [
    { label: 'Latency per inference at Fmax', value: `${formatNumber(f.latencyUS)} µs`, note: `mean cycles ÷ ${formatNumber(f.clockMHz)} MHz; ${build}` },
    { label: 'Energy per inference at Fmax', value: `${formatNumber(f.power.energyPerInferenceUJ)} µJ`, note: `PL only; device ${formatNumber(f.power.deviceEnergyPerInferenceUJ)} µJ` },
  ];
}

/** The three method statements, in report order. */
export function methodNotes(report: EstimateReport): { label: string; method: string }[] {
  return [
    { label: 'Resources', method: report.resources.method },
    { label: 'Timing', method: report.timing.method },
    { label: 'Power', method: report.power.method },
  ];
}

export const ESTIMATE_DISCLAIMER =
  'All figures are pre-place-and-route estimates, not Vivado results: resources, Fmax and power will change after synthesis, placement and routing.';

// ---------------------------------------------------------------------------------------------------
// Markdown
// ---------------------------------------------------------------------------------------------------

/** Escape text for a Markdown table cell or paragraph (no markup, no HTML, no line breaks). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/[\\`*_\[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/^(\s*)([#+\->=!])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function knobList(xs: readonly number[]): string {
  return xs.map((x) => formatInt(x)).join(', ');
}

/** Markdown table of sweep points; Pareto points are marked "**yes**" and their labels bolded. */
export function renderSweepMarkdown(sweep: readonly SweepPoint[]): string {
  const acc = sweep.some((p) => p.accuracy !== undefined);
  const lines = [
    row(['Point', 'Lanes', 'Prob bits', 'LUT', 'Latency (µs)', 'Energy (µJ)', ...(acc ? ['Accuracy'] : []), 'Fits', 'Pareto']),
    row(['---', '---', '---', '---:', '---:', '---:', ...(acc ? ['---:'] : []), '---', '---']),
  ];
  for (const p of sweep) {
    const label = escapeMarkdown(p.label);
    lines.push(
      row([
        p.pareto ? `**${label}**` : label,
        knobList(p.lanes),
        knobList(p.probBits),
        formatInt(p.lut),
        formatNumber(p.latencyUS),
        formatNumber(p.energyUJ),
        ...(acc ? [p.accuracy === undefined ? '–' : formatPercent(p.accuracy)] : []),
        p.fits ? 'yes' : 'no',
        p.pareto ? '**yes**' : 'no',
      ]),
    );
  }
  return lines.join('\n');
}

/** A short Markdown summary of the estimate, and of the sweep when given. */
export function renderMarkdown(report: EstimateReport, sweep?: readonly SweepPoint[], accuracyOn?: string): string {
  const out: string[] = [];
  out.push(`# bsnn estimate: ${escapeMarkdown(report.model)}`);
  out.push('');
  out.push(
    `Model hash \`${report.modelHash.replace(/`/g, '')}\`, part ${escapeMarkdown(report.part.part)}, ` +
      `build clock ${formatNumber(report.timing.clockMHz)} MHz (${escapeMarkdown(report.timing.clockSource)}), lanes [${knobList(report.knobs.lanes)}], ` +
      `probability bits [${knobList(report.knobs.probBits)}].`,
  );
  out.push('');
  out.push(`Activity (cycles, latency, power, energy): means over ${escapeMarkdown(report.inputSource)}.`);
  out.push('');
  out.push(`> **${ESTIMATE_DISCLAIMER}**`);
  out.push('');
  out.push(row(['Figure', 'Value']));
  out.push(row(['---', '---']));
  for (const r of resourceFigures(report)) {
    const util = r.utilisation !== null ? ` (${r.utilisation})` : '';
    out.push(row([escapeMarkdown(r.label), `${r.used} of ${r.available}${util}`]));
  }
  for (const f of performanceFigures(report)) {
    out.push(row([escapeMarkdown(f.label), f.value + (f.note ? ` (${escapeMarkdown(f.note)})` : '')]));
  }
  out.push('');
  if (report.fits) {
    out.push('**Fits** the device.');
  } else {
    out.push('**Does not fit** the device.');
    if (report.fitAdvice.length > 0) {
      out.push('');
      out.push('Fit advice:');
      out.push('');
      for (const a of report.fitAdvice) out.push(`- ${escapeMarkdown(a)}`);
    }
  }
  out.push('');
  out.push('Methods (pre-place-and-route estimates):');
  out.push('');
  for (const m of methodNotes(report)) out.push(`- **${m.label}:** ${escapeMarkdown(m.method)}`);
  if (sweep && sweep.length > 0) {
    out.push('');
    out.push('## Knob sweep');
    out.push('');
    const acc = sweep.some((p) => p.accuracy !== undefined);
    out.push(`Pareto points (not dominated in LUTs, latency and energy, lower is better${acc ? ', and accuracy, higher is better' : ''}) are in bold.`);
    out.push('');
    out.push(renderSweepMarkdown(sweep));
    if (accuracyOn) out.push('', `Accuracy: ${escapeMarkdown(accuracyOn)}.`);
  }
  out.push('');
  return out.join('\n');
}
