/**
 * The grading harness: the only process that runs a learner's code. The parent starts it inside the
 * sandbox (no network, file access limited by Node's permission model, time and memory limits) and talks
 * to it over fd 3. Order matters: the request (with the nonce) is read and the realm hardened before the
 * learner's file is evaluated.
 */
import * as bundledTf from '@tensorflow/tfjs';
import { useNamespace } from '../../backend/tf';
import { LabError } from '../../core/labError';
import { readMedmnistNpz, expectationFor } from '../../data/medmnist/load';
import { CHALLENGE_DATASET } from '../../submodules/classification/challengeData';
import { loadRegressionTable } from '../../submodules/regression/dataset';
import type { HarnessRequest, LearnerFailure, MeasurementRequest, MeasurementValue } from '../childProtocol';
import { openChannel } from './channel';
import { evaluateLearnerBundle } from '../../learner/evaluateLearnerBundle';
import { hardenNamespace, hardenRealm } from './harden';
import { InvalidSubmission, measure, type MeasureContext } from './measure';
import { measureAugmentation } from './measureAugmentation';
import { measureClassification } from './measureClassification';
import { measureSegmentation } from './measureSegmentation';

async function main(): Promise<void> {
  const exit: (code?: number) => never = process.exit.bind(process);
  const channel = openChannel();
  const { request, send } = channel;
  // The pure-JS backend: identical numbers on every grading machine, and no wasm memory reservation,
  // which an address-space limit would refuse.
  await bundledTf.setBackend('cpu');
  await bundledTf.ready();
  useNamespace(bundledTf);
  const measureWith = await dataFor(request);
  const random = hardenRealm();
  hardenNamespace(bundledTf);
  send({ t: 'ready' });

  let currentRef: string | undefined;
  const learner = <T>(fn: () => T): T => {
    if (currentRef) send({ t: 'call', ref: currentRef });
    const value = fn();
    if (currentRef) send({ t: 'return', ref: currentRef });
    return value;
  };

  send({ t: 'load' });
  let mod;
  try {
    mod = evaluateLearnerBundle(request.entryFile, request.bundle.code, request.bundle.map);
  } catch (err) {
    send({ t: 'load-failed', failure: describeFailure(err) });
    exit(0);
  }
  send({ t: 'loaded' });

  for (const m of request.measurements) {
    currentRef = m.ref;
    send({ t: 'start', ref: m.ref });
    try {
      send({ t: 'result', ref: m.ref, value: await measureWith({ mod, random, learner }, m) });
    } catch (err) {
      send({ t: 'failed', ref: m.ref, failure: describeFailure(err) });
    }
  }
  send({ t: 'done' });
  exit(0);
}

type Measure = (ctx: Omit<MeasureContext, 'table'>, m: MeasurementRequest) => Promise<MeasurementValue>;

/** Reads the challenge's data before any learner code runs, and picks the measurements that use it. */
async function dataFor(request: HarnessRequest): Promise<Measure> {
  if (request.submodule === 'segmentation') return (ctx, m) => measureSegmentation(ctx, m);
  if (request.submodule === 'classification' || request.submodule === 'augmentation') {
    // The split sizes may differ from the catalog's (a course cut of the data); shapes and labels may not.
    const dataset = await readMedmnistNpz(required(request.dataFile), { ...expectationFor(CHALLENGE_DATASET, 28), samples: undefined });
    return request.submodule === 'classification' ? (ctx, m) => measureClassification({ ...ctx, dataset }, m) : (ctx, m) => measureAugmentation({ ...ctx, dataset }, m);
  }
  const table = loadRegressionTable(required(request.dataFile));
  return (ctx, m) => measure({ ...ctx, table }, m);
}

function required(dataFile: string | undefined): string {
  if (dataFile === undefined) throw new Error('internal: this challenge needs its data file and the grader sent none');
  return dataFile;
}

function describeFailure(err: unknown): LearnerFailure {
  const message = err instanceof Error ? err.message : String(err);
  const root = LabError.is(err) ? ((err as { cause?: unknown }).cause ?? err) : err;
  const code = (root as NodeJS.ErrnoException | undefined)?.code;
  const cause: LearnerFailure['cause'] =
    code === 'ERR_ACCESS_DENIED'
      ? 'access-denied'
      : err instanceof InvalidSubmission || LabError.is(err, 'learner-compile')
        ? 'invalid'
        : root instanceof TypeError && /read only|not extensible|Cannot (assign|add|redefine|define)/.test(root.message)
          ? 'tampered'
          : 'threw';
  const location = LabError.is(err) ? err.location : undefined;
  return { cause, message, ...(location ? { location } : {}) };
}

void main();
