/**
 * Univariate feature scores, always computed from training rows only: selecting features with the test
 * rows in view is a leak (one of the public notebook's defects).
 */

/** F statistic of a one-feature linear regression, as scikit-learn's f_regression computes it. */
export function fScore(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return 0;
  const r2 = (sxy * sxy) / (sxx * syy);
  return r2 >= 1 ? Number.MAX_VALUE : (r2 / (1 - r2)) * (n - 2);
}

/**
 * Mutual information between two continuous variables with the Kraskov–Stögbauer–Grassberger estimator
 * (k nearest neighbours in the max-norm), the estimator scikit-learn's mutual_info_regression uses. Both
 * variables are scaled to unit variance first so that neither dominates the joint distance.
 */
export function mutualInformation(xRaw: readonly number[], yRaw: readonly number[], k = 3): number {
  const n = xRaw.length;
  if (n <= k) return 0;
  const x = unitVariance(xRaw);
  const y = unitVariance(yRaw);
  const joint = new Float64Array(n);
  let sumNx = 0;
  let sumNy = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) joint[j] = j === i ? Infinity : Math.max(Math.abs(x[i]! - x[j]!), Math.abs(y[i]! - y[j]!));
    const radius = kthSmallest(joint, k);
    let nx = 0;
    let ny = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      if (Math.abs(x[i]! - x[j]!) < radius) nx++;
      if (Math.abs(y[i]! - y[j]!) < radius) ny++;
    }
    sumNx += digamma(nx + 1);
    sumNy += digamma(ny + 1);
  }
  const mi = digamma(n) + digamma(k) - sumNx / n - sumNy / n;
  return Math.max(0, mi);
}

function unitVariance(v: readonly number[]): number[] {
  const n = v.length;
  const m = v.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  return sd === 0 ? v.map(() => 0) : v.map((e) => e / sd);
}

function kthSmallest(values: Float64Array, k: number): number {
  // k is tiny (3): keep the k smallest seen so far.
  const best = new Array<number>(k).fill(Infinity);
  for (const v of values) {
    if (v < best[k - 1]!) {
      let p = k - 1;
      while (p > 0 && best[p - 1]! > v) {
        best[p] = best[p - 1]!;
        p--;
      }
      best[p] = v;
    }
  }
  return best[k - 1]!;
}

/** ψ(x) for x > 0: recurrence up to x ≥ 6, then the asymptotic series. */
export function digamma(x: number): number {
  let result = 0;
  let v = x;
  while (v < 6) {
    result -= 1 / v;
    v += 1;
  }
  const f = 1 / (v * v);
  return result + Math.log(v) - 0.5 / v - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}
