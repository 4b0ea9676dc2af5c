/** Choosing a target among the usable ones: smooth weighted round-robin, or least outstanding requests per weight. */
import type { UpstreamTarget } from './upstream-target.js';

/** Picks one target for which `usable` holds, or undefined when none does. */
export interface Balancer {
  pick(targets: readonly UpstreamTarget[], usable: (target: UpstreamTarget) => boolean): UpstreamTarget | undefined;
}

/**
 * nginx's smooth weighted round-robin: every pick adds each usable target's weight to its running
 * weight and takes the highest, which then gives back the total. Weights 5,1,1 give a a b a c a a
 * rather than a a a a a b c, and equal weights alternate.
 */
export class RoundRobin implements Balancer {
  pick(targets: readonly UpstreamTarget[], usable: (target: UpstreamTarget) => boolean): UpstreamTarget | undefined {
    let best: UpstreamTarget | undefined;
    let total = 0;
    for (const target of targets) {
      if (!usable(target)) continue;
      target.currentWeight += target.weight;
      total += target.weight;
      if (!best || target.currentWeight > best.currentWeight) best = target;
    }
    if (best) best.currentWeight -= total;
    return best;
  }
}

/**
 * The target with the fewest attempts in flight relative to its weight. The scan starts one
 * target further on each pick, so that ties (an idle pool) spread instead of all going to the first.
 */
export class LeastOutstanding implements Balancer {
  private next = 0;

  pick(targets: readonly UpstreamTarget[], usable: (target: UpstreamTarget) => boolean): UpstreamTarget | undefined {
    const n = targets.length;
    const start = this.next;
    this.next = (start + 1) % n;
    let best: UpstreamTarget | undefined;
    let bestLoad = Infinity;
    for (let k = 0; k < n; k++) {
      const target = targets[(start + k) % n]!;
      if (!usable(target)) continue;
      const load = target.outstanding / target.weight;
      if (load < bestLoad) {
        best = target;
        bestLoad = load;
      }
    }
    return best;
  }
}
