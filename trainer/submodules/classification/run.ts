import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ClassificationMetricsSchema,
  EXPERIMENT_NAMES,
  PROTOCOL_VERSION,
  type ClassificationMetrics,
  type ExperimentResult,
  type Misclassified,
} from '../../../protocol/messages';
import { LabError } from '../../core/labError';
import { childSeed } from '../../core/random';
import { hashFile } from '../../data/download/md5';
import { SafetensorsFile } from '../../models/safetensors';
import { renderClassificationReport } from '../../report/classificationReport';
import type { RunContext } from '../../run/runContext';
import { writeRunRecord } from '../../run/runRecord';
import { classCounts, datasetFlag, loadClassificationDataset, stratifiedSubset, type ClassificationDataset } from './dataset';
import { confusionMatrix, evaluate, predictions, type ScoredSplit } from './evaluate';
import { EXPERIMENTS, buildExperimentModel, type ExperimentSpec, type ModelShape } from './experiments';
import { CLASSIFICATION_PROFILES, TRAINING } from './profiles';
import { scoreSplit } from './scoring';
import { throwIfCancelled, trainExperiment } from './train';
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
  log('info', `training on ${trainRows.length} of ${data.splits.train.count} training images for ${epochs} epoch(s); validating on ${data.splits.val.count}, testing on ${data.splits.test.count}`);

  // Work in image-passes: a trained image costs a forward and a backward pass (≈3 forwards); a head-only step,
  // a scored image and a frozen backbone's forward cost about one.
  const perExperiment = (s: ExperimentSpec): number => epochs * (trainRows.length * (s.trains === 'all' ? 3 : 1) + data.splits.val.count) + data.splits.test.count;
  progress.setTotal(specs.reduce((sum, s) => sum + perExperiment(s), 0));

  const results: ExperimentResult[] = [];
  for (const spec of specs) {
    results.push(await runExperiment(ctx, spec, { dataset, shape, trainRows, epochs, weightsFile, progress }));
  }
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
  writeFileSync(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  ctx.emit('run/artifact', { runId: params.runId, kind: 'metrics', path: metricsPath });

  const recordPath = writeRunRecord(params.outDir, {
    submodule: 'classification',
    seed: params.seed,
    backend: ctx.backend,
    backendVersion: ctx.backendVersion,
    backendThreads: ctx.backendThreads,
    profile: params.profile,
    dataset: { flag, file: dataset.file, sha256: (await hashFile(dataset.file, createHash('sha256'))).digest('hex') },
    weights: weights ?? null,
    training: metrics.training,
    trainImages: trainRows.length,
    experiments: results.map((r) => ({ name: r.name, wallSeconds: r.wallSeconds })),
    wallSeconds: metrics.wallSeconds,
  });
  ctx.emit('run/artifact', { runId: params.runId, kind: 'record', path: recordPath });

  const reportPath = join(params.outDir, 'report.html');
  writeFileSync(reportPath, await renderClassificationReport(metrics));
  ctx.emit('run/artifact', { runId: params.runId, kind: 'report', path: reportPath });
  return { metrics, metricsPath, reportPath };
}

interface ExperimentContext {
  dataset: ClassificationDataset;
  shape: ModelShape;
  trainRows: readonly number[];
  epochs: number;
  weightsFile: SafetensorsFile | undefined;
  progress: Progress;
}

async function runExperiment(ctx: RunContext, spec: ExperimentSpec, e: ExperimentContext): Promise<ExperimentResult> {
  const started = Date.now();
  const { runId, seed } = ctx.params;
  const { data } = e.dataset;
  const classes = e.shape.classes;
  const hooks = { isCancelled: () => ctx.isCancelled() };
  const model = buildExperimentModel(spec, e.shape, childSeed(seed, SEED_BUILD), e.weightsFile);
  try {
    const perImage = spec.trains === 'all' ? 3 : 1;
    let epochNow = 0;
    const records = await trainExperiment(
      { model, spec, data, classes, trainRows: e.trainRows, epochs: e.epochs, seed: childSeed(seed, SEED_ORDER) },
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
    return {
      name: spec.name,
      label: spec.label,
      start: spec.start,
      trains: spec.trains,
      epochs: records,
      test: result,
      confusion: confusionMatrix(scored),
      misclassified: misclassified(scored),
      wallSeconds: (Date.now() - started) / 1000,
    };
  } finally {
    model.dispose();
  }
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
