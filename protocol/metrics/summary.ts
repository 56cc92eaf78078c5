import type { ClassificationMetrics } from './classification';
import type { RegressionMetrics } from './regression';

/** One plain sentence with a run's headline number, for a notification or the end of a CLI run. */
export function headline(metrics: RegressionMetrics | ClassificationMetrics): string {
  if (metrics.submodule === 'regression') {
    const best = [...metrics.models].sort((a, b) => a.mae.mean - b.mae.mean)[0];
    return best ? `Lowest error: ${best.label}, MAE ${best.mae.mean.toFixed(3)} ± ${best.mae.sd.toFixed(3)} ${metrics.units}.` : '';
  }
  const best = [...metrics.experiments].sort((a, b) => b.test.acc - a.test.acc)[0];
  return best ? `Best test accuracy: experiment ${best.name} (${best.label}), ACC ${(best.test.acc * 100).toFixed(1)} %, AUC ${best.test.auc.toFixed(3)}.` : '';
}

/** Aligned text rows of every model's or experiment's result, for a terminal. */
export function resultRows(metrics: RegressionMetrics | ClassificationMetrics): string[] {
  if (metrics.submodule === 'regression') {
    return metrics.models.map(
      (m) => `${m.name.padEnd(20)} MAE ${m.mae.mean.toFixed(4)} ± ${m.mae.sd.toFixed(4)}   RMSE ${m.rmse.mean.toFixed(4)} ± ${m.rmse.sd.toFixed(4)}`,
    );
  }
  return metrics.experiments.map((e) => `${`${e.name} ${e.label}`.padEnd(40)} test ACC ${e.test.acc.toFixed(4)}   AUC ${e.test.auc.toFixed(4)}`);
}
