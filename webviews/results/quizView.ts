/**
 * The quiz panel: one form per question, with radio buttons and a "Check" button; the host grades it and
 * the feedback appears under the question. Native controls keep it keyboard-usable: Tab to a question,
 * arrows to pick, Enter or the button to check. Picking alone submits nothing, so arrowing through the
 * choices does not count as attempts.
 */
import { TO_QUIZ, type QuizProgressView, type QuizView, type WebviewParamsOf } from '../../protocol/webview';
import { el, replaceChildren } from '../shared/dom';
import type { LabChannel } from './labChannel';

type QuizState = WebviewParamsOf<'quiz/state/set'>;

export function mountQuiz(root: HTMLElement, host: LabChannel): void {
  const saved = (host.state as { quiz?: QuizState } | undefined)?.quiz;
  const render = (state: QuizState) => replaceChildren(root, quizPage(state.quiz, state.progress, host));
  if (saved) render(saved);
  host.listen(TO_QUIZ, (message) => {
    // Keep focus where the learner was (e.g. on the radio they just picked) across the re-render.
    const focusedId = document.activeElement?.id;
    host.state = { quiz: message.params };
    render(message.params);
    if (focusedId) document.getElementById(focusedId)?.focus();
  });
  host.post('webview/ready', { view: 'quiz' });
}

function quizPage(quiz: QuizView, progress: QuizProgressView, host: LabChannel): HTMLElement {
  const answers = new Map(progress.answers.map((a) => [a.questionId, a]));
  const reset = el('button', { id: 'quiz-reset', type: 'button', class: 'secondary', 'aria-label': 'Start the quiz again' }, 'Start Again');
  reset.addEventListener('click', () => host.post('quiz/progress/reset', {}));
  const score = el(
    'p',
    { id: 'quiz-score', role: 'status', 'aria-live': 'polite' },
    progress.passed
      ? `Passed: all ${progress.total} answered correctly, ${progress.firstTryCount} on the first try.`
      : `${progress.correctCount} of ${progress.total} answered correctly so far.`,
  );
  return el(
    'section',
    { id: 'quiz-root', 'aria-labelledby': 'quiz-heading' },
    el('h1', { id: 'quiz-heading' }, quiz.title),
    el('p', {}, quiz.intro),
    score,
    el('ol', { class: 'quiz-questions' }, ...quiz.questions.map((q) => el('li', {}, questionBlock(q, answers.get(q.id), host)))),
    el('div', { class: 'toolbar' }, reset),
  );
}

function questionBlock(
  question: QuizView['questions'][number],
  answer: QuizProgressView['answers'][number] | undefined,
  host: LabChannel,
): HTMLElement {
  const feedbackId = `quiz-${question.id}-feedback`;
  const locked = answer?.correct === true;
  const choices = question.choices.map((choice) => {
    const inputId = `quiz-${question.id}-${choice.id}`;
    const input = el('input', {
      type: 'radio',
      id: inputId,
      name: `quiz-${question.id}`,
      value: choice.id,
      checked: answer?.choiceId === choice.id,
      disabled: locked,
      'aria-describedby': feedbackId,
    });
    // A locked question's radios are disabled, which browsers draw grey: the mark says which answer was right.
    const right = locked && answer?.choiceId === choice.id;
    return el('div', { class: right ? 'choice right' : 'choice' }, input, el('label', { for: inputId }, choice.text), right ? el('span', { class: 'right-mark' }, '✓ your answer') : null);
  });
  const check = el(
    'button',
    { id: `quiz-${question.id}-check`, type: 'submit', disabled: locked, 'aria-label': `Check the answer to question ${question.id}` },
    'Check',
  );
  const feedback = el(
    'div',
    { id: feedbackId, class: answer ? (answer.correct ? 'feedback correct' : 'feedback wrong') : 'feedback', 'aria-live': 'polite' },
    answer ? el('p', {}, el('strong', {}, answer.correct ? 'Correct. ' : 'Not quite. '), answer.feedback) : null,
    answer?.explanation ? el('p', { class: 'explanation' }, answer.explanation) : null,
    answer && !answer.correct ? el('p', { class: 'muted' }, 'Pick another answer and check again.') : null,
  );
  const form = el(
    'form',
    { id: `quiz-${question.id}`, class: 'question', 'data-state': answer ? (answer.correct ? 'correct' : 'wrong') : 'open' },
    el('fieldset', {}, el('legend', {}, question.prompt), ...choices),
    el('div', { class: 'toolbar' }, check),
    feedback,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const picked = new FormData(form).get(`quiz-${question.id}`);
    if (typeof picked === 'string') host.post('quiz/answer/submit', { questionId: question.id, choiceId: picked });
    else replaceChildren(feedback, el('p', {}, 'Pick an answer first.'));
  });
  return form;
}
