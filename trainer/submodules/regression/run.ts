import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ModelResult, RegressionMetrics } from '../../../protocol/messages';
import { PROTOCOL_VERSION } from '../../../protocol/messages';
import { writeTextAtomic } from '../../checkpoint/atomicFile';
import { randomSplits } from '../../core/splits';
import { LabError } from '../../core/labError';
import { pearson, summarize } from '../../core/stats';
import { loadLearnerModule } from '../../learner/loadLearnerModule';
import type { RegressionExercise } from '../../learner/regressionExercise';
import { nativeSearchPaths, wasmDir } from '../../run/paths';
import type { RunContext } from '../../run/runContext';
import { writeRunRecord } from '../../run/runRecord';
import { renderRegressionReport } from '../../report/regressionReport';
import { baselineModels } from './baselines';
import { FEATURE_SETS, MEASUREMENT_COLUMNS, TARGET, TARGET_UNITS, embeddedDatasetPath, loadRegressionTable, selectColumns } from './dataset';
import { COURSE_NETWORK, exerciseFromModule } from './exercise';
import { REGRESSION_PROFILES } from './profiles';
import { modelName, modelsFor, type SplitOutcome } from './splitJob';
import { runSplitsInPool } from './splitPool';

export interface RegressionRunOutput {
  metrics: RegressionMetrics;
  metricsPath: string;
  reportPath: string;
}

/**
 * The Regression submodule: 100 seeded 2:1 splits of the Breast Cancer Wisconsin table; on each, the ml.js
 * baselines and the learner's network, scored in the radius's own units; then metrics.json, a trace for the
 * PyTorch cross-check, a run record and the HTML report.
 */
export async function runRegression(ctx: RunContext): Promise<RegressionRunOutput> {
  const started = Date.now();
  const { params } = ctx;
  if (params.resume) throw new LabError('bad-request', '--resume continues an interrupted Classification run; a Regression run keeps no checkpoints, run it again without --resume.');
  const profile = REGRESSION_PROFILES[params.profile];
  // A data folder is a cache for downloaded datasets; this table ships with the lab, so a copy there is optional.
  const inDataDir = params.dataDir ? join(params.dataDir, 'breast_cancer_wisconsin.csv') : undefined;
  const dataFile = inDataDir && existsSync(inDataDir) ? inDataDir : embeddedDatasetPath();
  ctx.emit('run/log', { runId: params.runId, level: 'info', message: `dataset: ${dataFile}` });
  const table = loadRegressionTable(dataFile);
  // Loaded here too, not only in the workers, so a mistake in the learner's file is reported before any work starts.
  const exercise: RegressionExercise = params.learnerFile ? exerciseFromModule(await loadLearnerModule(params.learnerFile)) : COURSE_NETWORK;
  exercise.buildNetwork(FEATURE_SETS[0]!.features.length).dispose();
  const splits = randomSplits(table.values.length, params.splits ?? profile.splits, profile.trainFraction, params.seed);
  const baselines = baselineModels(profile.forest);

  const networkLabel = params.learnerFile ? 'Neural network (your file)' : 'Neural network (one dense layer)';
  const modelOrder = FEATURE_SETS.flatMap((set) => [
    ...modelsFor(set, baselines).map((b) => ({ name: modelName(b.name, set.name), label: b.label, featureSet: set.name })),
    { name: modelName('network', set.name), label: networkLabel, featureSet: set.name },
  ]);

  // Progress counts epochs and fitted models; a network epoch and a baseline fit cost about the same here.
  const perSplit = FEATURE_SETS.reduce((sum, set) => sum + modelsFor(set, baselines).length + exercise.training.epochs, 0);
  const total = splits.length * perSplit;
  let done = 0;
  let lastReport = 0;
  const report = (stage: string, split: number, epoch?: { index: number; count: number }): void => {
    const now = Date.now();
    if (now - lastReport < 100) return;
    lastReport = now;
    ctx.emit('run/progress', {
      runId: params.runId,
      stage,
      fraction: Math.min(1, done / total),
      split: { index: split, count: splits.length },
      ...(epoch ? { epoch } : {}),
    });
  };
  const workers = params.workers ?? availableParallelism();
  const splitSeconds: number[] = new Array<number>(splits.length).fill(0);
  ctx.emit('run/log', { runId: params.runId, level: 'info', message: `training ${splits.length} splits on ${workers} worker thread(s)` });
  const outcomes = await runSplitsInPool(
    {
      dataFile,
      ...(params.learnerFile ? { learnerFile: params.learnerFile } : {}),
      backend: ctx.backend,
      wasmDir: wasmDir(),
      nativeSearchPaths: nativeSearchPaths(),
      seed: params.seed,
      profile: params.profile,
    },
    splits,
    workers,
    {
      onModel: (split, e) => {
        done++;
        ctx.emit('run/metric', { runId: params.runId, model: e.model, name: 'mae', value: e.mae, split });
        ctx.emit('run/metric', { runId: params.runId, model: e.model, name: 'rmse', value: e.rmse, split });
        report(`${e.model} on split ${split + 1}/${splits.length}`, split);
      },
      onEpoch: (split, model, epoch) => {
        done++;
        report(`${model} on split ${split + 1}/${splits.length}`, split, { index: epoch + 1, count: exercise.training.epochs });
      },
      onSplit: (split, seconds) => {
        splitSeconds[split] = seconds;
      },
      isCancelled: () => ctx.isCancelled(),
    },
  );
  ctx.emit('run/progress', { runId: params.runId, stage: 'writing the report', fraction: 1 });

  const metrics: RegressionMetrics = {
    submodule: 'regression',
    protocolVersion: PROTOCOL_VERSION,
    seed: params.seed,
    backend: ctx.backend,
    profile: params.profile,
    target: TARGET,
    units: TARGET_UNITS,
    splits: { count: splits.length, trainRows: splits[0]!.train.length, testRows: splits[0]!.test.length },
    featureSets: FEATURE_SETS.map((f) => ({ name: f.name, label: f.label, features: [...f.features] })),
    models: modelOrder.map((m) => modelResult(m, outcomes)),
    featureRanking: averageRanking(outcomes),
    correlation: correlationMatrix(table),
    training: exercise.training,
    networkCurve: outcomes[0]!.curve,
    wallSeconds: (Date.now() - started) / 1000,
  };

  mkdirSync(params.outDir, { recursive: true });
  const metricsPath = join(params.outDir, 'metrics.json');
  writeTextAtomic(metricsPath, `${JSON.stringify(metrics, null, 2)}\n`);
  ctx.emit('run/artifact', { runId: params.runId, kind: 'metrics', path: metricsPath });

  const tracePath = join(params.outDir, 'trace.json');
  const trace = {
    seed: params.seed,
    target: TARGET,
    featureSets: metrics.featureSets,
    training: exercise.training,
    splits: outcomes.map((o) => ({ train: splits[o.index]!.train, test: splits[o.index]!.test, networkInitialWeights: o.networkInitialWeights })),
  };
  writeTextAtomic(tracePath, JSON.stringify(trace));
  ctx.emit('run/artifact', { runId: params.runId, kind: 'trace', path: tracePath });

  const recordPath = writeRunRecord(params.outDir, {
    submodule: 'regression',
    seed: params.seed,
    profile: params.profile,
    backend: ctx.backend,
    backendVersion: ctx.backendVersion,
    // Each split worker owns a wasm engine on one thread; the parallelism is the workers (settings.workers).
    threads: { count: 1, source: 'per split worker' },
    dataset: { file: dataFile, sha256: createHash('sha256').update(readFileSync(dataFile)).digest('hex') },
    timings: { splits: splitSeconds },
    wallSeconds: metrics.wallSeconds,
    settings: { workers, learnerFile: params.learnerFile ?? null, training: exercise.training },
  });
  ctx.emit('run/artifact', { runId: params.runId, kind: 'record', path: recordPath });

  const reportPath = join(params.outDir, 'report.html');
  writeTextAtomic(reportPath, await renderRegressionReport(metrics));
  ctx.emit('run/artifact', { runId: params.runId, kind: 'report', path: reportPath });
  return { metrics, metricsPath, reportPath };
}

function modelResult(m: { name: string; label: string; featureSet: string }, outcomes: readonly SplitOutcome[]): ModelResult {
  const perSplit = { mae: [] as number[], rmse: [] as number[] };
  for (const o of outcomes) {
    const e = o.errors.find((x) => x.model === m.name)!;
    perSplit.mae.push(e.mae);
    perSplit.rmse.push(e.rmse);
  }
  return { ...m, mae: summarize(perSplit.mae), rmse: summarize(perSplit.rmse), perSplit };
}

function averageRanking(outcomes: readonly SplitOutcome[]): RegressionMetrics['featureRanking'] {
  return outcomes[0]!.ranking
    .map((r, j) => ({
      feature: r.feature,
      fScore: summarize(outcomes.map((o) => o.ranking[j]!.fScore)).mean,
      mutualInformation: summarize(outcomes.map((o) => o.ranking[j]!.mutualInformation)).mean,
    }))
    .sort((a, b) => b.fScore - a.fScore);
}

/** Pearson correlations over all rows: a description of the table, not an input to any model. */
function correlationMatrix(table: ReturnType<typeof loadRegressionTable>): RegressionMetrics['correlation'] {
  const rows = table.values.map((_, i) => i);
  const columns = MEASUREMENT_COLUMNS.map((c) => selectColumns(table, [c], rows).map((r) => r[0]!));
  return { features: [...MEASUREMENT_COLUMNS], matrix: columns.map((a) => columns.map((b) => pearson(a, b))) };
}
