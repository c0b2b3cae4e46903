/**
 * Self-contained HTML report of an estimate: inline CSS, inline SVG plots (rendered by Vega-Lite, see
 * plots.ts), no scripts, no external references. Deterministic: the same report gives the same bytes.
 *
 * renderHtml is async because Vega renders SVG asynchronously.
 */

import type { BlockResources, EstimateReport } from '../estimate/types.js';
import {
  ESTIMATE_DISCLAIMER,
  formatInt,
  formatNumber,
  formatPercent,
  methodNotes,
  performanceFigures,
  resourceFigures,
} from './markdown.js';
import { renderPlots, type SweepPoint } from './plots.js';

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const e = escapeHtml;

const CSS = `
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1d2330; background: #fff; line-height: 1.45; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid #dde2ea; padding-bottom: .2rem; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .6rem 0 1rem; }
.meta dt { color: #5a6475; }
.meta dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.estimate-note { border: 2px solid #c77d00; background: #fff7e6; padding: .8rem 1rem; border-radius: 6px; margin: 1rem 0; }
.estimate-note strong { color: #8a4f00; }
.estimate-note ul { margin: .4rem 0 0; padding-left: 1.2rem; }
table { border-collapse: collapse; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #dde2ea; padding: .25rem .6rem; text-align: left; vertical-align: top; }
th { background: #f3f5f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 600; background: #f8f9fb; }
tr.pareto td { background: #eef7ee; }
.tables { display: flex; flex-wrap: wrap; gap: 2rem; align-items: flex-start; }
.fit-yes { color: #1d7a34; font-weight: 700; }
.fit-no { color: #b3261e; font-weight: 700; }
.advice { margin: .3rem 0 1rem; }
figure { margin: 1rem 0 1.6rem; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #5a6475; font-size: .85rem; margin-top: .3rem; }
footer { margin-top: 2.5rem; color: #5a6475; font-size: .8rem; }
`;

function td(text: string, cls?: string): string {
  return cls ? `<td class="${cls}">${text}</td>` : `<td>${text}</td>`;
}

function th(text: string, cls?: string): string {
  return cls ? `<th class="${cls}" scope="col">${text}</th>` : `<th scope="col">${text}</th>`;
}

function summaryTables(report: EstimateReport): string {
  const res = resourceFigures(report)
    .map(
      (r) =>
        `<tr>${td(e(r.label))}${td(e(r.used), 'num')}${td(e(r.available), 'num')}${td(
          r.utilisation === null ? '' : e(r.utilisation),
          'num',
        )}</tr>`,
    )
    .join('\n');
  const perf = performanceFigures(report)
    .map((f) => {
      let value = e(f.value);
      if (f.label === 'Fits the device') value = `<span class="${report.fits ? 'fit-yes' : 'fit-no'}">${value}</span>`;
      return `<tr>${td(e(f.label))}${td(value, 'num')}${td(f.note ? e(f.note) : '')}</tr>`;
    })
    .join('\n');
  return `<div class="tables">
<table id="summary-resources">
<caption>Resources (${e(report.part.part)})</caption>
<thead><tr>${th('Resource')}${th('Used', 'num')}${th('Available', 'num')}${th('Utilisation', 'num')}</tr></thead>
<tbody>
${res}
</tbody>
</table>
<table id="summary-performance">
<caption>Timing, throughput, power</caption>
<thead><tr>${th('Figure')}${th('Value', 'num')}${th('Note')}</tr></thead>
<tbody>
${perf}
</tbody>
</table>
</div>`;
}

function fitSection(report: EstimateReport): string {
  if (report.fits) {
    return `<p class="advice"><span class="fit-yes">Fits</span> ${e(report.part.part)} (by this estimate).</p>`;
  }
  const advice =
    report.fitAdvice.length > 0
      ? `<ul>\n${report.fitAdvice.map((a) => `<li>${e(a)}</li>`).join('\n')}\n</ul>`
      : '<p>No knob change was found that makes it fit.</p>';
  return `<div class="advice"><p><span class="fit-no">Does not fit</span> ${e(report.part.part)}. Fit advice:</p>\n${advice}\n</div>`;
}

function methodSection(report: EstimateReport): string {
  const items = methodNotes(report)
    .map((m) => `<li><strong>${e(m.label)}:</strong> ${e(m.method)}</li>`)
    .join('\n');
  return `<section class="estimate-note" id="methods" role="note">
<p><strong>Pre-place-and-route estimates.</strong> ${e(ESTIMATE_DISCLAIMER)}</p>
<ul>
${items}
</ul>
</section>`;
}

const BLOCK_COLUMNS: [string, (b: BlockResources['resources']) => number][] = [
  ['LUT', (r) => r.lut],
  ['LUT as memory', (r) => r.lutAsMemory],
  ['FF', (r) => r.ff],
  ['CARRY4', (r) => r.carry4],
  ['MUXF7', (r) => r.muxf7],
  ['MUXF8', (r) => r.muxf8],
  ['BRAM36', (r) => r.bram36],
  ['BRAM18', (r) => r.bram18],
  ['DSP', (r) => r.dsp],
];

function blockTable(report: EstimateReport): string {
  const head = `<tr>${th('Block')}${th('Layer', 'num')}${BLOCK_COLUMNS.map(([n]) => th(e(n), 'num')).join('')}</tr>`;
  const rows = report.resources.blocks
    .map(
      (b) =>
        `<tr>${td(e(b.block))}${td(b.layer === null ? '' : e(formatInt(b.layer)), 'num')}${BLOCK_COLUMNS.map(([, f]) =>
          td(e(formatNumber(f(b.resources))), 'num'),
        ).join('')}</tr>`,
    )
    .join('\n');
  const t = report.resources.total;
  const total = `<tr class="total">${td('Total')}${td('', 'num')}${BLOCK_COLUMNS.map(([, f]) =>
    td(e(formatNumber(f(t))), 'num'),
  ).join('')}</tr>`;
  const sizes = Object.keys(t.lutBySize)
    .sort()
    .map((k) => `${e(k)}: ${e(formatInt(t.lutBySize[k]!))}`)
    .join(', ');
  return `<table id="blocks">
<thead>${head}</thead>
<tbody>
${rows}
${total}
</tbody>
</table>
${sizes ? `<p>Logic LUTs by size: ${sizes}.</p>` : ''}`;
}

function sweepTable(sweep: readonly SweepPoint[]): string {
  const acc = sweep.some((p) => p.accuracy !== undefined);
  const accCell = (p: SweepPoint) => (acc ? td(e(p.accuracy === undefined ? '–' : formatPercent(p.accuracy)), 'num') : '');
  const rows = sweep
    .map(
      (p) =>
        `<tr${p.pareto ? ' class="pareto"' : ''}>${td(e(p.label))}${td(e(p.lanes.map(formatInt).join(', ')))}${td(
          e(p.probBits.map(formatInt).join(', ')),
        )}${td(e(formatInt(p.lut)), 'num')}${td(e(formatNumber(p.latencyUS)), 'num')}${td(
          e(formatNumber(p.energyUJ)),
          'num',
        )}${accCell(p)}${td(p.fits ? 'yes' : 'no')}${td(p.pareto ? '<strong>Pareto</strong>' : '')}</tr>`,
    )
    .join('\n');
  return `<table id="sweep">
<thead><tr>${th('Point')}${th('Lanes')}${th('Prob bits')}${th('LUT', 'num')}${th('Latency (µs)', 'num')}${th(
    'Energy (µJ)',
    'num',
  )}${acc ? th('Accuracy', 'num') : ''}${th('Fits')}${th('Front')}</tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/**
 * Inline SVG in HTML takes its namespace from the parser, so the xmlns declarations (namespace names,
 * never fetched) are dropped: the page then holds no "http" string at all.
 */
function inlineSvg(svg: string): string {
  return svg.replace(/^<svg([^>]*)>/, (_m, attrs: string) =>
    `<svg${attrs.replace(/\s+xmlns(:xlink)?="[^"]*"/g, '')}>`,
  );
}

function figure(svg: string, caption: string, id: string): string {
  return `<figure id="${id}">\n${inlineSvg(svg)}\n<figcaption>${e(caption)}</figcaption>\n</figure>`;
}

/** One self-contained HTML page for an estimate report, with the knob sweep when given. */
export async function renderHtml(report: EstimateReport, sweep?: readonly SweepPoint[], accuracyOn?: string): Promise<string> {
  const plots = await renderPlots(report, sweep);
  const title = `bsnn estimate: ${report.model}`;
  const parts: string[] = [];
  parts.push(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>${e(title)}</h1>
<dl class="meta">
<dt>Model</dt><dd>${e(report.model)}</dd>
<dt>Model hash</dt><dd>${e(report.modelHash)}</dd>
<dt>Part</dt><dd>${e(report.part.part)}</dd>
<dt>Build clock</dt><dd>${e(formatNumber(report.timing.clockMHz))} MHz (${e(report.timing.clockSource)}; what gen-rtl builds with the same --clock-mhz)</dd>
<dt>Lanes</dt><dd>${e(report.knobs.lanes.map(formatInt).join(', '))}</dd>
<dt>Probability bits</dt><dd>${e(report.knobs.probBits.map(formatInt).join(', '))}</dd>
<dt>Activity inputs</dt><dd>${e(report.inputSource)} (cycles, latency, power and energy are means over them)</dd>
</dl>
</header>
<main>`);
  parts.push(methodSection(report));
  parts.push(`<h2>Summary</h2>\n${summaryTables(report)}\n${fitSection(report)}`);
  parts.push(`<h2>Resources per block</h2>\n${blockTable(report)}`);
  parts.push(`<h2>Plots</h2>`);
  parts.push(
    figure(
      plots.resources,
      `LUT, FF and BRAM per block as a share of ${report.part.part} (resources method: ${report.resources.method}).`,
      'fig-resources',
    ),
  );
  parts.push(figure(plots.power, 'Power by consumer, mW (estimate).', 'fig-power'));
  parts.push(
    figure(
      plots.activity,
      `Input events and output spikes per inference and layer, from the golden model over ${report.activity.inputs} inputs.`,
      'fig-activity',
    ),
  );
  if (sweep && sweep.length > 0 && plots.sweep) {
    parts.push(`<h2>Knob sweep</h2>`);
    parts.push(
      figure(
        plots.sweep,
        'Latency against LUTs; energy per inference as colour and size; diamonds are Pareto points (lower LUTs, latency and energy are better), hollow markers do not fit the device.',
        'fig-sweep',
      ),
    );
    parts.push(sweepTable(sweep));
    if (accuracyOn) parts.push(`<p>Accuracy: ${e(accuracyOn)}; the front weighs it, higher is better.</p>`);
  }
  parts.push(`</main>
<footer>Generated by bsnn estimate. ${e(ESTIMATE_DISCLAIMER)}</footer>
</body>
</html>
`);
  return parts.join('\n');
}
