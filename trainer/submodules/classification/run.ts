import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ClassificationMetricsSchema,
  EXPERIMENT_NAMES,
  PROTOCOL_VERSION,
  THUMBNAIL_FOLDER,
  type ClassificationMetrics,
  type ExperimentResult,
  type Misclassified,
} from '../../../protocol/messages';
import { writeTextAtomic } from '../../checkpoint/atomicFile';
import type { Fingerprint } from '../../checkpoint/fingerprint';
import { LabError } from '../../core/labError';
import type { ClassificationExercise } from '../../learner/classificationExercise';
import { loadLearnerModule } from '../../learner/loadLearnerModule';
import { childSeed } from '../../core/random';
import { hashFile } from '../../data/download/md5';
import { SafetensorsFile } from '../../models/safetensors';
import { renderClassificationReport } from '../../report/classificationReport';
import type { RunContext } from '../../run/runContext';
import { recordedThreads, writeRunRecord } from '../../run/runRecord';
import { RunCheckpoints, type FinishedExperiment } from './checkpoints';
import { classCounts, datasetFlag, loadClassificationDataset, stratifiedSubset, type ClassificationDataset } from './dataset';
import { confusionMatrix, evaluate, predictions, type ScoredSplit } from './evaluate';
import { EXPERIMENTS, buildExperimentModel, type ExperimentSpec, type ModelShape } from './experiments';
import { REFERENCE_TRANSFER, transferFromModule } from './transfer';
import { CLASSIFICATION_PROFILES, TRAINING } from './profiles';
import { scoreSplit } from './scoring';
import { writeMisclassifiedThumbnails } from './thumbnails';
import { throwIfCancelled, trainExperiment } from './train';
import type { TrainingSnapshot } from './trainingState';
import { resolveWeights, type WeightsSource } from './weights';

export interface ClassificationRunOutput {
  metrics: ClassificationMetrics;
  metricsPath: string;
  reportPath: string;
}

/** Child-seed purposes, so the subset, the initial weights and the batch order never share a stream. */
const SEED_SUBSET = 1;
const SEED_BUILD = 2;
const SEED_ORDER = 3;
/** Test images kept per off-diagonal confusion cell, for thumbnails. */
const EXAMPLES_PER_CELL = 4;
/** Progress messages at most this often. */
const PROGRESS_MS = 100;

/**
 * The Classification submodule: ResNet-18 on a MedMNIST dataset three ways (A random init; B ImageNet
 * backbone frozen, new head; C ImageNet, everything trained) on the same rows in the same batch order,
 * scored with MedMNIST's ACC/AUC; then metrics.json, the run record and the HTML report.
 */
export async function runClassification(ctx: RunContext): Promise<ClassificationRunOutput> {
  const started = Date.now();
  const { params } = ctx;
  const log = (level: 'info' | 'warn', message: string): void => ctx.emit('run/log', { runId: params.runId, level, message });
  const flag = datasetFlag(params.dataset);
  const specs = selectExperiments(params.experiments);
  const profile = CLASSIFICATION_PROFILES[params.profile];
  const epochs = params.epochs ?? profile.epochs;
  const cacheDir = params.dataDir ?? join(homedir(), '.cache', 'biomed-dl-lab');
  const progress = throttledProgress(ctx);

  const dataset = await loadClassificationDataset(flag, params.dataDir, cacheDir, (bytes, total) =>
    progress.report(`downloading ${flag}: ${megabytes(bytes, total)}`, 0),
  );
  log('info', `dataset: ${dataset.file}`);
  for (const note of dataset.notes) log('warn', note);

  let weights: WeightsSource | undefined;
  let weightsFile: SafetensorsFile | undefined;
  if (specs.some((s) => s.start === 'imagenet')) {
    weights = await resolveWeights({
      ...(params.weightsFile ? { weightsFile: params.weightsFile } : {}),
      cacheDir,
      onProgress: (bytes, total) => progress.report(`downloading ImageNet weights: ${megabytes(bytes, total)}`, 0),
      log,
    });
    log('info', `ImageNet weights: ${weights.path} (${weights.verification}, SHA-256 ${weights.sha256})`);
    weightsFile = SafetensorsFile.read(weights.path);
  }

  const { data, info } = dataset;
  const classes = info.labels.length;
  const shape: ModelShape = { channels: info.channels, classes, size: data.splits.train.height };
  const trainRows = stratifiedSubset(data.splits.train.labels, classes, profile.trainImages, childSeed(params.seed, SEED_SUBSET));
  const datasetSha256 = (await hashFile(dataset.file, createHash('sha256'))).digest('hex');
  const fingerprint: Fingerprint = {
    seed: params.seed,
    dataset: flag,
    'dataset sha256': datasetSha256,
    profile: params.profile,
    epochs,
    'training images': trainRows.length,
    'learning rate': TRAINING.learningRate,
    momentum: TRAINING.momentum,
    'batch size': TRAINING.batchSize,
    // Another backend computes in another order: the resumed epochs would no longer match an uninterrupted run.
    backend: ctx.backend,
    // B and C are built by the learner's file: an edited file would resume someone else's network.
    'learner file sha256': params.learnerFile ? (await hashFile(params.learnerFile, createHash('sha256'))).digest('hex') : null,
  };
  const checkpoints = params.resume
    ? RunCheckpoints.resume(params.outDir, fingerprint)
    : RunCheckpoints.start(params.outDir, fingerprint, (message) => log('warn', message));
  log('info', `training on ${trainRows.length} of ${data.splits.train.count} training images for ${epochs} epoch(s); validating on ${data.splits.val.count}, testing on ${data.splits.test.count}`);

  // Work in image-passes: a trained image costs a forward and a backward pass (≈3 forwards); a head-only step,
  // a scored image and a frozen backbone's forward cost about one.
  const perExperiment = (s: ExperimentSpec): number => epochs * (trainRows.length * (s.trains === 'all' ? 3 : 1) + data.splits.val.count) + data.splits.test.count;
  progress.setTotal(specs.reduce((sum, s) => sum + perExperiment(s), 0));

  const transfer = await learnerTransfer(ctx, specs, shape, weightsFile);
  const finished: FinishedExperiment[] = [];
  const context = { dataset, shape, trainRows, epochs, weightsFile, transfer, progress, perExperiment };
  try {
    for (const spec of specs) {
      const startedFrom = spec.start === 'imagenet' && weights ? weights.sha256 : null;
      finished.push(await resumeOrRunExperiment(ctx, spec, context, checkpoints, { 'weights sha256': startedFrom }));
    }
  } catch (err) {
    throw checkpoints.explainCancel(err);
  }
  const results: ExperimentResult[] = finished.map((f) => f.result);
  progress.report('writing the report', 1, true);

  const metrics = ClassificationMetricsSchema.parse({
    submodule: 'classification',
    protocolVersion: PROTOCOL_VERSION,
    seed: params.seed,
    backend: ctx.backend,
    profile: params.profile,
    dataset: flag,
    task: info.task,
    classes: [...info.labels],
    image: { size: shape.size, channels: shape.channels },
    data: {
      file: dataset.file,
      classCounts: {
        train: classCounts(data.splits.train, classes, trainRows),
        val: classCounts(data.splits.val, classes),
        test: classCounts(data.splits.test, classes),
      },
      trainAvailable: data.splits.train.count,
    },
    training: { ...TRAINING, epochs },
    weights: weights ? { origin: weights.origin, file: weights.path, sha256: weights.sha256, verification: weights.verification } : null,
    experiments: results,
    wallSeconds: (Date.now() - started) / 1000,
  } satisfies ClassificationMetrics);

  mkdirSync(params.outDir, { recursive: true });
  const metricsPath = join(params.outDir, 'metrics.json');
  writeTextAtomic(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  ctx.emit('run/artifact', { runId: params.runId, kind: 'metrics', path: metricsPath });
  const thumbnails = writeMisclassifiedThumbnails(params.outDir, data.splits.test, results);
  ctx.emit('run/artifact', { runId: params.runId, kind: 'thumbnails', path: thumbnails.folder });

  const recordPath = writeRunRecord(params.outDir, {
    submodule: 'classification',
    seed: params.seed,
    profile: params.profile,
    backend: ctx.backend,
    backendVersion: ctx.backendVersion,
    threads: recordedThreads(ctx.backendThreads),
    dataset: { file: dataset.file, sha256: datasetSha256 },
    timings: Object.fromEntries(finished.map((f) => [f.result.name, [...f.epochSeconds]])),
    wallSeconds: metrics.wallSeconds,
    settings: {
      dataset: flag,
      weights: weights ?? null,
      training: metrics.training,
      trainImages: trainRows.length,
      experiments: results.map((r) => ({ name: r.name, wallSeconds: r.wallSeconds })),
      resumed: params.resume === true,
    },
  });
  ctx.emit('run/artifact', { runId: params.runId, kind: 'record', path: recordPath });

  const reportPath = join(params.outDir, 'report.html');
  writeTextAtomic(reportPath, await renderClassificationReport(metrics, { thumbnails: THUMBNAIL_FOLDER }));
  ctx.emit('run/artifact', { runId: params.runId, kind: 'report', path: reportPath });
  checkpoints.remove();
  return { metrics, metricsPath, reportPath };
}

/**
 * An experiment's result: kept from an earlier session if it finished there, otherwise trained, continuing
 * from its checkpoint when resuming. `own` is what the experiment's checkpoints depend on beyond the run's.
 */
async function resumeOrRunExperiment(
  ctx: RunContext,
  spec: ExperimentSpec,
  e: Omit<ExperimentContext, 'resume' | 'save'> & { perExperiment(spec: ExperimentSpec): number },
  checkpoints: RunCheckpoints,
  own: Fingerprint,
): Promise<FinishedExperiment> {
  const { runId } = ctx.params;
  const log = (message: string): void => ctx.emit('run/log', { runId, level: 'info', message });
  const before = checkpoints.finished(spec.name, own);
  if (before) {
    log(`experiment ${spec.name}: finished in an earlier session, result kept`);
    e.progress.advance(e.perExperiment(spec), `${spec.name}: finished earlier`);
    return before;
  }
  const resume = ctx.params.resume ? checkpoints.training(spec.name, own) : undefined;
  if (resume) {
    log(`experiment ${spec.name}: resuming after epoch ${resume.completedEpochs} of ${e.epochs}`);
    const test = e.dataset.data.splits.test.count;
    e.progress.advance((resume.completedEpochs * (e.perExperiment(spec) - test)) / e.epochs, `${spec.name}: resumed`);
  }
  return runExperiment(ctx, spec, {
    ...e,
    resume,
    save: {
      snapshot: (snapshot) => {
        checkpoints.saveTraining(spec.name, own, snapshot);
        ctx.emit('run/artifact', { runId, kind: 'checkpoint', path: checkpoints.trainingPath(spec.name) });
      },
      finished: (f) => checkpoints.saveFinished(spec.name, own, f),
    },
  });
}

interface ExperimentContext {
  dataset: ClassificationDataset;
  shape: ModelShape;
  trainRows: readonly number[];
  epochs: number;
  weightsFile: SafetensorsFile | undefined;
  transfer: ClassificationExercise;
  progress: Progress;
  /** This experiment's checkpoint from an earlier session, to continue from. */
  resume: TrainingSnapshot | undefined;
  save: { snapshot(snapshot: TrainingSnapshot): void; finished(finished: FinishedExperiment): void };
}

async function runExperiment(ctx: RunContext, spec: ExperimentSpec, e: ExperimentContext): Promise<FinishedExperiment> {
  const started = Date.now();
  const { runId, seed } = ctx.params;
  const { data } = e.dataset;
  const classes = e.shape.classes;
  const hooks = { isCancelled: () => ctx.isCancelled() };
  const network = buildExperimentModel(spec, e.shape, childSeed(seed, SEED_BUILD), e.weightsFile, e.transfer);
  const { model } = network;
  try {
    const perImage = spec.trains === 'all' ? 3 : 1;
    let epochNow = 0;
    const { records, epochSeconds } = await trainExperiment(
      { model, spec: network.spec, data, classes, trainRows: e.trainRows, epochs: e.epochs, seed: childSeed(seed, SEED_ORDER), ...(e.resume ? { resume: e.resume } : {}) },
      {
        ...hooks,
        onBatch: (epoch, batch, batches) => {
          epochNow = epoch;
          const rows = Math.min(TRAINING.batchSize, e.trainRows.length - batch * TRAINING.batchSize);
          e.progress.advance(rows * perImage, `${spec.name}: epoch ${epoch + 1}/${e.epochs}, batch ${batch + 1}/${batches}`, {
            epoch: { index: epoch + 1, count: e.epochs },
            batch: { index: batch + 1, count: batches },
          });
        },
        onScoreBatch: (rows) => e.progress.advance(rows, `${spec.name}: validating after epoch ${epochNow + 1}`),
        onEpoch: (r) => {
          ctx.emit('run/metric', { runId, model: spec.name, name: 'trainLoss', value: r.trainLoss, epoch: r.epoch });
          ctx.emit('run/metric', { runId, model: spec.name, name: 'valAcc', value: r.val.acc, epoch: r.epoch });
          ctx.emit('run/metric', { runId, model: spec.name, name: 'valAuc', value: r.val.auc, epoch: r.epoch });
        },
        onCheckpoint: e.save.snapshot,
      },
    );
    const test = data.splits.test;
    const scores = await scoreSplit(model, test, classes, (rows) => {
      throwIfCancelled(hooks);
      e.progress.advance(rows, `${spec.name}: testing`);
    });
    const scored: ScoredSplit = { task: data.task, labels: test.labels, scores, count: test.count, columns: classes };
    const result = evaluate(scored);
    ctx.emit('run/metric', { runId, model: spec.name, name: 'testAcc', value: result.acc });
    ctx.emit('run/metric', { runId, model: spec.name, name: 'testAuc', value: result.auc });
    // Time spent in earlier sessions counts as the epochs it trained; the time between sessions does not.
    const earlier = (e.resume?.epochSeconds ?? []).reduce((a, b) => a + b, 0);
    const finished: FinishedExperiment = {
      result: {
        name: spec.name,
        label: spec.label,
        start: spec.start,
        trains: spec.trains,
        epochs: [...records],
        test: result,
        confusion: confusionMatrix(scored),
        misclassified: misclassified(scored),
        wallSeconds: earlier + (Date.now() - started) / 1000,
      },
      epochSeconds,
    };
    e.save.finished(finished);
    return finished;
  } finally {
    network.dispose();
  }
}

/**
 * The learner's prepareForTransfer when a file is given, else the course's. Checked on B's and C's networks
 * before any training, so a mistake in the file is reported in seconds rather than after experiment A.
 */
async function learnerTransfer(ctx: RunContext, specs: readonly ExperimentSpec[], shape: ModelShape, weightsFile: SafetensorsFile | undefined): Promise<ClassificationExercise> {
  const file = ctx.params.learnerFile;
  if (!file) return REFERENCE_TRANSFER;
  const transfer = transferFromModule(await loadLearnerModule(file));
  for (const spec of specs) if (spec.start === 'imagenet') buildExperimentModel(spec, shape, childSeed(ctx.params.seed, SEED_BUILD), weightsFile, transfer).dispose();
  ctx.emit('run/log', { runId: ctx.params.runId, level: 'info', message: `experiments B and C use prepareForTransfer from ${file}` });
  return transfer;
}

/** The first few test rows (in file order) of every off-diagonal confusion cell that has any. */
function misclassified(split: ScoredSplit): Misclassified[] {
  const predicted = predictions(split);
  const cells = new Map<string, Misclassified>();
  predicted.forEach((p, i) => {
    const t = split.labels[i]!;
    if (p === t) return;
    const key = `${t},${p}`;
    const cell = cells.get(key) ?? { trueClass: t, predicted: p, count: 0, testIndices: [] };
    cell.count++;
    if (cell.testIndices.length < EXAMPLES_PER_CELL) cell.testIndices.push(i);
    cells.set(key, cell);
  });
  return [...cells.values()].sort((a, b) => a.trueClass - b.trueClass || a.predicted - b.predicted);
}

function selectExperiments(names: readonly string[] | undefined): ExperimentSpec[] {
  if (!names || names.length === 0) return [...EXPERIMENTS];
  const unknown = names.filter((n) => !(EXPERIMENT_NAMES as readonly string[]).includes(n.toUpperCase()));
  if (unknown.length > 0) throw new LabError('bad-request', `--experiment must be one of ${EXPERIMENT_NAMES.join(', ')} (got ${unknown.join(', ')})`);
  const wanted = new Set(names.map((n) => n.toUpperCase()));
  return EXPERIMENTS.filter((s) => wanted.has(s.name));
}

interface Progress {
  setTotal(units: number): void;
  /** Adds finished work and reports, at most every PROGRESS_MS. */
  advance(units: number, stage: string, position?: { epoch: { index: number; count: number }; batch: { index: number; count: number } }): void;
  report(stage: string, fraction: number, force?: boolean): void;
}

function throttledProgress(ctx: RunContext): Progress {
  let total = 1;
  let done = 0;
  let last = 0;
  const emit = (stage: string, fraction: number, force: boolean, extra: object = {}): void => {
    const now = Date.now();
    if (!force && now - last < PROGRESS_MS) return;
    last = now;
    ctx.emit('run/progress', { runId: ctx.params.runId, stage, fraction: Math.min(1, Math.max(0, fraction)), ...extra });
  };
  return {
    setTotal: (units) => {
      total = Math.max(1, units);
    },
    advance: (units, stage, position) => {
      done += units;
      emit(stage, done / total, false, position ?? {});
    },
    report: (stage, fraction, force = false) => emit(stage, fraction, force),
  };
}

function megabytes(bytes: number, total: number | undefined): string {
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  return total === undefined ? `${mb(bytes)} MB` : `${mb(bytes)} of ${mb(total)} MB`;
}
