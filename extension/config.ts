import * as vscode from 'vscode';
import { BACKEND_CHOICES, PROFILES, type BackendChoice, type Profile } from '../protocol/messages';

/** The `biomedLab.*` settings, read fresh for every run so a change applies without a reload. */
export interface LabSettings {
  /** Absolute dataset cache folder, or undefined for the extension's global storage. */
  dataDirectory: string | undefined;
  backend: BackendChoice;
  trainerHost: 'local';
  seed: number;
  profile: Profile;
  /** Regression splits per run; undefined means the profile's own number. */
  splits: number | undefined;
}

export function readSettings(): LabSettings {
  const c = vscode.workspace.getConfiguration('biomedLab');
  const backend = c.get<string>('backend', 'auto');
  const profile = c.get<string>('profile', 'quick');
  const seed = c.get<number>('seed', 42);
  const dataDirectory = c.get<string>('dataDirectory', '').trim();
  const splits = c.get<number>('splits', 0);
  return {
    dataDirectory: dataDirectory === '' ? undefined : expandHome(dataDirectory),
    backend: oneOf(BACKEND_CHOICES, backend, 'auto'),
    trainerHost: 'local',
    seed: Number.isInteger(seed) ? seed : 42,
    profile: oneOf(PROFILES, profile, 'quick'),
    splits: Number.isInteger(splits) && splits > 0 ? splits : undefined,
  };
}

function oneOf<T extends string>(allowed: readonly T[], value: string, fallback: T): T {
  return (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function expandHome(path: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  return home && (path === '~' || path.startsWith('~/')) ? home + path.slice(1) : path;
}
