/** Number and duration formats shared by the report's table and prose. */
import type { Summary } from '../../protocol/messages';

/**
 * Errors to three decimals: the course compares errors around a tenth of a unit and standard deviations
 * down to a thousandth. Anything smaller is shown as "< 0.001" rather than a misleading "0.000".
 */
export function formatError(value: number): string {
  if (value !== 0 && Math.abs(value) < 0.0005) return '< 0.001';
  return value.toFixed(3);
}

export function formatSummary(summary: Summary): string {
  return `${formatError(summary.mean)} ± ${formatError(summary.sd)}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds - minutes * 60);
  if (minutes < 60) return `${minutes} min ${rest} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** "about 40×" for the prose; ratios are rough and a decimal would suggest a precision they lack. */
export function formatRatio(ratio: number): string {
  return ratio >= 10 ? `${Math.round(ratio)}×` : `${ratio.toFixed(1)}×`;
}
