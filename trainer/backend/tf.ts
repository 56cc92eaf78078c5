/**
 * The TensorFlow.js namespace every trainer module uses. It starts as the bundled pure-JS/wasm build and is
 * switched to a native build's own namespace when the backend ladder loads one: a native module brings its
 * own copy of tfjs-core, and tensors from two copies cannot be mixed, so all code must go through this one.
 */
import * as bundled from '@tensorflow/tfjs';

export type Tf = typeof bundled;

let active: Tf = bundled;

export const tf: Tf = new Proxy({} as Tf, {
  get: (_target, key) => Reflect.get(active, key),
});

export function useNamespace(ns: Tf): void {
  active = ns;
}

export function bundledNamespace(): Tf {
  return bundled;
}

export function activeNamespace(): Tf {
  return active;
}
