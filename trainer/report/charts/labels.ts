import type { RegressionMetrics } from '../../../protocol/messages';

/** Display names for feature sets and models, falling back to the raw name when a label is missing. */
export interface Labels {
  featureSet(name: string): string;
  model(name: string): string;
  /** The model's label, plus its feature set when another model shares the label (one line per model). */
  distinctModel(name: string): string;
  /** Feature-set labels in the run's order, for a colour scale's domain. */
  featureSetOrder: string[];
}

export function labelsOf(metrics: RegressionMetrics): Labels {
  const sets = new Map(metrics.featureSets.map((s) => [s.name, s.label]));
  const models = new Map(metrics.models.map((m) => [m.name, m]));
  const labelCounts = new Map<string, number>();
  for (const m of metrics.models) labelCounts.set(m.label, (labelCounts.get(m.label) ?? 0) + 1);
  const order = metrics.featureSets.map((s) => s.label);
  // A model may name a feature set the run did not describe; it still needs a colour.
  for (const m of metrics.models) {
    const label = sets.get(m.featureSet) ?? m.featureSet;
    if (!order.includes(label)) order.push(label);
  }
  const featureSet = (name: string): string => sets.get(name) ?? name;
  return {
    featureSet,
    model: (name) => models.get(name)?.label ?? name,
    distinctModel: (name) => {
      const m = models.get(name);
      if (!m) return name;
      return (labelCounts.get(m.label) ?? 0) > 1 ? `${m.label} (${featureSet(m.featureSet)})` : m.label;
    },
    featureSetOrder: order,
  };
}
