/**
 * Rebuilds the class gradebook from the files a grading run left on disk: `gradebook.csv` for the rows
 * (and which submissions a cancel left not graded), `instructor/<submission>.json` for each row's tests.
 * The grader rewrites the CSV as each submission finishes, so `pending` rows mean its grader was stopped
 * before it finished (a window reload kills it with the extension host): the run shows as interrupted,
 * those submissions as not graded, and the rows it did finish as this run's.
 * Never throws: whatever is missing or malformed becomes a message in the panel naming the file, what is
 * wrong with it and what to do, and the rows that can still be read are shown.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classRow, emptyGradebook, rowStatus, type GradebookRow, type GradebookState } from '../../protocol/gradebook';
import { parseGradebookCsv, type CsvRow } from '../../protocol/gradebookCsv';
import { InstructorReportSchema, type GradedTest } from '../../protocol/grading';
import type { GradedRun } from './lastGradebook';

const GRADE_AGAIN = 'Run "Grade Challenge Submissions…" again to grade the submissions and write fresh files.';

export function gradebookCsvPath(run: GradedRun): string {
  return join(run.outDir, 'gradebook.csv');
}

export function loadSavedGradebook(run: GradedRun | undefined): GradebookState {
  if (!run) {
    return { ...emptyGradebook('class', ''), error: `No gradebook has been saved in this workspace yet. Run "Grade Challenge Submissions…" to grade a class.` };
  }
  const csvFile = gradebookCsvPath(run);
  const failed = (problem: string): GradebookState => ({ ...emptyGradebook('class', run.title), status: 'failed', error: `${csvFile} ${problem}. ${GRADE_AGAIN}` });
  let text: string;
  try {
    text = readFileSync(csvFile, 'utf8');
  } catch (err) {
    return failed(readProblem(err));
  }
  const parsed = parseGradebookCsv(text);
  if (!parsed.ok) return failed(`is not a gradebook the grader wrote: ${parsed.reason}`);

  const problems: string[] = [];
  const rows: GradebookRow[] = [];
  const notGraded: string[] = [];
  for (const csvRow of parsed.gradebook.rows) {
    if (csvRow.status !== 'graded') {
      notGraded.push(csvRow.name);
      continue;
    }
    const loaded = rowFromReport(run.outDir, csvRow);
    rows.push(loaded.row);
    if (loaded.problem) problems.push(loaded.problem);
  }
  const interrupted = parsed.gradebook.rows.some((r) => r.status === 'pending');
  return {
    ...emptyGradebook('class', run.title),
    status: interrupted ? 'interrupted' : notGraded.length > 0 ? 'cancelled' : 'done',
    total: rows.length + notGraded.length,
    rows,
    notGraded,
    canExport: true,
    ...(problems.length > 0
      ? {
          error:
            `${problems.length === 1 ? 'A saved file' : `${problems.length} saved files`} could not be read, so ` +
            `${problems.length === 1 ? 'that row shows' : 'those rows show'} only the total from ${csvFile} and no tests: ${problems.join('; ')}. ${GRADE_AGAIN}`,
        }
      : {}),
  };
}

/** One graded row with its tests from the instructor report, or with only the CSV's total and the reason. */
function rowFromReport(outDir: string, csvRow: CsvRow): { row: GradebookRow; problem?: string } {
  const total = csvRow.total ?? 0;
  const bare = (problem: string): { row: GradebookRow; problem: string } => ({
    row: { name: csvRow.name, score: total, maxScore: csvRow.maxTotal, status: rowStatus(total, csvRow.maxTotal, []), tests: [] },
    problem,
  });
  // Names come from the CSV; one that is not a plain folder name must not steer the read elsewhere.
  if (/[\\/]/.test(csvRow.name) || csvRow.name === '.' || csvRow.name === '..') return bare(`gradebook.csv names a submission "${csvRow.name}", which is not a folder name`);
  const file = join(outDir, 'instructor', `${csvRow.name}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    return bare(`${file} ${err instanceof SyntaxError ? `is not valid JSON (${err.message})` : readProblem(err)}`);
  }
  const report = InstructorReportSchema.safeParse(raw);
  if (!report.success) {
    const issue = report.error.issues[0];
    return bare(`${file} is not a grader's instructor report (${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'unexpected shape'})`);
  }
  const r = report.data;
  if (r.submission !== csvRow.name || r.score !== total || r.max_score !== csvRow.maxTotal) {
    return bare(`${file} belongs to another run (it says ${r.submission} scored ${r.score}/${r.max_score}; gradebook.csv says ${total}/${csvRow.maxTotal})`);
  }
  const tests: GradedTest[] = r.tests.map((t) => ({
    id: t.id,
    title: t.title,
    hidden: t.hidden,
    status: t.status,
    score: t.score,
    max_score: t.max_score,
    message: t.learner_message,
    detail: t.detail,
    duration: t.duration,
  }));
  return { row: classRow(csvRow.name, r.score, r.max_score, tests) };
}

function readProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'is missing (was the results folder moved, renamed or deleted?)';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot be read (permission denied)';
  if (code === 'EISDIR') return 'is a folder, not a file';
  return `cannot be read (${code ?? String(err)})`;
}
