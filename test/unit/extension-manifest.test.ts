import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { COMMAND_IDS, CONTEXT_KEYS } from '../../extension/commands/ids';
import { SUBMODULES } from '../../protocol/messages';

const root = join(import.meta.dirname, '..', '..');

interface Step {
  id: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}
interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category: string }[];
    menus: Record<string, { command: string }[]>;
    configuration: { properties: Record<string, { default: unknown; enum?: unknown[] }> };
    walkthroughs: { id: string; steps: Step[] }[];
  };
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);
const known = new Set<string>(COMMAND_IDS);

describe('the manifest and the code agree', () => {
  it('contributes exactly the commands the extension registers', () => {
    assert.deepEqual([...contributed].sort(), [...COMMAND_IDS].sort());
  });

  it('lists every command under the course category in the Command Palette', () => {
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'Biomedical Deep Learning Lab', c.command);
  });

  it('only puts known commands in menus', () => {
    for (const entries of Object.values(manifest.contributes.menus)) {
      for (const entry of entries) assert.ok(known.has(entry.command), entry.command);
    }
  });

  it('restores the results, quiz, class gradebook and challenge check panels after a reload', () => {
    assert.ok(manifest.activationEvents.includes('onWebviewPanel:biomedLab.results'));
    assert.ok(manifest.activationEvents.includes('onWebviewPanel:biomedLab.quiz'));
    assert.ok(manifest.activationEvents.includes('onWebviewPanel:biomedLab.gradebook'));
    assert.ok(manifest.activationEvents.includes('onWebviewPanel:biomedLab.challengeCheck'));
    const container = readFileSync(join(root, 'extension', 'container.ts'), 'utf8');
    assert.match(container, /registerWebviewPanelSerializer\(GRADEBOOK_PANEL_TYPES\.class/);
    assert.match(container, /registerWebviewPanelSerializer\(GRADEBOOK_PANEL_TYPES\.check/);
  });

  it('declares exactly the settings the extension reads', () => {
    const props = manifest.contributes.configuration.properties;
    const source = readFileSync(join(__dirname, '../../extension/config.ts'), 'utf8');
    const read = [...source.matchAll(/\.get<\w+>\('([\w.]+)'/g)].map((m) => `biomedLab.${m[1]}`);
    assert.deepEqual(Object.keys(props).sort(), [...read, 'biomedLab.trainerHost'].sort());
    assert.deepEqual(props['biomedLab.backend']?.enum, ['auto', 'gpu', 'node', 'wasm', 'cpu']);
  });
});

describe('the walkthroughs a learner sees', () => {
  it('has one walkthrough per submodule', () => {
    assert.deepEqual(manifest.contributes.walkthroughs.map((w) => w.id).sort(), [...SUBMODULES].sort());
  });

  it('shows a markdown page that exists for every step', () => {
    for (const w of manifest.contributes.walkthroughs) {
      for (const step of w.steps) {
        assert.ok(step.media.markdown, step.id);
        assert.ok(existsSync(join(root, step.media.markdown)), `${step.id}: ${step.media.markdown}`);
      }
    }
  });

  it('links buttons and completion events only to commands and context keys that exist', () => {
    const contextKeys = new Set(
      SUBMODULES.flatMap((s) => [CONTEXT_KEYS.runSucceeded(s), CONTEXT_KEYS.quizPassed(s), CONTEXT_KEYS.exerciseScaffolded(s)]),
    );
    for (const w of manifest.contributes.walkthroughs) {
      for (const step of w.steps) {
        for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) assert.ok(known.has(command!), `${step.id}: ${command}`);
        for (const event of step.completionEvents ?? []) {
          const [kind, value] = [event.slice(0, event.indexOf(':')), event.slice(event.indexOf(':') + 1)];
          if (kind === 'onCommand') assert.ok(known.has(value), `${step.id}: ${event}`);
          else if (kind === 'onContext') assert.ok(contextKeys.has(value), `${step.id}: ${event}`);
          else assert.fail(`${step.id}: unexpected completion event ${event}`);
        }
      }
    }
  });

  it('completes the Regression run and quiz steps only when they succeed', () => {
    const steps = manifest.contributes.walkthroughs.find((w) => w.id === 'regression')!.steps;
    assert.deepEqual(steps.find((s) => s.id === 'regression.run')?.completionEvents, ['onContext:biomedLab.regression.runSucceeded']);
    assert.deepEqual(steps.find((s) => s.id === 'regression.quiz')?.completionEvents, ['onContext:biomedLab.regression.quizPassed']);
  });

  it('says the hands-on part is coming for the two later submodules', () => {
    for (const id of ['augmentation', 'segmentation']) {
      const text = readFileSync(join(root, 'walkthroughs', id, 'background.md'), 'utf8');
      assert.match(text, /hands-on part of this submodule is coming/);
    }
  });
});
