/**
 * Pareto front of a knob sweep over (LUTs, latency, energy per inference), all three lower-is-better, and,
 * when both points carry one, accuracy (higher is better): a sweep over probability bits or lanes changes
 * the sampled weights, so a cheaper point may be a worse classifier.
 *
 * A point is dominated when another point is no worse in all three objectives and strictly better in
 * at least one. Points with identical objectives do not dominate each other, so duplicates are all on
 * the front. Points with a non-finite objective are never on the front and dominate nothing.
 */

export interface ParetoObjectives {
  lut: number;
  latencyUS: number;
  energyUJ: number;
  /** Golden-model accuracy on a data set, in [0, 1], when the sweep measured it. */
  accuracy?: number;
}

export interface ParetoOptions {
  /**
   * Consider only points whose `fits` is true: the others are marked off the front and dominate
   * nothing. Default false (every point competes, as in the plain definition).
   */
  fittingOnly?: boolean;
}

function finite(p: ParetoObjectives): boolean {
  return Number.isFinite(p.lut) && Number.isFinite(p.latencyUS) && Number.isFinite(p.energyUJ) && (p.accuracy === undefined || Number.isFinite(p.accuracy));
}

/** True when `a` dominates `b`: lower is better in LUTs, latency and energy, higher in accuracy (when both have one). */
export function dominates(a: ParetoObjectives, b: ParetoObjectives): boolean {
  const acc = a.accuracy !== undefined && b.accuracy !== undefined;
  const noWorse = a.lut <= b.lut && a.latencyUS <= b.latencyUS && a.energyUJ <= b.energyUJ && (!acc || a.accuracy! >= b.accuracy!);
  const better = a.lut < b.lut || a.latencyUS < b.latencyUS || a.energyUJ < b.energyUJ || (acc && a.accuracy! > b.accuracy!);
  return noWorse && better;
}

/**
 * Return copies of `points`, in the same order, with `pareto` set: true when no other (eligible)
 * point dominates it. The input is not modified.
 */
export function paretoFront<T extends ParetoObjectives & { fits?: boolean }>(
  points: readonly T[],
  options: ParetoOptions = {},
): (T & { pareto: boolean })[] {
  const eligible = points.map((p) => finite(p) && (!options.fittingOnly || p.fits === true));
  return points.map((p, i) => {
    let pareto = eligible[i]!;
    for (let j = 0; pareto && j < points.length; j++) {
      if (j !== i && eligible[j] && dominates(points[j]!, p)) pareto = false;
    }
    return { ...p, pareto };
  });
}
