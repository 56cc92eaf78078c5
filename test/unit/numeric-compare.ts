import assert from 'node:assert/strict';

/**
 * max |actual − expected| / max |expected|: scale-free, and strict where a relative error per element would
 * divide by values near zero. How every numerical check against a reference (cpu backend, PyTorch) is measured.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length, 'the two results have different sizes');
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return diff / scale;
}
