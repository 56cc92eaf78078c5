import * as vscode from 'vscode';
import type { SubmoduleId } from '../protocol/messages';
import type { ExerciseFile } from './submodules';

/**
 * Where the learner's lab lives: `biomed-lab/` in the first workspace folder, or the extension's global
 * storage when no folder is open (so the exercise still works, though outside any project).
 */
export class LabPaths {
  constructor(private readonly context: vscode.ExtensionContext) {}

  get hasWorkspace(): boolean {
    return (vscode.workspace.workspaceFolders?.length ?? 0) > 0;
  }

  get labRoot(): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, 'biomed-lab') : vscode.Uri.joinPath(this.context.globalStorageUri, 'biomed-lab');
  }

  submoduleFolder(submodule: SubmoduleId): vscode.Uri {
    return vscode.Uri.joinPath(this.labRoot, submodule);
  }

  exerciseFile(submodule: SubmoduleId, name: ExerciseFile): vscode.Uri {
    return vscode.Uri.joinPath(this.submoduleFolder(submodule), name);
  }

  /** Each run writes its metrics and report into its own folder, so earlier results stay readable. */
  runFolder(submodule: SubmoduleId, runId: string): vscode.Uri {
    return vscode.Uri.joinPath(this.runsRoot, submodule, runId);
  }

  /** Every run folder is under this one. */
  get runsRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.labRoot, 'results');
  }

  /** The course's templates, shipped inside the extension. */
  template(submodule: SubmoduleId, name: string): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'walkthroughs', submodule, 'exercise', name);
  }

  quizFile(submodule: SubmoduleId): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'walkthroughs', submodule, 'quiz.json');
  }

  /**
   * Where "Install Faster Backend" puts tfjs-node(-gpu): `<globalStorage>/native/node_modules`. Global, not
   * per workspace, because libtensorflow is hundreds of megabytes; the trainer gets it as BIOMED_LAB_NATIVE_DIR.
   */
  get nativeBackendDir(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'native').fsPath;
  }

  get extensionPath(): string {
    return this.context.extensionUri.fsPath;
  }
}
