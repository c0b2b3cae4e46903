/** The conversion report as text: one block per layer, every approximation with its size, then the measured agreement. */
import type { Agreement } from './agreement.js';
import type { ConversionReport, LayerReport } from './convert.js';

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
const num = (x: number) => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3));

const shape = (s: { c: number; h: number; w: number }) => `${s.c}×${s.h}×${s.w}`;

/** A conv layer's geometry and pool, and what the pool became. */
function convLines(r: LayerReport): string[] {
  const g = r.conv!;
  const out = [`  conv: ${shape(g.inShape)} → ${shape(g.convShape)}, kernel ${g.kernel.join('×')}, stride ${g.stride.join('×')}, padding ${g.padding.join('×')}; threshold, bias and neuron parameters per channel`];
  if (g.pool) {
    const q = `${g.pool.size.join('×')}`;
    const what = g.pool.kind === 'sum' ? 'sum pool (exact)' : g.pool.kind === 'or' ? 'with its Threshold: "or" pool (exact)' : `sum pool; the next layer's weights carry 1/${g.pool.size[0] * g.pool.size[1]} (exact in expectation)`;
    out.push(`  pool: ${g.poolNode}, ${q} → ${shape(g.outShape)}: ${what}`);
  }
  return out;
}

function layerLines(r: LayerReport, l: number, dt: number | null): string[] {
  const s = r.stats;
  const unit = r.kind === 'LI' ? ' (one per layer)' : r.conv ? ' (per channel)' : ' (per neuron)';
  const out = [`layer ${l}: ${r.synapse} → ${r.neuron} (${r.kind}), ${r.fanIn} → ${r.size}${r.conv ? ' channels' : ''}, scale α ${num(r.scale.min)}..${num(r.scale.max)}${unit}`];
  if (r.conv) out.push(...convLines(r));
  if (r.inputScale !== 1) out.push(`  input: an average pool's counts: weights scaled by ${num(r.inputScale)} before binarisation`);
  if (s.carried === true) out.push('  weights: the file\'s bsnn probability codes, which agree with its weights (exact)');
  else {
    if (s.carried === false) out.push('  weights: the file\'s bsnn codes disagree with its weights (edited elsewhere?): re-binarised');
    if (s.zeroRows > 0) out.push(`  weights: ${s.zeroRows} of ${r.size} ${r.conv ? 'channels' : 'neurons'} pass no current (every r·weight 0): their weights are p = 1/2, mean 0 but random (not exact)`);
    out.push(`  weights: ${s.clipped} of ${s.weights} clipped to ±α${s.clipped ? ` (by up to ${pct(s.maxClip)} of α)` : ''}; k-bit probabilities move a mean weight by up to ${num(s.maxProbError)}·α`);
  }
  if (r.kind !== 'LI') {
    out.push(`  threshold: rounded to integers in units of α, up to ${pct(s.maxThresholdError)} off${s.thresholdsRaised ? `; ${s.thresholdsRaised} raised to 1` : ''}`);
    out.push(`  bias: rounded in units of α, up to ${num(s.maxBiasError)} of a threshold off`);
    if (r.kind === 'LIF') {
      if (r.leak.dropped) out.push('  leak: dt/τ below 2^-16 per step: dropped (an IF neuron)');
      else out.push(`  leak: dt/τ → v -= v >> ${r.leak.leak} (τ_bsnn = dt·2^${r.leak.leak}${dt ? ` = ${num(dt * 2 ** r.leak.leak)} s` : ''}), τ off by up to ${pct(r.leak.maxTauError)}`);
      if (r.leakDeadBelowThreshold) out.push(`  leak: integer shift acts only on |v| ≥ 2^${r.leak.leak}; every threshold is below that, so a positive membrane below threshold does not leak`);
    }
    out.push(`  reset: ${r.reset} (${r.resetWhy})`);
  } else {
    out.push(`  readout: LI → potential readout (Σ_t of the input current); its leak (dt/τ up to ${num(r.maxDecay)} per step) is dropped`);
  }
  return out;
}

export function formatReport(report: ConversionReport, agreement: Agreement | null): string {
  const head = `conversion report for ${report.source} (NIR ${report.version}${report.dt !== null ? `, dt = ${report.dt} s` : ''}${report.fromBsnnExport ? ', with bsnn export settings' : ''})`;
  const lines = [head, ...report.layers.flatMap((r, l) => layerLines(r, l, report.dt))];
  if (agreement) {
    lines.push(`agreement with the float NIR network on ${agreement.inputs} inputs (same input events): class ${pct(agreement.classAgreement)}`);
    agreement.rates.forEach((r, l) => {
      const pooled = report.layers[l].conv?.pool;
      const unit = pooled ? 'non-empty pool windows/window/step' : 'spikes/neuron/step';
      if (r) lines.push(`  layer ${l} mean ${pooled ? 'event' : 'spike'} rate: NIR ${r.float.toFixed(4)}, bsnn ${r.bsnn.toFixed(4)} ${unit}`);
    });
    if (agreement.outputRateError !== null) lines.push(`  output rate error: mean |Δrate| ${agreement.outputRateError.toFixed(4)} spikes/neuron/step`);
  }
  return lines.join('\n');
}
