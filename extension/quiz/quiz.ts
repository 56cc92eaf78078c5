/**
 * The quiz model: the file format (with the answer key), grading, and the views sent to the webview
 * (without the key). Pure, so grading is unit-tested against the shipped quiz files.
 */
import { z } from 'zod';
import { SUBMODULES } from '../../protocol/messages';
import type { GradedAnswer, QuizProgressView, QuizView } from '../../protocol/webview';

const ChoiceSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1),
  /** Why this particular choice is right or wrong; shown right after the learner picks it. */
  feedback: z.string().min(1),
});

const QuestionSchema = z
  .object({
    id: z.string().min(1),
    topic: z.string().min(1),
    prompt: z.string().min(1),
    choices: z.array(ChoiceSchema).min(2),
    answer: z.string().min(1),
    explanation: z.string().min(1),
  })
  .refine((q) => q.choices.some((c) => c.id === q.answer), { message: 'answer must be the id of one of the choices' })
  .refine((q) => new Set(q.choices.map((c) => c.id)).size === q.choices.length, { message: 'choice ids must be unique' });

export const QuizFileSchema = z
  .object({
    submodule: z.enum(SUBMODULES),
    title: z.string().min(1),
    intro: z.string(),
    questions: z.array(QuestionSchema).min(1),
  })
  .refine((q) => new Set(q.questions.map((x) => x.id)).size === q.questions.length, {
    message: 'question ids must be unique',
  });
export type QuizFile = z.infer<typeof QuizFileSchema>;

/** What is stored in globalState per submodule: the learner's latest choice and attempt count per question. */
export const QuizProgressSchema = z.record(
  z.string(),
  z.object({ choiceId: z.string(), correct: z.boolean(), attempts: z.number().int().positive(), firstTry: z.boolean() }),
);
export type QuizProgress = z.infer<typeof QuizProgressSchema>;

export type ParsedQuiz = { ok: true; quiz: QuizFile } | { ok: false; reason: string };

export function parseQuiz(raw: unknown): ParsedQuiz {
  const parsed = QuizFileSchema.safeParse(raw);
  if (parsed.success) return { ok: true, quiz: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.') || 'quiz'}: ${issue?.message ?? 'is invalid'}` };
}

/** Reads stored progress, dropping it when it is from an older quiz shape rather than failing. */
export function readProgress(raw: unknown): QuizProgress {
  const parsed = QuizProgressSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

export type GradeResult = { ok: true; progress: QuizProgress; answer: GradedAnswer } | { ok: false; reason: string };

/**
 * Grades one choice. Retrying is allowed until the answer is right (the quiz is for learning), but a
 * question answered correctly stays answered, so clicking around afterwards cannot un-pass the quiz.
 */
export function gradeAnswer(quiz: QuizFile, progress: QuizProgress, questionId: string, choiceId: string): GradeResult {
  const question = quiz.questions.find((q) => q.id === questionId);
  if (!question) return { ok: false, reason: `no question "${questionId}" in the ${quiz.submodule} quiz` };
  if (!question.choices.some((c) => c.id === choiceId)) {
    return { ok: false, reason: `question "${questionId}" has no choice "${choiceId}"` };
  }
  const previous = progress[questionId];
  if (previous?.correct) {
    return { ok: true, progress, answer: gradedView(quiz, questionId, previous) };
  }
  const correct = choiceId === question.answer;
  const attempts = (previous?.attempts ?? 0) + 1;
  const entry = { choiceId, correct, attempts, firstTry: correct && attempts === 1 };
  const next = { ...progress, [questionId]: entry };
  return { ok: true, progress: next, answer: gradedView(quiz, questionId, entry) };
}

/** The quiz passes when every question has been answered correctly. */
export function isPassed(quiz: QuizFile, progress: QuizProgress): boolean {
  return quiz.questions.every((q) => progress[q.id]?.correct === true);
}

export function quizView(quiz: QuizFile): QuizView {
  return {
    submodule: quiz.submodule,
    title: quiz.title,
    intro: quiz.intro,
    questions: quiz.questions.map(({ id, prompt, choices }) => ({
      id,
      prompt,
      choices: choices.map(({ id: choiceId, text }) => ({ id: choiceId, text })),
    })),
  };
}

export function progressView(quiz: QuizFile, progress: QuizProgress): QuizProgressView {
  const answers = quiz.questions.flatMap((q) => {
    const entry = progress[q.id];
    return entry ? [gradedView(quiz, q.id, entry)] : [];
  });
  return {
    answers,
    correctCount: answers.filter((a) => a.correct).length,
    firstTryCount: quiz.questions.filter((q) => progress[q.id]?.firstTry === true).length,
    total: quiz.questions.length,
    passed: isPassed(quiz, progress),
  };
}

function gradedView(quiz: QuizFile, questionId: string, entry: QuizProgress[string]): GradedAnswer {
  const question = quiz.questions.find((q) => q.id === questionId);
  const choice = question?.choices.find((c) => c.id === entry.choiceId);
  return {
    questionId,
    choiceId: entry.choiceId,
    correct: entry.correct,
    attempts: entry.attempts,
    feedback: choice?.feedback ?? '',
    ...(entry.correct && question ? { explanation: question.explanation } : {}),
  };
}
