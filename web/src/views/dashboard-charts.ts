// The dashboard's charts, drawn by Chart.js on canvas. Only the parts used are registered, so the
// bundle stays small; animation is off so a chart is complete as soon as it is drawn.
import { ArcElement, BarController, BarElement, CategoryScale, Chart, DoughnutController, Legend, LinearScale, Tooltip } from 'chart.js';
import { h } from '../dom.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, DoughnutController, ArcElement, Legend, Tooltip);

const PALETTE = ['#1d4e89', '#3f8fd2', '#f0a500', '#1b6e3a', '#a11d2b', '#6b4fa0', '#5b6675', '#c76b29'];

export interface Series {
  label: string;
  values: number[];
}

/**
 * A chart in a figure with a text table beside it: the canvas is for the eye, the table carries
 * the same numbers for screen readers and for anyone who wants the exact figures.
 */
export function chartFigure(opts: {
  id: string;
  title: string;
  kind: 'bar' | 'doughnut';
  labels: string[];
  series: Series[];
  horizontal?: boolean;
}): HTMLElement {
  const canvas = h('canvas', { role: 'img', 'aria-label': opts.title, 'data-testid': `chart-${opts.id}` });
  const table = h(
    'table',
    { class: 'chart-data', 'data-testid': `chart-${opts.id}-data` },
    h('thead', {}, h('tr', {}, h('th', {}, ''), ...opts.series.map((s) => h('th', { class: 'num' }, s.label)))),
    h(
      'tbody',
      {},
      ...opts.labels.map((label, i) =>
        h(
          'tr',
          {},
          h('th', { scope: 'row' }, label),
          ...opts.series.map((s) => h('td', { class: 'num' }, (s.values[i] ?? 0).toLocaleString('en'))),
        ),
      ),
    ),
  );
  const figure = h(
    'figure',
    { class: 'card chart', 'data-testid': `figure-${opts.id}` },
    h('figcaption', {}, opts.title),
    h('div', { class: 'chart-box' }, canvas),
    h('details', {}, h('summary', {}, 'The figures'), table),
  );
  const chart = new Chart(canvas, {
    type: opts.kind,
    data: {
      labels: opts.labels,
      datasets: opts.series.map((s, i) => ({
        label: s.label,
        data: s.values,
        backgroundColor: opts.kind === 'doughnut' ? PALETTE : PALETTE[i % PALETTE.length],
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: opts.horizontal ? 'y' : 'x',
      plugins: { legend: { display: opts.kind === 'doughnut' || opts.series.length > 1 } },
    },
  });
  figure.dataset.chartReady = String(chart.data.labels?.length ?? 0);
  return figure;
}
