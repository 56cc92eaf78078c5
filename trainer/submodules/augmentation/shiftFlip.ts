/**
 * The Augmentation challenge's transform, as the grader understands it: a crop of the zero-padded image (a
 * shift by dy, dx with zeros coming in at the edges) and an optional left-right mirror. Grading feeds the
 * learner's code probe images of random texture, so exactly one shift and flip can explain an output, and
 * names it; nothing here runs learner code.
 */
import { SeededRandom } from '../../core/random';

export interface ShiftFlip {
  dy: number;
  dx: number;
  flip: boolean;
}

/** Square grayscale images, one Float32Array of size × size values in [0.1, 1] each (zero is left for the padding). */
export function probeImages(seed: number, count: number, size: number): Float32Array[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: count }, () => Float32Array.from({ length: size * size }, () => 0.1 + 0.9 * rng.next()));
}

/** out[y][x] = image[y + dy][x + dx], zero outside the image, then mirrored left-right when `flip`. */
export function shiftFlip(image: ArrayLike<number>, size: number, t: ShiftFlip): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sy = y + t.dy;
      const sx = (t.flip ? size - 1 - x : x) + t.dx;
      out[y * size + x] = sy >= 0 && sy < size && sx >= 0 && sx < size ? image[sy * size + sx]! : 0;
    }
  }
  return out;
}

/** The shift (|dy|, |dx| ≤ maxShift) and flip that turn `image` into `output`, or null when none does. */
export function identifyShiftFlip(image: ArrayLike<number>, output: ArrayLike<number>, size: number, maxShift: number, tolerance = 1e-5): ShiftFlip | null {
  if (output.length !== size * size) return null;
  for (const flip of [false, true]) {
    for (let dy = -maxShift; dy <= maxShift; dy++) {
      for (let dx = -maxShift; dx <= maxShift; dx++) {
        if (matches(image, output, size, { dy, dx, flip }, tolerance)) return { dy, dx, flip };
      }
    }
  }
  return null;
}

function matches(image: ArrayLike<number>, output: ArrayLike<number>, size: number, t: ShiftFlip, tolerance: number): boolean {
  const want = shiftFlip(image, size, t);
  return want.every((v, i) => Math.abs(output[i]! - v) <= tolerance);
}
