/**
 * The learner's last Check My Challenge result, one file per submodule, so the Challenge Check panel comes
 * back after a window reload showing the same tests. The files live in the extension's workspace storage,
 * not in the lab folder: that folder is what learners hand in, and a result file there would travel with it.
 * workspaceState names the submodule checked last, the one a restored panel shows.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { GRADE_EVENTS, type GradeEventParams } from '../../protocol/grading';
import { SUBMODULES, type SubmoduleId } from '../../protocol/vocabulary';
import type { StateMemento } from './lastGradebook';

export const StoredCheckSchema = z.object({
  format: z.literal(1),
  submodule: z.enum(SUBMODULES),
  /** The panel's title: the checked file, relative to the workspace. */
  title: z.string(),
  /** The grader's `grade/check/finish`: learner feedback only, as the live panel got it. */
  result: GRADE_EVENTS['grade/check/finish'],
});
export type StoredCheck = z.infer<typeof StoredCheckSchema>;

export type LoadedCheck = { ok: true; check: StoredCheck } | { ok: false; problem: string };

const KEY = 'biomedLab.check.lastSubmodule';

export class CheckResultStore {
  constructor(
    /** A folder only this store writes to (created on the first save). */
    private readonly dir: string,
    private readonly memento: StateMemento,
  ) {}

  file(submodule: SubmoduleId): string {
    return join(this.dir, `${submodule}.json`);
  }

  /**
   * A check starts: its submodule's earlier result is removed first, so a reload during this check finds
   * no result rather than the previous one shown as if it were this one's.
   */
  async begin(submodule: SubmoduleId): Promise<void> {
    rmSync(this.file(submodule), { force: true });
    await this.memento.update(KEY, submodule);
  }

  save(submodule: SubmoduleId, title: string, result: GradeEventParams<'grade/check/finish'>): void {
    const record: StoredCheck = { format: 1, submodule, title, result };
    mkdirSync(this.dir, { recursive: true });
    // Written beside and renamed over, so a reload mid-write leaves the old file or the new one, never half.
    const file = this.file(submodule);
    const partial = `${file}.tmp-${process.pid}`;
    writeFileSync(partial, `${JSON.stringify(record, null, 2)}\n`);
    renameSync(partial, file);
  }

  /** The last check's result; never throws: a missing or malformed file is a problem that names it. */
  load(): LoadedCheck {
    const submodule = z.enum(SUBMODULES).safeParse(this.memento.get(KEY));
    if (!submodule.success) return { ok: false, problem: 'no challenge has been checked in this workspace yet' };
    const file = this.file(submodule.data);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const problem =
        err instanceof SyntaxError
          ? `is not valid JSON (${err.message})`
          : code === 'ENOENT'
            ? 'is missing: the last check did not finish (the window was reloaded or closed while it ran), or the file was deleted'
            : `cannot be read (${code ?? String(err)})`;
      return { ok: false, problem: `${file} ${problem}` };
    }
    const parsed = StoredCheckSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false, problem: `${file} is not a stored check result (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'unexpected shape'})` };
    }
    if (parsed.data.submodule !== submodule.data) return { ok: false, problem: `${file} holds a ${parsed.data.submodule} check, not ${submodule.data}` };
    return { ok: true, check: parsed.data };
  }
}
