/**
 * Makes the realm the learner's code shares with the harness tamper-resistant before that code runs:
 * built-ins the harness and TensorFlow.js rely on are frozen and their global bindings locked (so a
 * learner cannot make JSON.stringify, Promise.prototype.then or Math.abs lie to the measurement), and the
 * process capabilities a learner could use to reach Node's internals, other processes or the exit path
 * are removed. The OS-level sandbox (no network, file-system permissions, limits) does not depend on this;
 * this protects the integrity of the measurements.
 */
const FROZEN_GLOBALS = [
  'Object', 'Function', 'Array', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Math', 'JSON', 'Reflect',
  'Promise', 'Map', 'Set', 'WeakMap', 'WeakSet', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics',
  'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array', 'Uint8Array', 'Uint8ClampedArray',
  'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array', 'Buffer', 'Error',
] as const;

/** Prototypes are left open where instances legitimately assign inherited names (err.name = ..., the override mistake). */
const OPEN_PROTOTYPES = new Set(['Error']);

/**
 * Removed from `process`: module loaders, native bindings, signalling and exiting. (`reallyExit` stays:
 * Node's own exit path calls it; a learner calling it directly ends the process without a final report,
 * which the parent reports as such.)
 */
const STRIPPED_PROCESS = ['getBuiltinModule', 'mainModule', 'binding', '_linkedBinding', 'dlopen', 'kill', 'abort', 'exit'] as const;

/** Lets the harness seed Math.random while a network is built (see splitJob.ts) after Math is frozen. */
export interface RandomSource {
  withSeed<T>(next: () => number, build: () => T): T;
}

export function hardenRealm(): RandomSource {
  const original = Math.random;
  let source = original;
  Math.random = () => source();
  const global = globalThis as unknown as Record<string, unknown>;
  for (const name of FROZEN_GLOBALS) {
    const value = global[name];
    if (value === undefined) continue;
    Object.defineProperty(globalThis, name, { value, writable: false, configurable: false, enumerable: false });
    Object.freeze(value);
    const proto = (value as { prototype?: unknown }).prototype;
    if (proto && typeof proto === 'object' && !OPEN_PROTOTYPES.has(name)) Object.freeze(proto);
  }
  // The shared parent of every typed array's prototype.
  Object.freeze(Object.getPrototypeOf(Float32Array.prototype));
  Object.freeze(Object.getPrototypeOf(Float32Array));
  // Async functions and generators resolve through these, whatever the global bindings say.
  Object.freeze(Object.getPrototypeOf(async function () {}));
  Object.freeze(Object.getPrototypeOf(function* () {}));

  for (const name of STRIPPED_PROCESS) {
    const message = `process.${name} is not available while your challenge is graded.`;
    // The same code as Node's own permission errors, so both read as "outside what grading allows".
    const stub = name === 'mainModule' ? undefined : () => {
      throw Object.assign(new Error(message), { code: 'ERR_ACCESS_DENIED' });
    };
    Object.defineProperty(process, name, { value: stub, writable: false, configurable: false });
  }
  return {
    withSeed(next, build) {
      source = next;
      try {
        return build();
      } finally {
        source = original;
      }
    },
  };
}

/**
 * Freezes the TensorFlow.js surface the learner imports (its sub-namespaces and its classes' methods), so
 * `tf.train.sgd` or `tf.LayersModel.prototype.predict` cannot be swapped. Constructors themselves stay
 * open: tfjs keeps counters in static fields.
 */
export function hardenNamespace(ns: object): void {
  for (const key of Object.keys(ns)) {
    const value = (ns as Record<string, unknown>)[key];
    if (typeof value === 'function') {
      const proto = (value as { prototype?: unknown }).prototype;
      if (proto && typeof proto === 'object') freezeChain(proto);
    } else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      Object.freeze(value);
    }
  }
}

function freezeChain(proto: object): void {
  for (let p: object | null = proto; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) Object.freeze(p);
}
