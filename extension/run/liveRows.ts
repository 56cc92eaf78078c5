/**
 * Turns the trainer's metrics into the results panel's live rows and hands them over in batches: a run can
 * emit hundreds of metrics a second, and one postMessage per metric would keep the webview busy
 * re-rendering. Pure apart from timers.
 */
import type { DidRecordMetricParams } from '../../protocol/messages';
import { LIVE_EPOCH_METRICS, type LiveEpochMetric, type LiveRow } from '../../protocol/webview';

/** Regression's per-split test error. */
export const LIVE_SPLIT_METRIC = 'mae';

/** The row a metric adds to the live chart, or undefined for a metric the live chart does not draw. */
export function liveRowOf(metric: DidRecordMetricParams): LiveRow | undefined {
  const { model, name, value, split, epoch } = metric;
  if (name === LIVE_SPLIT_METRIC && split !== undefined) return { kind: 'split', model, split, mae: value };
  if (isLiveEpochMetric(name) && epoch !== undefined && epoch > 0) return { kind: 'epoch', model, epoch, metric: name, value };
  return undefined;
}

function isLiveEpochMetric(name: string): name is LiveEpochMetric {
  return (LIVE_EPOCH_METRICS as readonly string[]).includes(name);
}

export class RowBatcher {
  private rows: LiveRow[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly emit: (rows: LiveRow[]) => void,
    private readonly delayMs = 250,
  ) {}

  add(row: LiveRow): void {
    this.rows.push(row);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.rows.length === 0) return;
    const rows = this.rows;
    this.rows = [];
    this.emit(rows);
  }
}
