/** Bar charts ranking the features by a univariate score against the target. */
import type { TopLevelSpec } from 'vega-lite';
import type { FeatureScore, RegressionMetrics } from '../../../protocol/messages';
import type { ChartSpec } from './chartSpec';
import { primary, themeConfig, type ChartTheme } from './theme';

export type RankingScore = 'fScore' | 'mutualInformation';

/** The course selects the top 5 (k = 5) and the exercise tries k = 10. */
const CALLED_OUT = 5;
const HIGHLIGHTED = 10;
/** Enough bars to see where the scores fall away without a scroll. */
const MAX_BARS = 30;

const TIERS = [`Top ${CALLED_OUT}`, `Top ${CALLED_OUT + 1}–${HIGHLIGHTED}`, 'Others'] as const;

/** Significant digits with thousands separators: "1,330" and "0.523" rather than "1.33e+3" and "523m". */
const SCORE_FORMAT = ',.3~r';

const WORDS: Record<RankingScore, { id: string; title: string; axis: string; description: string }> = {
  fScore: {
    id: 'ranking-f',
    title: 'Features ranked by univariate F-score',
    axis: 'F-score',
    description:
      'The F-score measures how well a straight line through one feature alone predicts the target; ' +
      'it only sees linear relations.',
  },
  mutualInformation: {
    id: 'ranking-mi',
    title: 'Features ranked by mutual information',
    axis: 'Mutual information (nats)',
    description:
      'Mutual information measures how much knowing one feature reduces uncertainty about the target, ' +
      'whatever the shape of the relation.',
  },
};

export interface RankedFeature {
  feature: string;
  score: number;
  rank: number;
  tier: (typeof TIERS)[number];
}

/** Highest score first; ties keep the run's feature order so the ranking is stable between renders. */
export function rankFeatures(scores: readonly FeatureScore[], by: RankingScore): RankedFeature[] {
  return scores
    .map((s, i) => ({ feature: s.feature, score: s[by], i }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .map(({ feature, score }, i) => ({
      feature,
      score,
      rank: i + 1,
      tier: i < CALLED_OUT ? TIERS[0] : i < HIGHLIGHTED ? TIERS[1] : TIERS[2],
    }));
}

export function featureRankingChart(metrics: RegressionMetrics, by: RankingScore, theme: ChartTheme): ChartSpec {
  const words = WORDS[by];
  const ranked = rankFeatures(metrics.featureRanking, by).slice(0, MAX_BARS);
  const top = ranked.slice(0, CALLED_OUT).map((r) => r.feature);
  const accent = primary(theme);

  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${words.axis} of each feature against ${metrics.target}, highest first`,
    config: themeConfig(theme),
    width: 420,
    height: { step: 14 },
    data: { values: ranked },
    encoding: {
      // An explicit order rather than a sort by field: layered charts union their domains and drop field sorts.
      y: { field: 'feature', type: 'nominal', sort: ranked.map((r) => r.feature), title: null },
      x: { field: 'score', type: 'quantitative', title: words.axis, axis: { format: ',~r', tickCount: 5 } },
    },
    layer: [
      {
        mark: { type: 'bar', tooltip: true },
        encoding: {
          // Colour and opacity share one ordinal field so vega-lite merges them into a single tier legend.
          color: {
            field: 'tier',
            type: 'ordinal',
            title: null,
            scale: { domain: [...TIERS], range: [accent, accent, theme.grid] },
            legend: { orient: 'bottom', direction: 'horizontal' },
          },
          opacity: { field: 'tier', type: 'ordinal', scale: { domain: [...TIERS], range: [1, 0.5, 1] } },
          tooltip: [
            { field: 'rank', type: 'quantitative', title: 'Rank' },
            { field: 'feature', type: 'nominal', title: 'Feature' },
            { field: 'score', type: 'quantitative', title: words.axis, format: SCORE_FORMAT },
          ],
        },
      },
      {
        // The selected top 5 carry their score, so the learner can read them without hovering.
        transform: [{ filter: { field: 'rank', lte: CALLED_OUT } }],
        mark: { type: 'text', align: 'left', dx: 4, fontWeight: 'bold', fontSize: 10 },
        encoding: { text: { field: 'score', type: 'quantitative', format: SCORE_FORMAT } },
      },
    ],
  };

  return {
    id: words.id,
    title: words.title,
    description:
      `${words.description} The top ${CALLED_OUT} (${top.join(', ')}) are labelled with their scores; ` +
      `ranks ${CALLED_OUT + 1}–${HIGHLIGHTED} are shaded lighter. Scores are averaged over the training rows ` +
      'of every split, never the test rows.',
    spec,
  };
}
