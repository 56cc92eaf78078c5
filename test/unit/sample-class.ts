/**
 * A class of planted submissions graded against a sample key through the CLI's grade verb, in the real sandbox:
 * what an instructor runs. The challenge tests then read back what learners would be handed.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runGradeCommand } from '../../trainer/cli/gradeCommand';
import type { LearnerFeedback } from '../../trainer/grading/outputs';

export interface SampleClass {
  /** Writes each source as `<name>/challenge.ts` and grades them all with the key (two jobs, 512 MB each). */
  grade(keyDir: string, sources: Readonly<Record<string, string>>, options?: { readonly dataDir?: string }): Promise<void>;
  feedback(name: string): LearnerFeedback;
  /** Fails naming the file when any learner-facing feedback file contains one of the strings. */
  assertNoFeedbackMentions(secrets: readonly string[]): void;
  remove(): void;
}

export function sampleClass(prefix: string): SampleClass {
  const work = mkdtempSync(join(tmpdir(), prefix));
  const submissions = join(work, 'submissions');
  const feedbackDir = join(work, 'out', 'feedback');
  return {
    async grade(keyDir, sources, options = {}) {
      for (const [name, source] of Object.entries(sources)) {
        mkdirSync(join(submissions, name), { recursive: true });
        writeFileSync(join(submissions, name, 'challenge.ts'), source);
      }
      const sink = { write: () => true };
      const data = options.dataDir === undefined ? [] : ['--data-dir', options.dataDir];
      const code = await runGradeCommand(
        [submissions, '--key', keyDir, '--out', join(work, 'out'), '--jobs', '2', '--memory', '512', ...data, '--json'],
        { stdout: sink, stderr: sink },
      );
      assert.equal(code, 0, 'the grade command failed');
    },
    feedback: (name) => JSON.parse(readFileSync(join(feedbackDir, `${name}.json`), 'utf8')) as LearnerFeedback,
    assertNoFeedbackMentions(secrets) {
      for (const file of readdirSync(feedbackDir)) {
        const text = readFileSync(join(feedbackDir, file), 'utf8');
        for (const secret of secrets) assert.ok(!text.includes(secret), `${file} mentions "${secret}"`);
      }
    },
    remove: () => rmSync(work, { recursive: true, force: true }),
  };
}
