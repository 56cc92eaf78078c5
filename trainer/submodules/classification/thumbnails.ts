/**
 * Thumbnails of the misclassified test images the metrics list, so the results panel and the report can
 * show what the network got wrong without the metrics carrying pixels. One PNG per test index, enlarged
 * without smoothing: at 28×28 the individual pixels are what a learner should see.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { THUMBNAIL_FOLDER, thumbnailFileName, type ExperimentResult } from '../../../protocol/messages';
import type { MedmnistSplitData } from '../../data/medmnist/load';
import { writeFileAtomic } from '../../checkpoint/atomicFile';
import { encodePng, upscaleNearest } from '../../report/png';

/** About the size of an icon: large enough to see a 28×28 image's structure, small enough for a grid. */
export const THUMBNAIL_PIXELS = 84;

export interface WrittenThumbnails {
  folder: string;
  /** The test indices written, ascending. */
  indices: number[];
}

export function writeMisclassifiedThumbnails(
  outDir: string,
  test: MedmnistSplitData,
  experiments: readonly Pick<ExperimentResult, 'misclassified'>[],
): WrittenThumbnails {
  // The experiments often get the same image wrong; each file is written once.
  const indices = [...new Set(experiments.flatMap((e) => e.misclassified.flatMap((cell) => cell.testIndices)))].sort((a, b) => a - b);
  const outside = indices.find((i) => i >= test.count);
  if (outside !== undefined) throw new RangeError(`test index ${outside} is outside the ${test.count} test images`);
  const folder = join(outDir, THUMBNAIL_FOLDER);
  mkdirSync(folder, { recursive: true });
  const factor = Math.max(1, Math.round(THUMBNAIL_PIXELS / Math.max(test.height, test.width)));
  const bytes = test.height * test.width * test.channels;
  for (const index of indices) {
    const pixels = test.images.subarray(index * bytes, (index + 1) * bytes);
    const png = encodePng(upscaleNearest({ width: test.width, height: test.height, channels: test.channels, pixels }, factor));
    writeFileAtomic(join(folder, thumbnailFileName(index)), [png]);
  }
  return { folder, indices };
}
