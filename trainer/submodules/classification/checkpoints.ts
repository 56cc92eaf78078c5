/**
 * A Classification run's checkpoints, in `<outDir>/checkpoints/`:
 *   run.json          what every checkpoint here must agree on with a run resuming it (seed, dataset...)
 *   <X>.ckpt          experiment X's training state after its last finished epoch (safetensors + JSON state)
 *   <X>.result.json   experiment X's finished result, so a resumed run skips it
 * Every file is replaced atomically, so a run killed at any moment leaves the previous complete state. The
 * folder is removed once the run's results are written.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ExperimentResultSchema, EXPERIMENT_NAMES, type ExperimentName, type ExperimentResult } from '../../../protocol/messages';
import { writeTextAtomic } from '../../checkpoint/atomicFile';
import { assertSameFingerprint, type Fingerprint } from '../../checkpoint/fingerprint';
import { readTensorFile, writeTensorFile } from '../../checkpoint/tensorFile';
import { LabError } from '../../core/labError';
import type { TrainingSnapshot } from './trainingState';

/** Bumped when the layout changes, so an old checkpoint is refused rather than misread. */
const FORMAT = 1;

const FingerprintSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()]));
const EpochRecordSchema = ExperimentResultSchema.shape.epochs.element;

const ManifestSchema = z.object({ format: z.literal(FORMAT), fingerprint: FingerprintSchema });

const TrainingStateSchema = z.object({
  format: z.literal(FORMAT),
  experiment: z.enum(EXPERIMENT_NAMES),
  fingerprint: FingerprintSchema,
  completedEpochs: z.number().int().nonnegative(),
  records: z.array(EpochRecordSchema),
  epochSeconds: z.array(z.number()),
  iterations: z.number().int().nonnegative(),
  weights: z.array(z.string()),
  momentum: z.array(z.string()),
  /** Documents why no generator state is stored: the next epoch's batch order is a function of its index. */
  batchOrder: z.object({ seededBy: z.string(), nextEpoch: z.number().int().nonnegative() }),
});

const FinishedSchema = z.object({
  format: z.literal(FORMAT),
  fingerprint: FingerprintSchema,
  result: ExperimentResultSchema,
  epochSeconds: z.array(z.number()),
});

export interface FinishedExperiment {
  readonly result: ExperimentResult;
  readonly epochSeconds: readonly number[];
}

export class RunCheckpoints {
  /** What this session knows each experiment reached: epochs trained, or finished. */
  private readonly reached = new Map<ExperimentName, number | 'finished'>();

  private constructor(readonly dir: string) {}

  /** A fresh run: clears what an earlier run left in the same folder and records this run's fingerprint. */
  static start(outDir: string, fingerprint: Fingerprint, warn: (message: string) => void): RunCheckpoints {
    const dir = checkpointDir(outDir);
    if (existsSync(dir)) {
      warn(`${dir} held checkpoints of an unfinished run; starting over (run with --resume to continue such a run instead)`);
      rmSync(dir, { recursive: true, force: true });
    }
    mkdirSync(dir, { recursive: true });
    writeTextAtomic(join(dir, 'run.json'), JSON.stringify({ format: FORMAT, fingerprint }, null, 2));
    return new RunCheckpoints(dir);
  }

  /** Opens an earlier run's checkpoints; refuses, naming the setting, if they were made with other settings. */
  static resume(outDir: string, fingerprint: Fingerprint): RunCheckpoints {
    const dir = checkpointDir(outDir);
    const path = join(dir, 'run.json');
    if (!existsSync(path)) {
      throw new LabError('bad-request', `Nothing to resume: ${dir} has no checkpoints (a run that finished removes them). Run without --resume to start over.`);
    }
    const manifest = parseJson(ManifestSchema, path);
    assertSameFingerprint(manifest.fingerprint, fingerprint, path);
    return new RunCheckpoints(dir);
  }

  /** The experiment's result if it finished in an earlier session; `fingerprint` is what it depends on alone. */
  finished(name: ExperimentName, fingerprint: Fingerprint): FinishedExperiment | undefined {
    const path = this.finishedPath(name);
    if (!existsSync(path)) return undefined;
    const saved = parseJson(FinishedSchema, path);
    assertSameFingerprint(saved.fingerprint, fingerprint, path);
    this.reached.set(name, 'finished');
    return { result: saved.result, epochSeconds: saved.epochSeconds };
  }

  /** The experiment's training state after its last checkpointed epoch, if any. */
  training(name: ExperimentName, fingerprint: Fingerprint): TrainingSnapshot | undefined {
    const path = this.trainingPath(name);
    if (!existsSync(path)) return undefined;
    const file = readTensorFile(path);
    const parsed = TrainingStateSchema.safeParse(file.state);
    if (!parsed.success) throw unreadable(path, parsed.error);
    const state = parsed.data;
    assertSameFingerprint(state.fingerprint, fingerprint, path);
    this.reached.set(name, state.completedEpochs);
    return {
      completedEpochs: state.completedEpochs,
      records: state.records,
      epochSeconds: state.epochSeconds,
      iterations: state.iterations,
      weights: state.weights.map((w) => ({ ...file.array(`model/${w}`), name: w })),
      momentum: state.momentum.map((m, i) => ({ ...file.array(`momentum/${i}`), name: m })),
    };
  }

  saveTraining(name: ExperimentName, fingerprint: Fingerprint, snapshot: TrainingSnapshot): void {
    const state: z.infer<typeof TrainingStateSchema> = {
      format: FORMAT,
      experiment: name,
      fingerprint,
      completedEpochs: snapshot.completedEpochs,
      records: [...snapshot.records],
      epochSeconds: [...snapshot.epochSeconds],
      iterations: snapshot.iterations,
      weights: snapshot.weights.map((w) => w.name),
      momentum: snapshot.momentum.map((m) => m.name),
      batchOrder: { seededBy: 'childSeed(order seed, epoch index)', nextEpoch: snapshot.completedEpochs },
    };
    writeTensorFile(this.trainingPath(name), state, [
      ...snapshot.weights.map((w) => ({ ...w, name: `model/${w.name}` })),
      ...snapshot.momentum.map((m, i) => ({ ...m, name: `momentum/${i}` })),
    ]);
    this.reached.set(name, snapshot.completedEpochs);
  }

  /** Records a finished experiment, then drops its training state, which a resumed run no longer needs. */
  saveFinished(name: ExperimentName, fingerprint: Fingerprint, finished: FinishedExperiment): void {
    const saved: z.infer<typeof FinishedSchema> = { format: FORMAT, fingerprint, result: finished.result, epochSeconds: [...finished.epochSeconds] };
    writeTextAtomic(this.finishedPath(name), JSON.stringify(saved));
    rmSync(this.trainingPath(name), { force: true });
    this.reached.set(name, 'finished');
  }

  /** What a resumed run would start from, in words, e.g. "experiment A finished; experiment B after epoch 1". */
  describe(): string | undefined {
    const parts = EXPERIMENT_NAMES.flatMap((name) => {
      const reached = this.reached.get(name);
      if (reached === undefined || reached === 0) return [];
      return [reached === 'finished' ? `experiment ${name} finished` : `experiment ${name} after epoch ${reached}`];
    });
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  /** A cancellation rewritten to say what was kept and how to continue; any other error unchanged. */
  explainCancel(err: unknown): unknown {
    if (!LabError.is(err, 'cancelled')) return err;
    const kept = this.describe();
    return new LabError(
      'cancelled',
      kept
        ? `Run cancelled. Kept in ${this.dir}: ${kept}. Run again with the same settings and --resume to continue from there.`
        : 'Run cancelled before the first epoch finished; there is no checkpoint to resume from.',
    );
  }

  /** Called once the run's results are written: the checkpoints have served their purpose. */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  trainingPath(name: ExperimentName): string {
    return join(this.dir, `${name}.ckpt`);
  }

  private finishedPath(name: ExperimentName): string {
    return join(this.dir, `${name}.result.json`);
  }
}

export function checkpointDir(outDir: string): string {
  return join(outDir, 'checkpoints');
}

function parseJson<T>(schema: z.ZodType<T>, path: string): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new LabError('bad-data', `${path} is not readable JSON (${(err as Error).message}); run without --resume to start over`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw unreadable(path, parsed.error);
  return parsed.data;
}

function unreadable(path: string, error: z.ZodError): LabError {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return new LabError('bad-data', `${path} is not a checkpoint this version can read${where}: ${issue?.message ?? 'invalid'}; run without --resume to start over`);
}
