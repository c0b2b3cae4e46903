/**
 * Pareto front of a knob sweep over (LUTs, latency, energy per inference), all three lower-is-better.
 *
 * A point is dominated when another point is no worse in all three objectives and strictly better in
 * at least one. Points with identical objectives do not dominate each other, so duplicates are all on
 * the front. Points with a non-finite objective are never on the front and dominate nothing.
 */

export interface ParetoObjectives {
  lut: number;
  latencyUS: number;
  energyUJ: number;
}

export interface ParetoOptions {
  /**
   * Consider only points whose `fits` is true: the others are marked off the front and dominate
   * nothing. Default false (every point competes, as in the plain definition).
   */
  fittingOnly?: boolean;
}

function finite(p: ParetoObjectives): boolean {
  return Number.isFinite(p.lut) && Number.isFinite(p.latencyUS) && Number.isFinite(p.energyUJ);
}

/** True when `a` dominates `b` (lower is better in every objective). */
export function dominates(a: ParetoObjectives, b: ParetoObjectives): boolean {
  const noWorse = a.lut <= b.lut && a.latencyUS <= b.latencyUS && a.energyUJ <= b.energyUJ;
  const better = a.lut < b.lut || a.latencyUS < b.latencyUS || a.energyUJ < b.energyUJ;
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
