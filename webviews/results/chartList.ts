/** A list of finished-run charts, drawn once per run (and again when the theme changes). */
import type { View } from 'vega';
import type { ChartSpec } from '../../trainer/report/charts/chartSpec';
import { el, replaceChildren } from '../shared/dom';
import { renderVegaLite } from './vegaChart';

export class ChartList {
  private drawnFor: string | undefined;
  private views: View[] = [];
  /** Bumped on reset, so a drawing loop that outlived a theme change stops adding figures. */
  private generation = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly reportError: (message: string) => void,
  ) {}

  /** `charts` is called only when the list is drawn, so a render that changes nothing builds no specs. */
  async show(key: string, charts: () => ChartSpec[]): Promise<void> {
    if (this.drawnFor === key) return;
    this.reset();
    this.drawnFor = key;
    const generation = this.generation;
    replaceChildren(this.container);
    for (const chart of charts()) {
      if (generation !== this.generation) return;
      const plot = el('div', { class: 'chart', role: 'img', 'aria-label': `${chart.title}. ${chart.description}` });
      const figure = el('figure', { id: `chart-${chart.id}` }, el('figcaption', {}, el('strong', {}, chart.title), ' ', chart.description), plot);
      this.container.appendChild(figure);
      try {
        this.views.push(await renderVegaLite(plot, chart.spec));
      } catch (err) {
        replaceChildren(plot, el('p', { class: 'error', role: 'alert' }, `This chart could not be drawn: ${String(err)}`));
        this.reportError(`chart ${chart.id}: ${String(err)}`);
      }
    }
  }

  /** Forgets the drawn charts and empties the container. */
  clear(): void {
    this.reset();
    replaceChildren(this.container);
  }

  reset(): void {
    this.views.forEach((v) => v.finalize());
    this.views = [];
    this.drawnFor = undefined;
    this.generation += 1;
  }
}
