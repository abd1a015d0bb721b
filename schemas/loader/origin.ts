import { type Path, pathKey } from './path.js';

/** Maps fields of a converted object back to the fields of the original document they came from, so
 * errors in a converted Rollout point at the Canary line the user wrote. */
export class OriginMap {
  private readonly map = new Map<string, { target: Path; from: Path }>();

  /** Records that the subtree at target came from the subtree at from. */
  set(target: Path, from: Path): void {
    this.map.set(pathKey(target), { target, from });
  }

  /** The original path for target: the longest recorded prefix, extended by the rest of target. */
  resolve(target: Path): Path {
    for (let n = target.length; n >= 0; n--) {
      const hit = this.map.get(pathKey(target.slice(0, n)));
      if (hit) return [...hit.from, ...target.slice(n)];
    }
    return target;
  }
}
