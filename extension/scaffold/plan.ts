/**
 * Decides what scaffolding may write. The rule the learner relies on: their work is never overwritten
 * silently. A file that exists is kept unless the learner explicitly chose to replace it, and a file that
 * already matches the template needs no write at all.
 */
export interface TemplateFile {
  /** Path relative to the lab folder, with forward slashes, e.g. `regression/network.ts`. */
  relativePath: string;
  content: string;
}

export type ScaffoldAction =
  | { kind: 'create'; file: TemplateFile }
  | { kind: 'unchanged'; file: TemplateFile }
  | { kind: 'keep'; file: TemplateFile }
  | { kind: 'replace'; file: TemplateFile };

/** What to do with a file that exists and differs from its template. */
export type ConflictChoice = 'keep' | 'replace';

/**
 * @param existing current contents of the files that already exist, keyed by relative path
 * @param onConflict the learner's choice for files that differ; anything but an explicit `replace` keeps them
 */
export function planScaffold(
  templates: readonly TemplateFile[],
  existing: ReadonlyMap<string, string>,
  onConflict: ConflictChoice = 'keep',
): ScaffoldAction[] {
  return templates.map((file) => {
    const current = existing.get(file.relativePath);
    if (current === undefined) return { kind: 'create', file };
    if (current === file.content) return { kind: 'unchanged', file };
    return onConflict === 'replace' ? { kind: 'replace', file } : { kind: 'keep', file };
  });
}

/** Files the plan will write. */
export function writesOf(plan: readonly ScaffoldAction[]): TemplateFile[] {
  return plan.filter((a) => a.kind === 'create' || a.kind === 'replace').map((a) => a.file);
}

/** True when some existing file differs from its template, i.e. there is something to ask about. */
export function hasConflicts(templates: readonly TemplateFile[], existing: ReadonlyMap<string, string>): boolean {
  return planScaffold(templates, existing).some((a) => a.kind === 'keep');
}
