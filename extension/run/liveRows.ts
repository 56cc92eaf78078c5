/**
 * Collects per-split MAE metrics and hands them over in batches: a run can emit hundreds of metrics a
 * second, and one postMessage per metric would keep the webview busy re-rendering. Pure apart from timers.
 */
import type { DidRecordMetricParams } from '../../protocol/messages';
import type { LiveRow } from '../../protocol/webview';

export const LIVE_METRIC = 'mae';

export function liveRowOf(metric: DidRecordMetricParams): LiveRow | undefined {
  if (metric.name !== LIVE_METRIC || metric.split === undefined) return undefined;
  return { model: metric.model, split: metric.split, mae: metric.value };
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
