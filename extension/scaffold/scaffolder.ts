import * as vscode from 'vscode';
import type { SubmoduleId } from '../../protocol/messages';
import { CONTEXT_KEYS } from '../commands/ids';
import { LabError } from '../errors';
import type { LabPaths } from '../labPaths';
import type { Log } from '../log';
import type { ExerciseFile } from '../submodules';
import { hasConflicts, planScaffold, writesOf, type ConflictChoice, type TemplateFile } from './plan';
import { learnerTsconfig, shouldRefreshTsconfig } from './tsconfig';

/** The exercise files each submodule ships; Augmentation and Segmentation have only their challenge so far. */
const EXERCISE_FILES: Partial<Record<SubmoduleId, readonly ExerciseFile[]>> = {
  regression: ['network.ts', 'challenge.ts'],
  classification: ['transfer.ts', 'challenge.ts'],
  augmentation: ['challenge.ts'],
  segmentation: ['challenge.ts'],
};

export interface ScaffoldOptions {
  /** Ask before replacing edited files; otherwise they are kept without a question. */
  askOnConflict: boolean;
}

/** Copies the course's exercise templates into the learner's lab folder, keeping the learner's own work. */
export class Scaffolder {
  constructor(
    private readonly paths: LabPaths,
    private readonly log: Log,
  ) {}

  async scaffold(submodule: SubmoduleId, options: ScaffoldOptions): Promise<void> {
    const names = EXERCISE_FILES[submodule];
    if (!names) throw new LabError('template-missing', `The ${submodule} submodule has no hands-on exercise yet.`);
    const templates = await Promise.all(names.map((name) => this.readTemplate(submodule, name)));
    const existing = await this.readExisting(templates);
    const choice: ConflictChoice =
      options.askOnConflict && hasConflicts(templates, existing) ? await askAboutConflicts(templates, existing) : 'keep';
    const plan = planScaffold(templates, existing, choice);
    for (const action of plan) {
      const target = this.target(action.file);
      if (action.kind === 'replace') await this.backUp(target, existing.get(action.file.relativePath) ?? '');
      if (action.kind === 'keep') this.log.info(`kept your ${action.file.relativePath}`);
    }
    for (const file of writesOf(plan)) {
      await vscode.workspace.fs.writeFile(this.target(file), new TextEncoder().encode(file.content));
      this.log.info(`wrote ${file.relativePath}`);
    }
    await this.writeTsconfig();
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.exerciseScaffolded(submodule), true);
  }

  /** Every exercise file of the submodule is in the lab folder (the learner's, edited or not). */
  async isScaffolded(submodule: SubmoduleId): Promise<boolean> {
    const names = EXERCISE_FILES[submodule];
    if (!names) return false;
    for (const name of names) {
      try {
        await vscode.workspace.fs.stat(this.target({ relativePath: `${submodule}/${name}`, content: '' }));
      } catch {
        return false;
      }
    }
    return true;
  }

  private async readTemplate(submodule: SubmoduleId, name: string): Promise<TemplateFile> {
    const uri = this.paths.template(submodule, name);
    try {
      const bytes = await vscode.workspace.fs.readFile(uri);
      return { relativePath: `${submodule}/${name}`, content: new TextDecoder().decode(bytes) };
    } catch (err) {
      throw new LabError(
        'template-missing',
        `The course template ${name} is missing from the extension (${uri.fsPath}). Reinstall the extension. (${String(err)})`,
      );
    }
  }

  private async readExisting(templates: readonly TemplateFile[]): Promise<Map<string, string>> {
    const existing = new Map<string, string>();
    for (const file of templates) {
      const text = await readIfExists(this.target(file));
      if (text !== undefined) existing.set(file.relativePath, text);
    }
    return existing;
  }

  /** Writes the lab's tsconfig, or refreshes one we wrote earlier when the extension folder moved. */
  private async writeTsconfig(): Promise<void> {
    const uri = vscode.Uri.joinPath(this.paths.labRoot, 'tsconfig.json');
    const wanted = learnerTsconfig(this.paths.extensionPath);
    const current = await readIfExists(uri);
    if (current === undefined || shouldRefreshTsconfig(current, wanted)) {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(wanted));
      this.log.info(`wrote ${uri.fsPath}`);
    }
  }

  private async backUp(target: vscode.Uri, content: string): Promise<void> {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const backup = target.with({ path: `${target.path}.${stamp}.bak` });
    await vscode.workspace.fs.writeFile(backup, new TextEncoder().encode(content));
    this.log.info(`saved your previous version as ${backup.fsPath}`);
  }

  private target(file: TemplateFile): vscode.Uri {
    return vscode.Uri.joinPath(this.paths.labRoot, ...file.relativePath.split('/'));
  }
}

async function askAboutConflicts(templates: readonly TemplateFile[], existing: ReadonlyMap<string, string>): Promise<ConflictChoice> {
  const edited = planScaffold(templates, existing)
    .filter((a) => a.kind === 'keep')
    .map((a) => a.file.relativePath);
  const replace = 'Replace with Templates';
  const answer = await vscode.window.showWarningMessage(
    `You have edited ${edited.join(' and ')}. Keep your work, or replace it with the course templates? Replaced files are saved next to them as .bak first.`,
    { modal: true },
    'Keep My Files',
    replace,
  );
  return answer === replace ? 'replace' : 'keep';
}

async function readIfExists(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    throw err;
  }
}
