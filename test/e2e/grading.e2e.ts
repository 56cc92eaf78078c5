/**
 * Grading in a real VS Code, as an instructor and as a learner.
 *
 * Instructor: "Grade Challenge Submissions…" on a class of two (a correct solution and the course's
 * unchanged one-layer template) against the sample regression key, both folders picked in the file
 * dialogs. The gradebook shows a row per submission with the scores the grader wrote to its CSV, a row
 * expands to every test of the key, sorting by score puts the weaker one first, "Export CSV" saves the
 * grader's CSV where the save dialog says, and "Open submission" opens the learner's file.
 *
 * Learner: "Check My Challenge" on the scaffolded challenge shows exactly the public tests, and no name,
 * id or hint of a hidden test from the key. After a window reload the Challenge Check panel comes back with
 * the same result, test by test.
 *
 * Reload, then cancel: a class with a submission stuck in an endless loop. A window reload while it is being
 * graded comes back to the same run, interrupted (the submission finished before the reload graded, the stuck
 * one "not graded (interrupted)", not the previous run), with no sandbox process left. Grade Again grades the
 * same class against the same key again; Cancel in the progress notification ends that run as cancelled (the
 * stuck submission "not graded", not 0) and leaves no sandbox process behind; closed and shown again with Show
 * Last Gradebook, the gradebook is read back from the grader's files.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { e2eEnv, repoRoot } from './harness/env';
import { answerFileDialog } from './harness/fileDialog';
import { extensionId, paletteTitle, readManifest } from './harness/manifest';
import { withVsCode } from './harness/session';
import { timed } from './harness/timing';
import { webviewContent } from './harness/webviews';
import { editorTab, notification, reloadWindow, runCommand } from './harness/workbench';
import { processesNaming, until } from '../unit/process-watch';

const manifest = readManifest();
const keyDir = join(repoRoot, 'instructor', 'keys', 'regression');
interface KeyTest {
  id: string;
  title: string;
  hidden: boolean;
  max_score: number;
  learner_hint?: string;
}
const key = JSON.parse(readFileSync(join(keyDir, 'manifest.json'), 'utf8')) as { tests: KeyTest[] };
const publicTests = (JSON.parse(readFileSync(join(repoRoot, 'walkthroughs', 'regression', 'challenge.public.json'), 'utf8')) as { tests: KeyTest[] }).tests;
const maxTotal = key.tests.reduce((s, t) => s + t.max_score, 0);
const TEMPLATE = readFileSync(join(repoRoot, 'walkthroughs', 'regression', 'exercise', 'challenge.ts'), 'utf8');
/** Two hidden dense layers, a non-linear activation, a linear output, and settings that converge. */
const CORRECT = `import * as tf from '@tensorflow/tfjs';
export const training = { learningRate: 0.2, epochs: 300, batchSize: 32 };
export function buildNetwork(inputFeatures: number): tf.LayersModel {
  return tf.sequential({ layers: [
    tf.layers.dense({ units: 32, activation: 'relu', inputShape: [inputFeatures] }),
    tf.layers.dense({ units: 16, activation: 'relu' }),
    tf.layers.dense({ units: 1 }),
  ] });
}
`;
const SHOTS = 'grading';
const GRADING_BUDGET_MS = 8 * 60_000;

/** The grader's own gradebook CSV: submission → [total, max_total]. */
function csvTotals(csv: string): Map<string, [number, number]> {
  const [header, ...rows] = csv.trim().split('\n').map((l) => l.split(','));
  const total = header!.indexOf('total');
  return new Map(rows.map((r) => [r[0]!, [Number(r[total]), Number(r[total + 1])]]));
}

const scoreText = (score: number, max: number): string => `${Number.isInteger(score) ? score : score.toFixed(2).replace(/0$/, '')} / ${max}`;

test('an instructor grades a class in the gradebook; a learner checks their challenge on the public tests only', { timeout: 2 * GRADING_BUDGET_MS + 480_000 }, () =>
  withVsCode({ name: 'grading', theme: 'dark' }, async ({ page, workspace, screenshot }) => {
    mkdirSync(join(e2eEnv().outputDir, SHOTS), { recursive: true });
    const submissions = join(workspace, 'class', 'submissions');
    for (const [name, source] of [['correct', CORRECT], ['template', TEMPLATE]] as const) {
      mkdirSync(join(submissions, name), { recursive: true });
      writeFileSync(join(submissions, name, 'challenge.ts'), source);
    }
    const gradedDir = join(workspace, 'class', 'submissions-graded');

    await timed('grading: gradebook', async () => {
      await runCommand(page, paletteTitle(manifest, 'biomedLab.grading.gradeSubmissions'));
      await answerFileDialog(page, 'Select the submissions folder', submissions);
      await answerFileDialog(page, 'Select the key folder', keyDir);
      await notification(page, 'Grading challenge submissions').first().waitFor({ timeout: 30_000 });

      const panel = webviewContent(page, extensionId(manifest));
      const status = panel.locator('#gradebook-status');
      await status.waitFor({ timeout: 60_000 });
      await screenshot(`${SHOTS}/gradebook-running.png`);
      await panel.locator('#gradebook-status[data-status="done"]').waitFor({ timeout: GRADING_BUDGET_MS });
      await screenshot(`${SHOTS}/gradebook.png`);

      // The rows show what the grader wrote, and the grader judged the two as a human would.
      const totals = csvTotals(readFileSync(join(gradedDir, 'gradebook.csv'), 'utf8'));
      assert.deepEqual([...totals.keys()].sort(), ['correct', 'template']);
      for (const [name, [score, max]] of totals) {
        assert.equal(max, maxTotal);
        const row = panel.locator(`tbody.submission[data-submission="${name}"]`);
        assert.equal((await row.locator('td.score').innerText()).trim(), scoreText(score, max));
      }
      assert.equal(totals.get('correct')![0], maxTotal, 'the correct solution earns full marks');
      assert.ok(totals.get('template')![0] < maxTotal, 'the unchanged template does not');
      assert.equal(await panel.locator('tbody.submission[data-submission="correct"]').getAttribute('data-status'), 'passed');
      assert.notEqual(await panel.locator('tbody.submission[data-submission="template"]').getAttribute('data-status'), 'passed');

      // Expanding a row with the keyboard shows every test of the key, hidden ones marked.
      const toggle = panel.locator('tbody.submission[data-submission="template"] button.disclosure');
      await toggle.focus();
      await page.keyboard.press('Enter');
      await panel.locator('tbody.submission[data-submission="template"] button.disclosure[aria-expanded="true"]').waitFor();
      const tests = panel.locator('tbody.submission[data-submission="template"] tr.test');
      assert.equal(await tests.count(), key.tests.length);
      for (const t of key.tests) {
        const row = panel.locator(`tbody.submission[data-submission="template"] tr.test[data-test-id="${t.id}"]`);
        assert.match(await row.innerText(), new RegExp(t.hidden ? 'hidden' : t.title.slice(0, 20).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      }
      await screenshot(`${SHOTS}/gradebook-expanded.png`);

      // Lowest score first puts the template on top.
      await panel.locator('#gradebook-sort').selectOption('score-asc');
      await panel.locator('tbody.submission').first().and(panel.locator('[data-submission="template"]')).waitFor();
      await panel.locator('#gradebook-sort').selectOption('score-desc');
      await panel.locator('tbody.submission').first().and(panel.locator('[data-submission="correct"]')).waitFor();

      // Export CSV: the grader's CSV, saved where the save dialog says.
      const exported = join(workspace, 'exported-gradebook.csv');
      await panel.locator('#export-csv:not([disabled])').click();
      await answerFileDialog(page, 'Export the gradebook CSV', exported);
      await notification(page, 'Gradebook exported').first().waitFor({ timeout: 30_000 });
      assert.ok(existsSync(exported));
      assert.equal(readFileSync(exported, 'utf8'), readFileSync(join(gradedDir, 'gradebook.csv'), 'utf8'));

      // Open submission opens the learner's file.
      await panel.locator('tbody.submission[data-submission="correct"] button', { hasText: 'Open submission' }).click();
      await editorTab(page, 'challenge.ts').first().waitFor({ timeout: 30_000 });
      await screenshot(`${SHOTS}/gradebook-open-submission.png`);
    });

    await timed('grading: check my challenge', async () => {
      await runCommand(page, 'Notifications: Clear All Notifications');
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.openChallenge'));
      await editorTab(page, 'challenge.ts').and(page.locator('.tab.active')).waitFor({ timeout: 30_000 });
      await runCommand(page, paletteTitle(manifest, 'biomedLab.regression.checkChallenge'));
      const panel: FrameLocator = webviewContent(page, extensionId(manifest));
      await panel.locator('#gradebook-status[data-status="done"]').waitFor({ timeout: GRADING_BUDGET_MS });
      await notification(page, /Challenge check: .* on the public tests/).first().waitFor({ timeout: 30_000 });
      await screenshot(`${SHOTS}/check-my-challenge.png`);

      const rows = panel.locator('tr.test');
      assert.equal(await rows.count(), publicTests.length);
      const names = await rows.locator('th').allInnerTexts();
      assert.deepEqual(names.map((n) => n.trim()), publicTests.map((t) => t.title));
      for (const t of await rows.all()) {
        assert.ok(['passed', 'partial', 'failed'].includes((await t.getAttribute('data-status')) ?? ''));
        assert.notEqual((await t.locator('td.message').innerText()).trim(), '', 'every test says what happened');
      }
      // The unchanged template fails the architecture test, with a message that says what to change.
      assert.notEqual(await panel.locator('tr.test', { hasText: publicTests.find((t) => t.id === 'architecture')!.title }).getAttribute('data-status'), 'passed');

      const text = await panel.locator('body').innerText();
      assert.doesNotMatch(text, /hidden check|Grader:/);
      for (const t of key.tests.filter((k) => k.hidden)) {
        assert.ok(!text.includes(t.id) && !text.includes(t.title) && !text.includes(t.learner_hint ?? t.title), `the learner's panel shows hidden test ${t.id}`);
      }
      assert.equal(await panel.locator('#export-csv, button:has-text("Open submission")').count(), 0);
    });

    await timed('grading: the check comes back after a reload', async () => {
      const before = webviewContent(page, extensionId(manifest));
      const total = await before.locator('#check-total').innerText();
      const tests = await before.locator('tr.test').allInnerTexts();
      // The panel is the active editor of its group, so VS Code brings it back and the serializer fills it.
      await reloadWindow(page, 'dark');
      const restored = webviewContent(page, extensionId(manifest));
      await restored.locator('#gradebook-status[data-status="done"]').waitFor({ timeout: 60_000 });
      assert.equal(await restored.locator('#check-total').innerText(), total);
      assert.deepEqual(await restored.locator('tr.test').allInnerTexts(), tests, 'the same public tests, statuses, scores and messages');
      assert.equal(await restored.locator('#error-state').count(), 0);
      await screenshot(`${SHOTS}/check-after-reload.png`);
    });

    await timed('grading: a reload interrupts a run; Grade Again, then Cancel', async () => {
      // One submission graded at once (no challenge file), one that never finishes loading.
      const stuck = `stuck-reload-${process.pid}-${Date.now()}`;
      const reloadClass = join(workspace, 'reload-class');
      mkdirSync(join(reloadClass, 'a-no-file'), { recursive: true });
      mkdirSync(join(reloadClass, stuck), { recursive: true });
      writeFileSync(join(reloadClass, stuck, 'challenge.ts'), 'export const training = {};\nwhile (true) {}\n');
      await runCommand(page, 'Notifications: Clear All Notifications');
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, paletteTitle(manifest, 'biomedLab.grading.gradeSubmissions'));
      await answerFileDialog(page, 'Select the submissions folder', reloadClass);
      await answerFileDialog(page, 'Select the key folder', keyDir);
      const panel = webviewContent(page, extensionId(manifest));
      await panel.locator('tbody.submission[data-submission="a-no-file"]').waitFor({ timeout: 60_000 });
      await until(() => processesNaming(stuck).length > 0, 60_000, 'the stuck submission\'s sandbox');

      await reloadWindow(page, 'dark');
      const restored = webviewContent(page, extensionId(manifest));
      await restored.locator('#gradebook-status[data-status="interrupted"]').waitFor({ timeout: 60_000 });
      await screenshot(`${SHOTS}/gradebook-interrupted.png`);
      assert.match(await restored.locator('#gradebook-status').innerText(), /Interrupted.*1 submission graded in this run, 1 not graded/);
      assert.equal(await restored.locator('tbody.submission[data-submission="a-no-file"] td.score').innerText(), scoreText(0, maxTotal));
      const stuckRow = restored.locator(`tbody.submission[data-submission="${stuck}"][data-status="interrupted"]`);
      assert.match(await stuckRow.innerText(), /not graded \(interrupted\)/);
      assert.equal(await restored.locator('tbody.submission').count(), 2, 'no row of the earlier runs');
      // The grader notices its extension host is gone and stops the sandbox (trainer/grading/parentWatch.ts).
      await until(() => processesNaming(stuck).length === 0, 30_000, 'the interrupted run\'s sandbox to stop');

      // Grade Again: the same class against the same key, no dialogs; cancelled here, it has been shown to run.
      await restored.locator('#grade-again').click();
      await restored.locator('#gradebook-status[data-status="running"]', { hasText: stuck }).waitFor({ timeout: 60_000 });
      await until(() => processesNaming(stuck).length > 0, 60_000, 'the stuck submission\'s sandbox, graded again');
      await notification(page, 'Grading challenge submissions').locator('.monaco-button', { hasText: 'Cancel' }).click();
      await restored.locator('#gradebook-status[data-status="cancelled"]').waitFor({ timeout: 30_000 });
      await screenshot(`${SHOTS}/gradebook-cancelled.png`);
      assert.deepEqual(processesNaming(stuck), [], 'no process of the cancelled submission is left');
      const cancelledRow = (p: FrameLocator) => p.locator(`tbody.submission[data-submission="${stuck}"][data-status="cancelled"]`);
      assert.match(await cancelledRow(restored).innerText(), /not graded \(cancelled\)/, 'the unfinished submission is marked not graded, not 0');

      // The gradebook is read back from the grader's files, not kept in memory: close it, show it again.
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, paletteTitle(manifest, 'biomedLab.grading.showLastGradebook'));
      const shownAgain = webviewContent(page, extensionId(manifest));
      await cancelledRow(shownAgain).waitFor({ timeout: 30_000 });
      assert.match(await cancelledRow(shownAgain).innerText(), /not graded \(cancelled\)/);
      await screenshot(`${SHOTS}/gradebook-shown-again.png`);
    });
  }),
);
