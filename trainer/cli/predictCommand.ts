/**
 * `biomed-lab predict`: logits of a network with PyTorch weights for a stored batch, to check an imported
 * checkpoint against PyTorch's own numbers.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BACKEND_CHOICES, type BackendChoice } from '../../protocol/messages';
import { selectBackend } from '../backend/ladder';
import { LabError } from '../core/labError';
import { PREDICT_MODELS, predictFromFiles, type PredictModel, type PredictOptions } from '../models/predict';
import { nativeSearchPaths, wasmDir } from '../run/paths';

const USAGE = `Usage: biomed-lab predict --weights FILE.safetensors --input X.npy [options]

Options:
  --model NAME        network structure: ${PREDICT_MODELS.join(', ')} (default resnet18)
  --weights FILE      a torchvision-layout state dict in .safetensors form
  --input FILE        an N×H×W×C float32 .npy batch, channels last, already normalised
  --classes N         classes of the head (default: read from the file's fc.bias)
  --backend B         auto|gpu|node|wasm|cpu (default auto)
  --json              print {"logits": [[...], ...]} on one line
`;

/** Where the command writes; the process's streams unless a caller (a test) passes its own. */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

class UsageError extends Error {}

/** Runs the verb with the arguments that follow `predict`; resolves to the process exit code. */
export async function runPredictCommand(argv: string[], output: CommandOutput = process): Promise<number> {
  let parsed: { options: PredictOptions; backend: BackendChoice; json: boolean };
  try {
    parsed = parse(argv);
  } catch (err) {
    // A UsageError, or parseArgs's own TypeError for an unknown or malformed option.
    const message = (err as Error).message;
    output.stderr.write(`${message ? `biomed-lab predict: ${message}\n\n` : ''}${USAGE}`);
    return message ? 2 : 0;
  }
  try {
    const selected = await selectBackend({ choice: parsed.backend, searchPaths: nativeSearchPaths(), wasmDir: wasmDir() });
    output.stderr.write(`backend ${selected.backend} ${selected.version}\n`);
    const { logits } = await predictFromFiles(parsed.options);
    if (parsed.json) output.stdout.write(`${JSON.stringify({ logits })}\n`);
    else logits.forEach((row, i) => output.stdout.write(`${i}\tclass ${argmax(row)}\t${row.map((v) => v.toFixed(5)).join(' ')}\n`));
    return 0;
  } catch (err) {
    if (!LabError.is(err)) throw err;
    output.stderr.write(`biomed-lab predict: ${err.message}\n`);
    return 1;
  }
}

function parse(argv: string[]): { options: PredictOptions; backend: BackendChoice; json: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: 'resnet18' },
      weights: { type: 'string' },
      input: { type: 'string' },
      classes: { type: 'string' },
      backend: { type: 'string', default: 'auto' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) throw new UsageError('');
  if (!(PREDICT_MODELS as readonly string[]).includes(values.model)) {
    throw new UsageError(`--model must be one of ${PREDICT_MODELS.join(', ')}, not "${values.model}"`);
  }
  if (!values.weights) throw new UsageError('--weights FILE.safetensors is required');
  if (!values.input) throw new UsageError('--input X.npy is required');
  if (!(BACKEND_CHOICES as readonly string[]).includes(values.backend)) {
    throw new UsageError(`--backend must be one of ${BACKEND_CHOICES.join(', ')}, not "${values.backend}"`);
  }
  const classes = values.classes === undefined ? undefined : Number(values.classes);
  if (classes !== undefined && !(Number.isInteger(classes) && classes > 0)) {
    throw new UsageError(`--classes must be a positive whole number, not "${values.classes}"`);
  }
  return {
    json: values.json,
    backend: values.backend as BackendChoice,
    options: {
      model: values.model as PredictModel,
      weightsFile: resolve(values.weights),
      inputFile: resolve(values.input),
      ...(classes !== undefined ? { classes } : {}),
    },
  };
}

function argmax(row: readonly number[]): number {
  return row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);
}
