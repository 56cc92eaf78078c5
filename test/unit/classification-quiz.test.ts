import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gradeAnswer, parseQuiz, quizView, type QuizFile } from '../../extension/quiz/quiz';

function load(): QuizFile {
  const parsed = parseQuiz(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'walkthroughs', 'classification', 'quiz.json'), 'utf8')) as unknown);
  if (!parsed.ok) assert.fail(parsed.reason);
  return parsed.quiz;
}

describe('the Classification quiz a learner takes', () => {
  const quiz = load();

  it('covers the lab: frozen features, BatchNorm, A against C, ACC and AUC, imbalance, the confusion matrix', () => {
    assert.equal(quiz.submodule, 'classification');
    assert.deepEqual(
      quiz.questions.map((q) => q.topic),
      ['why a frozen backbone underperforms', 'BatchNorm in inference mode', 'random start versus fine-tuning', 'accuracy and AUC', 'class imbalance in BreastMNIST', 'reading a confusion matrix'],
    );
  });

  it('does not give the answer away by its position', () => {
    const positions = new Set(quiz.questions.map((q) => q.choices.findIndex((c) => c.id === q.answer)));
    assert.ok(positions.size >= 3, `answers sit at positions ${[...positions].join(', ')}`);
  });

  it('explains every wrong choice in its own words and accepts the right one', () => {
    for (const q of quiz.questions) {
      const feedbacks = new Set<string>();
      let progress = {};
      for (const choice of q.choices.filter((c) => c.id !== q.answer)) {
        const graded = gradeAnswer(quiz, progress, q.id, choice.id);
        assert.ok(graded.ok);
        assert.equal(graded.answer.correct, false, `${q.id}/${choice.id}`);
        assert.ok(graded.answer.feedback.length > 40, `${q.id}/${choice.id}: feedback too thin`);
        feedbacks.add(graded.answer.feedback);
        progress = graded.progress;
      }
      assert.equal(feedbacks.size, q.choices.length - 1, `${q.id}: two wrong choices share one feedback`);
      const right = gradeAnswer(quiz, progress, q.id, q.answer);
      assert.ok(right.ok && right.answer.correct, q.id);
    }
  });

  it('never sends the answer key or feedback to the webview', () => {
    assert.doesNotMatch(JSON.stringify(quizView(quiz)), /"answer"|"feedback"|"explanation"/);
  });
});
