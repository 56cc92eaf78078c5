import { isSubmodule, pickSubmodule } from '../submodules';
import type { LabCommand } from './types';

/** Runs a submodule's lab, asking which one unless a command link names it. */
export const run: LabCommand = async (c, submodule) => {
  const id = isSubmodule(submodule) ? submodule : await pickSubmodule('runnable', 'Which lab do you want to run?');
  if (id) await c.runs.start(id);
};
