import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabError } from '../../core/labError';
import { parseCsv } from '../../data/csv';

export const TARGET = 'radius_mean';
export const TARGET_UNITS = 'radius units';

const MEASURES = [
  'radius',
  'texture',
  'perimeter',
  'area',
  'smoothness',
  'compactness',
  'concavity',
  'concave_points',
  'symmetry',
  'fractal_dimension',
] as const;
const GROUPS = ['mean', 'se', 'worst'] as const;

/** The 30 measurements of the Breast Cancer Wisconsin (Diagnostic) table, in the customary order. */
export const MEASUREMENT_COLUMNS: readonly string[] = GROUPS.flatMap((g) => MEASURES.map((m) => `${m}_${g}`));

export interface FeatureSet {
  name: string;
  label: string;
  features: readonly string[];
}

/**
 * Perimeter and area are computed from the same nuclei outlines as the radius (P ≈ 2πr, A ≈ πr²), and the
 * other radius columns summarise the same radii: a model that sees them can read the target back instead of
 * learning anything about the tissue. The "no-size" set removes every such column.
 */
const SIZE_COLUMNS = new Set(MEASUREMENT_COLUMNS.filter((c) => /^(radius|perimeter|area)_/.test(c)));

export const FEATURE_SETS: readonly FeatureSet[] = [
  { name: 'all', label: 'all 29 measurements', features: MEASUREMENT_COLUMNS.filter((c) => c !== TARGET) },
  {
    name: 'no-size',
    label: 'without radius, perimeter and area columns',
    features: MEASUREMENT_COLUMNS.filter((c) => !SIZE_COLUMNS.has(c)),
  },
];

export interface RegressionTable {
  readonly file: string;
  readonly columns: readonly string[];
  /** values[row][column], in `columns` order. */
  readonly values: readonly (readonly number[])[];
}

export function embeddedDatasetPath(): string {
  // Bundled: dist/data/regression/. Under tsx (tests): next to this file.
  const bundled = join(__dirname, 'data', 'regression', 'breast_cancer_wisconsin.csv');
  const source = join(__dirname, 'data', 'breast_cancer_wisconsin.csv');
  try {
    readFileSync(bundled, { flag: 'r' });
    return bundled;
  } catch {
    return source;
  }
}

export function loadRegressionTable(file = embeddedDatasetPath()): RegressionTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LabError('bad-data', `${file}: cannot read the dataset (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
  }
  return parseRegressionTable(text, file);
}

export function parseRegressionTable(text: string, file: string): RegressionTable {
  const table = parseCsv(text, file);
  const missing = MEASUREMENT_COLUMNS.filter((c) => !table.header.includes(c));
  if (missing.length > 0) {
    throw new LabError(
      'bad-data',
      `${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}. ` +
        `The header must name all 30 measurements (${MEASUREMENT_COLUMNS.slice(0, 3).join(', ')}, ...).`,
      { file, line: 1, column: 1 },
    );
  }
  const index = MEASUREMENT_COLUMNS.map((c) => table.header.indexOf(c));
  const values = table.rows.map((row, r) =>
    index.map((col, k) => {
      const cell = row[col]!.trim();
      const value = cell === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) {
        const line = r + 2;
        throw new LabError(
          'bad-data',
          `${file}: line ${line}, column "${MEASUREMENT_COLUMNS[k]}": ${cell === '' ? 'the value is empty' : `"${cell}" is not a finite number`}. ` +
            'Fill in the measurement or remove the row.',
          { file, line, column: col + 1 },
        );
      }
      return value;
    }),
  );
  return { file, columns: MEASUREMENT_COLUMNS, values };
}

/** Picks the named columns (by name) for the given rows. */
export function selectColumns(table: RegressionTable, columns: readonly string[], rows: readonly number[]): number[][] {
  const idx = columns.map((c) => {
    const i = table.columns.indexOf(c);
    if (i < 0) throw new LabError('bad-request', `unknown column "${c}"`);
    return i;
  });
  return rows.map((r) => idx.map((i) => table.values[r]![i]!));
}

export function targetValues(table: RegressionTable, rows: readonly number[]): number[] {
  const i = table.columns.indexOf(TARGET);
  return rows.map((r) => table.values[r]![i]!);
}
