import { isSubmodule, pickSubmodule } from '../submodules';
import type { LabCommand } from './types';

/** Opens a submodule's quiz; walkthrough links pass the submodule, the palette asks. */
export const openQuiz: LabCommand = async (c, submodule) => {
  const id = isSubmodule(submodule) ? submodule : await pickSubmodule('quiz', 'Which quiz do you want to take?');
  if (id) await c.quiz.show(id);
};
