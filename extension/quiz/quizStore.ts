import * as vscode from 'vscode';
import type { SubmoduleId } from '../../protocol/messages';
import { CONTEXT_KEYS } from '../commands/ids';
import { LabError } from '../errors';
import type { LabPaths } from '../labPaths';
import { isPassed, parseQuiz, readProgress, type QuizFile, type QuizProgress } from './quiz';

/**
 * Quiz files (shipped with the extension) and the learner's progress (in globalState, so it survives
 * reloads and follows the learner across workspaces). Publishes `biomedLab.<submodule>.quizPassed` for the
 * walkthrough's completion event.
 */
export class QuizStore {
  private readonly quizzes = new Map<SubmoduleId, QuizFile>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly paths: LabPaths,
  ) {}

  async quiz(submodule: SubmoduleId): Promise<QuizFile> {
    const cached = this.quizzes.get(submodule);
    if (cached) return cached;
    const uri = this.paths.quizFile(submodule);
    let raw: unknown;
    try {
      raw = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(uri)));
    } catch (err) {
      throw new LabError('bad-quiz', `The ${submodule} quiz could not be read from ${uri.fsPath}: ${String(err)}`);
    }
    const parsed = parseQuiz(raw);
    if (!parsed.ok) throw new LabError('bad-quiz', `The ${submodule} quiz file is invalid (${parsed.reason}).`);
    this.quizzes.set(submodule, parsed.quiz);
    return parsed.quiz;
  }

  /** Whether the submodule ships a quiz yet. */
  async has(submodule: SubmoduleId): Promise<boolean> {
    try {
      await vscode.workspace.fs.stat(this.paths.quizFile(submodule));
      return true;
    } catch {
      return false;
    }
  }

  progress(submodule: SubmoduleId): QuizProgress {
    return readProgress(this.context.globalState.get(key(submodule)));
  }

  async save(submodule: SubmoduleId, progress: QuizProgress): Promise<void> {
    await this.context.globalState.update(key(submodule), progress);
    await this.publish(submodule);
  }

  /** Sets the walkthrough context key from stored progress; called at activation and after each answer. */
  async publish(submodule: SubmoduleId): Promise<void> {
    const passed = isPassed(await this.quiz(submodule), this.progress(submodule));
    await vscode.commands.executeCommand('setContext', CONTEXT_KEYS.quizPassed(submodule), passed);
  }
}

function key(submodule: SubmoduleId): string {
  return `biomedLab.quiz.${submodule}.progress`;
}
