/**
 * Min–max scaling to [0, 1], fitted on training rows only so that nothing about the test rows leaks into
 * the model. A column that is constant in the training rows maps to 0 rather than dividing by zero.
 */
export class MinMaxScaler {
  private constructor(
    readonly min: readonly number[],
    readonly range: readonly number[],
  ) {}

  static fit(rows: readonly (readonly number[])[]): MinMaxScaler {
    if (rows.length === 0) throw new RangeError('cannot fit a scaler on zero rows');
    const width = rows[0]!.length;
    const min = new Array<number>(width).fill(Infinity);
    const max = new Array<number>(width).fill(-Infinity);
    for (const row of rows) {
      for (let j = 0; j < width; j++) {
        const v = row[j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    return new MinMaxScaler(min, max.map((hi, j) => hi - min[j]!));
  }

  transform(rows: readonly (readonly number[])[]): number[][] {
    return rows.map((row) => row.map((v, j) => (this.range[j] === 0 ? 0 : (v - this.min[j]!) / this.range[j]!)));
  }

  /** For a one-column scaler: back from [0, 1] to the original units. */
  inverseColumn(values: readonly number[], column = 0): number[] {
    return values.map((v) => v * this.range[column]! + this.min[column]!);
  }
}
