/**
 * Scores what the harness measured against the key. Runs in the grader only. Every test gets a score
 * (partial where the test allows it), a learner-facing message that says what to do next, and an
 * instructor-facing detail. A hidden test's learner message is its `learner_hint` plus, at most, a generic
 * kind of failure: never its id, title, parameters, thresholds or anything the learner's code printed.
 */
import type { LearnerFailure, MeasurementValue } from './childProtocol';
import { judgeAugmentOutcome, judgeAugmentTransform, judgeMixedEpoch } from './judgeAugmentation';
import { judgeClassWeights, judgeClassifierOutcome, judgeWeightedLoss } from './judgeClassification';
import { judgePixelLoss, judgePixelWeights } from './judgeSegmentation';
import type { Interruption } from './runHarness';
import type { ChallengeTest } from './testSpec';

export type TestStatus = 'passed' | 'partial' | 'failed' | 'error';

export interface TestEvidence {
  value?: MeasurementValue;
  failure?: LearnerFailure;
  interruption?: Interruption;
  durationMs: number;
}

export interface JudgedTest {
  test: ChallengeTest;
  status: TestStatus;
  score: number;
  /** What the learner may read. */
  learnerMessage: string;
  /** Everything the instructor may want: measurements, thresholds, the learner's own error text. */
  instructorDetail: string;
  durationMs: number;
  location?: LearnerFailure['location'];
}

interface Verdict {
  fraction: number;
  /** The full explanation (public tests show it to the learner; hidden tests only to the instructor). */
  explanation: string;
}

export interface JudgeLimits {
  loadMs: number;
  learnerCallMs: number;
  memoryMb: number;
}

export function judge(test: ChallengeTest, evidence: TestEvidence, limits: JudgeLimits): JudgedTest {
  const base = { test, durationMs: evidence.durationMs };
  if (evidence.value) {
    const verdict = judgeValue(test, evidence.value);
    const fraction = Math.max(0, Math.min(1, verdict.fraction));
    const score = round(test.max_score * fraction);
    const status: TestStatus = score >= test.max_score ? 'passed' : score > 0 ? 'partial' : 'failed';
    const learnerMessage = !test.hidden ? verdict.explanation : status === 'passed' ? 'Passed.' : test.learner_hint!;
    return { ...base, status, score, learnerMessage, instructorDetail: `${verdict.explanation} Measured: ${JSON.stringify(evidence.value)}` };
  }
  const problem = describeProblem(evidence, limits);
  const graderFault = evidence.interruption?.phase === 'startup' && evidence.interruption.cause !== 'cancelled';
  const learnerMessage = test.hidden ? `${test.learner_hint!} (${problem.generic})` : problem.specific;
  return {
    ...base,
    status: graderFault ? 'error' : 'failed',
    score: 0,
    learnerMessage: graderFault ? 'The grader could not run this check (a grader problem, not your code); your instructor has the details.' : learnerMessage,
    instructorDetail: `${problem.specific}${evidence.interruption ? ` [${evidence.interruption.detail}]` : ''}`,
    ...(!test.hidden && evidence.failure?.location ? { location: evidence.failure.location } : {}),
  };
}

function judgeValue(test: ChallengeTest, value: MeasurementValue): Verdict {
  if (test.kind === 'exports' && value.kind === 'exports') {
    const problems = [
      ...(value.buildNetwork ? [] : ['export a function named buildNetwork(inputFeatures) that returns a tf.LayersModel']),
      ...(value.trainingProblem ? [value.trainingProblem] : []),
    ];
    return { fraction: 1 - problems.length / 2, explanation: problems.length ? `Fix: ${problems.join('; ')}.` : 'buildNetwork and training are exported correctly.' };
  }
  if (test.kind === 'architecture' && value.kind === 'architecture') return judgeArchitecture(test, value);
  if (test.kind === 'step_budget' && value.kind === 'training') {
    const perEpoch = Math.ceil(value.trainRows / value.batchSize);
    const steps = value.epochs * perEpoch;
    const ok = steps <= test.max_steps;
    return {
      fraction: ok ? 1 : 0,
      explanation:
        `${value.epochs} epochs × ${perEpoch} batches (${value.trainRows} training rows ÷ batchSize ${value.batchSize}) = ${steps} gradient steps; ` +
        (ok ? `within the limit of ${test.max_steps}.` : `the limit is ${test.max_steps}: lower epochs or raise batchSize.`),
    };
  }
  if (test.kind === 'outcome' && value.kind === 'outcome') return judgeOutcome(test, value.maes);
  if (test.kind === 'class_weights' && value.kind === 'class_weights') return judgeClassWeights(test, value);
  if (test.kind === 'weighted_loss' && value.kind === 'weighted_loss') return judgeWeightedLoss(test, value);
  if (test.kind === 'classifier_outcome' && value.kind === 'classifier_outcome') return judgeClassifierOutcome(test, value);
  if (test.kind === 'pixel_weights' && value.kind === 'pixel_weights') return judgePixelWeights(test, value);
  if (test.kind === 'pixel_loss' && value.kind === 'pixel_loss') return judgePixelLoss(test, value);
  if (test.kind === 'augment_transform' && value.kind === 'augment_transform') return judgeAugmentTransform(test, value);
  if (test.kind === 'mixed_epoch' && value.kind === 'mixed_epoch') return judgeMixedEpoch(test, value);
  if (test.kind === 'augment_outcome' && value.kind === 'augment_outcome') return judgeAugmentOutcome(test, value);
  return { fraction: 0, explanation: `internal: a ${value.kind} measurement cannot score a ${test.kind} test` };
}

const ACTIVATION_LAYERS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax']);

function judgeArchitecture(test: Extract<ChallengeTest, { kind: 'architecture' }>, value: Extract<MeasurementValue, { kind: 'architecture' }>): Verdict {
  const dense = value.layers.filter((l) => l.className === 'Dense');
  const last = value.layers.at(-1);
  const hidden = last?.className === 'Dense' ? dense.slice(0, -1) : dense;
  const nonLinear =
    hidden.some((l) => l.activation !== null && l.activation !== 'linear') ||
    value.layers.slice(0, -1).some((l) => ACTIVATION_LAYERS.has(l.className) && l.activation !== 'linear');
  const shape = (s: (number | null)[]): string => `[${s.map((d) => (d === null ? 'batch' : d)).join(', ')}]`;
  const criteria: [boolean, string][] = [
    [value.inputShape.length === 2 && value.inputShape[1] === test.input_features, `the input takes ${test.input_features} features (got ${shape(value.inputShape)}): use inputShape: [inputFeatures]`],
    [hidden.length >= test.min_hidden_dense, `at least ${test.min_hidden_dense} hidden dense layers before the output (found ${hidden.length})`],
    [nonLinear, 'a non-linear activation (e.g. relu) in the hidden layers: without one, stacked dense layers are still one linear map'],
    [value.outputShape.length === 2 && value.outputShape[1] === 1, `one output unit (got ${shape(value.outputShape)})`],
    [last?.className === 'Dense' && (last.activation === null || last.activation === 'linear'), 'the last layer is a dense layer with no activation, since it predicts the scaled radius'],
  ];
  const missing = criteria.filter(([ok]) => !ok).map(([, what]) => what);
  return {
    fraction: (criteria.length - missing.length) / criteria.length,
    explanation: missing.length ? `Still needed: ${missing.join('; ')}.` : `The network has ${hidden.length} hidden dense layers with a non-linear activation and one linear output.`,
  };
}

function judgeOutcome(test: Extract<ChallengeTest, { kind: 'outcome' }>, maes: (number | null)[]): Verdict {
  if (maes.some((m) => m === null)) {
    return { fraction: 0, explanation: 'Training diverged (the error became NaN or infinite): lower the learning rate.' };
  }
  const mean = (maes as number[]).reduce((a, b) => a + b, 0) / maes.length;
  const fraction = (test.zero_credit_mae - mean) / (test.zero_credit_mae - test.full_credit_mae);
  const where = `${maes.length} split${maes.length > 1 ? 's' : ''}, ${test.feature_set === 'all' ? 'all measurements' : 'without size columns'}`;
  const bounds = `full marks at ≤ ${fmt(test.full_credit_mae)}, none at ≥ ${fmt(test.zero_credit_mae)}`;
  const advice = fraction >= 1 ? '' : ' Check the learning rate and the number of epochs (step 3 of the walkthrough): an unconverged network has a high error.';
  return {
    fraction,
    explanation: `Mean absolute error ${fmt(mean)} radius units (${where}); ${bounds}.${advice}`,
  };
}

/** Two sentences per problem: one exact (public tests, instructor) and one that reveals nothing (hidden tests). */
function describeProblem(evidence: TestEvidence, limits: JudgeLimits): { specific: string; generic: string } {
  const { failure, interruption } = evidence;
  if (failure) return describeFailure(failure, limits);
  const i = interruption!;
  const seconds = (ms: number | undefined): string => (ms ? `${Math.round(ms / 100) / 10} s` : 'its time limit');
  switch (i.cause) {
    case 'timeout':
      return i.phase === 'load'
        ? { specific: `Your file did not finish loading within ${seconds(limits.loadMs)}: look for an endless loop or heavy work at the top level.`, generic: 'your file took too long to load' }
        : i.phase === 'startup'
          ? { specific: 'The grader did not start in time.', generic: 'the grader did not start in time' }
          : { specific: `This check did not finish within ${seconds(i.limitMs)}: make training cheaper (fewer epochs, a larger batch, a smaller network).`, generic: 'your code took longer than allowed' };
    case 'call-timeout':
      return {
        specific: `A call into your code (one of the functions the challenge asks for, or reading its settings) did not return within ${seconds(limits.learnerCallMs)}: look for an endless loop or needlessly heavy work.`,
        generic: 'a call into your code did not return in time',
      };
    case 'overall-timeout':
      return { specific: 'Grading of this submission ran out of its overall time before this check could finish.', generic: 'grading ran out of time' };
    case 'memory':
      return { specific: `Your code used more memory than grading allows (${limits.memoryMb} MB).`, generic: 'your code used too much memory' };
    case 'exited':
      return {
        specific: 'The grading process ended before this check reported back: does your code call process.exit() or otherwise end the process?',
        generic: 'your code ended the grading process',
      };
    case 'crashed':
      return { specific: `Your code crashed the grading process${networkHint(i.detail)}.`, generic: 'your code crashed the grading process' };
    case 'cancelled':
      return { specific: 'Grading was cancelled before this check ran.', generic: 'grading was cancelled' };
  }
}

function describeFailure(failure: LearnerFailure, limits: JudgeLimits): { specific: string; generic: string } {
  const text = truncate(failure.message);
  if (MEMORY_TEXT.test(failure.message)) return { specific: `Your code used more memory than grading allows (${limits.memoryMb} MB): ${text}`, generic: 'your code used too much memory' };
  switch (failure.cause) {
    case 'access-denied':
      return {
        specific: `Your code tried to do something grading does not allow (files outside its own folder, the network, other processes, ending the process): ${text}`,
        generic: 'your code tried to do something grading does not allow',
      };
    case 'tampered':
      return {
        specific: `Your code tried to change a built-in object, which grading does not allow (built-ins are frozen so checks cannot be faked): ${text}`,
        generic: 'your code tried to change a built-in object',
      };
    case 'invalid':
      return { specific: text, generic: 'your code does not meet the challenge rules' };
    case 'threw':
      return { specific: NETWORK_TEXT.test(failure.message) ? `${text}: there is no network access while grading` : text, generic: 'your code threw an error' };
  }
}

const MEMORY_TEXT = /allocation failed|Invalid array length|Invalid typed array length|out of memory/i;

const NETWORK_TEXT = /ENETUNREACH|ECONNREFUSED|EAI_AGAIN|ENOTFOUND|getaddrinfo|network/i;

function networkHint(text: string): string {
  return NETWORK_TEXT.test(text) ? ` (${firstLine(text)}): there is no network access while grading` : `: ${truncate(firstLine(text))}`;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

function truncate(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function fmt(x: number): string {
  return x.toFixed(3);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
