/**
 * Which class gradebook to show again after a window reload: the folders of the last grading run whose
 * grader started writing its files (a run stopped by the reload included). Only the folders are kept (in
 * workspaceState): the gradebook itself is always read back from the grader's files, so the panel shows
 * what is on disk, not a copy that may have drifted.
 */
import { z } from 'zod';

export const GradedRunSchema = z.object({
  /** The submissions folder's name, the panel's title. */
  title: z.string(),
  submissions: z.string().min(1),
  /** The key folder, for "Grade Again"; absent in a run remembered before it was kept. */
  key: z.string().min(1).optional(),
  /** The challenge file inside each submission ("Open submission"). */
  entry: z.string().min(1),
  /** Where the grader wrote gradebook.csv, instructor/ and feedback/. */
  outDir: z.string().min(1),
});
export type GradedRun = z.infer<typeof GradedRunSchema>;

/** The part of `vscode.Memento` used here, so the store is tested without an editor. */
export interface StateMemento {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

const KEY = 'biomedLab.grading.lastRun';

export class LastGradebookStore {
  constructor(private readonly memento: StateMemento) {}

  /** Undefined when nothing was graded in this workspace, or the stored value is not a run (an older format). */
  get(): GradedRun | undefined {
    const parsed = GradedRunSchema.safeParse(this.memento.get(KEY));
    return parsed.success ? parsed.data : undefined;
  }

  set(run: GradedRun): PromiseLike<void> {
    return this.memento.update(KEY, run);
  }
}
