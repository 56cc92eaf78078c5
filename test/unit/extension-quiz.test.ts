import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gradeAnswer, isPassed, parseQuiz, progressView, quizView, readProgress, type QuizFile } from '../../extension/quiz/quiz';

const shipped = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'walkthroughs', 'regression', 'quiz.json'), 'utf8')) as unknown;

function loadShipped(): QuizFile {
  const parsed = parseQuiz(shipped);
  if (!parsed.ok) assert.fail(parsed.reason);
  return parsed.quiz;
}

describe('the Regression quiz a learner takes', () => {
  const quiz = loadShipped();

  it('has at least six questions covering the course topics', () => {
    assert.ok(quiz.questions.length >= 6);
    const topics = quiz.questions.map((q) => q.topic);
    for (const topic of ['dependent variable', 'weight and bias', 'input and output size of a dense layer', 'scaling on training rows only', 'perimeter and area leak the radius', 'MAE vs RMSE', 'what an under-trained network looks like']) {
      assert.ok(topics.includes(topic), topic);
    }
  });

  it('never sends the answer key or per-choice feedback to the webview', () => {
    const text = JSON.stringify(quizView(quiz));
    assert.doesNotMatch(text, /"answer"|"feedback"|"explanation"/);
  });

  it('says why a wrong answer is wrong and lets the learner try again', () => {
    const q = quiz.questions.find((x) => x.id === 'dense-layer-shape')!;
    const wrong = gradeAnswer(quiz, {}, q.id, '29');
    assert.ok(wrong.ok);
    assert.equal(wrong.answer.correct, false);
    assert.match(wrong.answer.feedback, /bias/);
    assert.equal(wrong.answer.explanation, undefined);
    const right = gradeAnswer(quiz, wrong.progress, q.id, '30');
    assert.ok(right.ok);
    assert.equal(right.answer.correct, true);
    assert.equal(right.answer.attempts, 2);
    assert.ok(right.answer.explanation);
    assert.equal(progressView(quiz, right.progress).firstTryCount, 0);
  });

  it('keeps a correct answer correct when the learner clicks another choice afterwards', () => {
    const first = gradeAnswer(quiz, {}, 'dense-layer-shape', '30');
    assert.ok(first.ok);
    const again = gradeAnswer(quiz, first.progress, 'dense-layer-shape', '29');
    assert.ok(again.ok);
    assert.equal(again.progress['dense-layer-shape']?.correct, true);
  });

  it('passes only when every question is answered correctly', () => {
    let progress = {};
    for (const q of quiz.questions) {
      assert.equal(isPassed(quiz, progress), false);
      const graded = gradeAnswer(quiz, progress, q.id, q.answer);
      assert.ok(graded.ok);
      progress = graded.progress;
    }
    const view = progressView(quiz, progress);
    assert.equal(view.passed, true);
    assert.equal(view.firstTryCount, quiz.questions.length);
  });

  it('refuses unknown questions and choices with a reason', () => {
    const noQuestion = gradeAnswer(quiz, {}, 'nope', 'a');
    assert.equal(noQuestion.ok, false);
    const noChoice = gradeAnswer(quiz, {}, 'dense-layer-shape', 'zzz');
    assert.equal(noChoice.ok, false);
    if (!noChoice.ok) assert.match(noChoice.reason, /no choice "zzz"/);
  });

  it('starts over instead of failing when stored progress is from an older format', () => {
    assert.deepEqual(readProgress({ 'dense-layer-shape': 'B' }), {});
    assert.deepEqual(readProgress(undefined), {});
  });
});

describe('quiz files are checked when loaded', () => {
  it('rejects an answer that is not one of the choices', () => {
    const bad = structuredClone(shipped) as { questions: { answer: string }[] };
    bad.questions[0]!.answer = 'missing';
    const parsed = parseQuiz(bad);
    assert.equal(parsed.ok, false);
    if (!parsed.ok) assert.match(parsed.reason, /answer must be the id of one of the choices/);
  });
});
