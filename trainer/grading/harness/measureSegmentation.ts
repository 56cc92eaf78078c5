/**
 * The measurements the harness takes of a Segmentation challenge file: what pixelClassWeights and
 * weightedPixelCrossEntropy return on the key's inputs. The tensors are built here, channels last as the
 * course's U-Net produces them; the parent computes what the values should have been.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../backend/tf';
import type { LearnerModule } from '../../learner/evaluateLearnerBundle';
import type { MeasurementRequest, MeasurementValue } from '../childProtocol';
import { describeValue, exportedFunction } from './learnerValues';

export interface SegmentationMeasureContext {
  mod: LearnerModule;
  learner<T>(fn: () => T): T;
}

type Request<K extends MeasurementRequest['kind']> = Extract<MeasurementRequest, { kind: K }>;
type WeightsFn = (maskCounts: number[]) => unknown;
type LossFn = (logits: TF.Tensor4D, labels: TF.Tensor3D, weights: number[]) => unknown;

export function measureSegmentation(ctx: SegmentationMeasureContext, m: MeasurementRequest): Promise<MeasurementValue> {
  switch (m.kind) {
    case 'pixel_weights':
      return Promise.resolve(measureWeights(ctx, m));
    case 'pixel_loss':
      return Promise.resolve(measureLoss(ctx, m));
    default:
      throw new Error(`a ${m.kind} measurement belongs to another submodule's challenge`);
  }
}

function measureWeights(ctx: SegmentationMeasureContext, m: Request<'pixel_weights'>): MeasurementValue {
  const weights = exportedFunction<WeightsFn>(ctx.mod, 'pixelClassWeights', '(maskCounts)');
  const results = m.cases.map((counts) => {
    // A copy, so a learner who sorts the array in place cannot change the next case.
    const out = ctx.learner(() => ctx.mod.call('pixelClassWeights', () => weights([...counts])));
    const values = out instanceof tf.Tensor ? (out.rank === 1 ? Array.from(out.dataSync()) : undefined) : Array.isArray(out) ? (out as unknown[]) : undefined;
    if (out instanceof tf.Tensor) out.dispose();
    if (!values || !values.every((v) => typeof v === 'number')) {
      return { problem: `pixelClassWeights must return an array of numbers, one per class; it returned ${describeValue(out)}.` };
    }
    // JSON has no Infinity or NaN: a weight that is not a finite number travels as null and is named by the judge.
    return { weights: values.map((v) => (Number.isFinite(v) ? v : null)) };
  });
  return { kind: 'pixel_weights', results };
}

function measureLoss(ctx: SegmentationMeasureContext, m: Request<'pixel_loss'>): MeasurementValue {
  const loss = exportedFunction<LossFn>(ctx.mod, 'weightedPixelCrossEntropy', '(logits, labels, weights)');
  const results = m.cases.map((c) =>
    tf.tidy(() => {
      const logits = tf.tensor4d(c.logits);
      const labels = tf.tensor3d(c.labels, undefined, 'int32');
      const out = ctx.learner(() => ctx.mod.call('weightedPixelCrossEntropy', () => loss(logits, labels, [...c.weights])));
      if (!(out instanceof tf.Tensor)) return { problem: `weightedPixelCrossEntropy must return a scalar tensor; it returned ${describeValue(out)}.` };
      if (out.size !== 1) {
        return { problem: `weightedPixelCrossEntropy must return one number for the whole batch (a scalar), not a tensor of shape [${out.shape.join(', ')}]: average over every pixel.` };
      }
      const value = out.dataSync()[0]!;
      return Number.isFinite(value) ? { value } : { problem: `weightedPixelCrossEntropy returned ${value}; look for a division by zero or the log of zero.` };
    }),
  );
  return { kind: 'pixel_loss', results };
}
