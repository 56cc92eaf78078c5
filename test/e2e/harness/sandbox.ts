/**
 * One throw-away folder per VS Code launch: HOME, TMPDIR and XDG folders, user data, extensions, the browser
 * profile and the workspace all live inside it, so nothing a test does reaches the real home or another test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Settings = Record<string, unknown>;

export interface Sandbox {
  root: string;
  home: string;
  userDataDir: string;
  extensionsDir: string;
  browserProfile: string;
  workspace: string;
  /** The environment code-server runs in: the parent's, with every per-user folder moved into the sandbox. */
  env: NodeJS.ProcessEnv;
  remove(): void;
}

/** Settings every launch gets: nothing may open on its own or ask a question the test did not plan for. */
export const QUIET_SETTINGS: Settings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function createSandbox(name: string, settings: Settings): Sandbox {
  const root = mkdtempSync(join(tmpdir(), `biomed-e2e-${name}-`));
  const dir = (...parts: string[]): string => {
    const path = join(root, ...parts);
    mkdirSync(path, { recursive: true });
    return path;
  };
  const home = dir('home');
  const userDataDir = dir('user-data');
  writeFileSync(join(dir('user-data', 'User'), 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return {
    root,
    home,
    userDataDir,
    extensionsDir: dir('extensions'),
    browserProfile: dir('browser-profile'),
    workspace: dir('workspace'),
    env: {
      ...process.env,
      HOME: home,
      TMPDIR: dir('tmp'),
      XDG_CONFIG_HOME: dir('xdg', 'config'),
      XDG_DATA_HOME: dir('xdg', 'data'),
      XDG_CACHE_HOME: dir('xdg', 'cache'),
      XDG_STATE_HOME: dir('xdg', 'state'),
      XDG_RUNTIME_DIR: dir('xdg', 'runtime'),
      // The test's own runner variables must not leak into the extension host's Node.
      NODE_OPTIONS: undefined,
      NODE_TEST_CONTEXT: undefined,
    },
    remove: () => rmSync(root, { recursive: true, force: true, maxRetries: 3 }),
  };
}
