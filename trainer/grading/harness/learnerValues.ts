/** Reading the learner's module: a function it must export, and what a call returned, in words for a message. */
import { tf } from '../../backend/tf';
import type { LearnerModule } from '../../learner/evaluateLearnerBundle';
import { InvalidSubmission } from './measure';

/** The export `name`, which the challenge asks to be a function; otherwise the learner is told what to export. */
export function exportedFunction<T>(mod: LearnerModule, name: string, signature: string): T {
  const value = mod.exports[name];
  if (typeof value !== 'function') throw new InvalidSubmission(`export a function ${name}${signature}.`);
  return value as T;
}

export function describeValue(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (x instanceof tf.Tensor) return `a tensor of shape [${x.shape.join(', ')}]`;
  return typeof x === 'object' ? `an object (${(x as object).constructor?.name ?? 'Object'})` : `a ${typeof x}`;
}
