// The negotiation lifecycle drawn from the chart the hub serves (never a copy baked into the app):
// states as boxes in chart order, top to bottom; each event as an arrow from every state it may
// leave to the state it leads to, forward moves on the right, backward ones on the left. A table
// of the same events, with who may fire them, follows each drawing for reading and screen readers.
import type { InferResponseType } from 'hono/client';
import { type HubClient, okJson } from '../api.ts';
import { h } from '../dom.ts';

export type Lifecycle = InferResponseType<HubClient['api']['v1']['negotiation-lifecycle']['$get']>;
type Chart = Lifecycle['negotiation'] | Lifecycle['dataset'];

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 250;
const BOX_H = 34;
const PITCH = 64;
const LANE = 20;
const PAD = 14;

function s(tag: string, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElement {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/** One event's arrows on one side of the boxes: they share a lane, a label and the arrowhead. */
interface Route {
  event: string;
  label: string;
  side: 'left' | 'right';
  sources: number[];
  to: number;
  lane: number;
  /** Where its arrows meet each box it touches, by state index. */
  ports: Map<number, number>;
}

const labelLength = (text: string) => text.length * 6 + 10;

/**
 * Gives each route the innermost lane on its side where neither its arrows nor its label (written
 * along the lane) overlap another route's; short routes first, so they stay close to the boxes.
 */
function assignLanes(routes: Route[]): number {
  let most = 0;
  for (const side of ['left', 'right'] as const) {
    const lanes: [number, number][][] = [];
    const extent = (r: Route): [number, number] => {
      const ys = [...r.ports.values()];
      const lo = Math.min(...ys);
      const hi = Math.max(...ys);
      const mid = (lo + hi) / 2;
      const half = labelLength(r.label) / 2;
      return [Math.min(lo, mid - half) - 3, Math.max(hi, mid + half) + 3];
    };
    const mine = routes.filter((r) => r.side === side).sort((a, b) => extent(a)[1] - extent(a)[0] - (extent(b)[1] - extent(b)[0]));
    for (const r of mine) {
      const [lo, hi] = extent(r);
      let lane = lanes.findIndex((spans) => spans.every(([a, b]) => hi < a || lo > b));
      if (lane < 0) lane = lanes.push([]) - 1;
      lanes[lane]?.push([lo, hi]);
      r.lane = lane;
    }
    most = Math.max(most, lanes.length);
  }
  return most;
}

function drawChart(chart: Chart): SVGElement {
  const index = new Map<string, number>(chart.states.map((st, i) => [st.id, i]));
  const top = (i: number) => PAD + i * PITCH;
  const routes: Route[] = chart.events.flatMap((e) => {
    const to = index.get(e.to) ?? 0;
    const sources = e.from.map((f) => index.get(f) ?? 0);
    return (['right', 'left'] as const)
      .map((side) => ({
        event: e.id,
        label: e.label,
        side,
        to,
        lane: 0,
        ports: new Map<number, number>(),
        sources: sources.filter((f) => (side === 'right') === f < to),
      }))
      .filter((r) => r.sources.length > 0);
  });
  // Each route meets a box at its own height, so arrows sharing a box do not share a point.
  chart.states.forEach((_, i) => {
    for (const side of ['left', 'right']) {
      const on = routes.filter((r) => r.side === side && (r.to === i || r.sources.includes(i)));
      on.forEach((r, n) => {
        r.ports.set(i, top(i) + ((n + 1) * BOX_H) / (on.length + 1));
      });
    }
  });
  const lanes = assignLanes(routes);
  const left = PAD + (lanes + 1) * LANE;
  const width = left * 2 + BOX_W;
  const height = PAD * 2 + chart.states.length * PITCH;

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    role: 'img',
    'aria-label': `${chart.name} lifecycle`,
    'data-testid': `chart-${chart.name}`,
  });
  svg.append(
    s(
      'defs',
      {},
      s(
        'marker',
        {
          id: `arrow-${chart.name}`,
          viewBox: '0 0 10 10',
          refX: 9,
          refY: 5,
          markerWidth: 7,
          markerHeight: 7,
          orient: 'auto-start-reverse',
        },
        s('path', { d: 'M0 0 L10 5 L0 10 z', fill: '#1d4e89' }),
      ),
    ),
  );
  for (const r of routes) {
    const edgeX = r.side === 'right' ? left + BOX_W : left;
    const laneX = r.side === 'right' ? edgeX + (r.lane + 1) * LANE : edgeX - (r.lane + 1) * LANE;
    const ys = [...r.ports.values()];
    const mid = (Math.min(...ys) + Math.max(...ys)) / 2;
    const y = (i: number) => r.ports.get(i) ?? top(i);
    const target = chart.states[r.to];
    svg.append(
      s(
        'g',
        { 'data-event': r.event },
        s('title', {}, `${r.label}: ${r.sources.map((f) => chart.states[f]?.label).join(', ')} → ${target?.label}`),
        ...r.sources.map((f) =>
          s('path', {
            'data-from': chart.states[f]?.id ?? '',
            'data-to': target?.id ?? '',
            d: `M${edgeX} ${y(f)} H${laneX} V${y(r.to)} H${edgeX}`,
            fill: 'none',
            stroke: '#1d4e89',
            'stroke-width': 1.3,
            'marker-end': `url(#arrow-${chart.name})`,
          }),
        ),
        s(
          'text',
          {
            x: laneX - 3,
            y: mid,
            transform: `rotate(-90 ${laneX - 3} ${mid})`,
            'text-anchor': 'middle',
            'font-size': 10,
            fill: '#1c2430',
            stroke: '#fff',
            'stroke-width': 3,
            'paint-order': 'stroke',
          },
          r.label,
        ),
      ),
    );
  }
  chart.states.forEach((st, i) => {
    const initial = st.id === chart.initial;
    svg.append(
      s(
        'g',
        { 'data-state': st.id, 'data-final': String(st.final), 'data-initial': String(initial) },
        s('title', {}, st.description),
        s('rect', {
          x: left,
          y: top(i),
          width: BOX_W,
          height: BOX_H,
          rx: 6,
          fill: st.final ? '#e8eef7' : '#fff',
          stroke: '#1d4e89',
          'stroke-width': st.final ? 3 : 1.2,
        }),
        s(
          'text',
          {
            x: left + BOX_W / 2,
            y: top(i) + BOX_H / 2 + 4,
            'text-anchor': 'middle',
            'font-size': 12,
            'font-weight': initial ? 700 : 400,
            fill: '#1c2430',
          },
          st.label,
        ),
      ),
    );
  });
  return svg;
}

function eventsTable(chart: Chart): HTMLElement {
  const label = new Map<string, string>(chart.states.map((st) => [st.id, st.label]));
  return h(
    'table',
    { class: 'lifecycle-events', 'data-testid': `events-${chart.name}` },
    h('thead', {}, h('tr', {}, h('th', {}, 'Event'), h('th', {}, 'From'), h('th', {}, 'To'), h('th', {}, 'Who'))),
    h(
      'tbody',
      {},
      ...chart.events.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, e.label),
          h('td', {}, e.from.map((f) => label.get(f) ?? f).join(', ')),
          h('td', {}, label.get(e.to) ?? e.to),
          h('td', {}, e.roles.join(', ')),
        ),
      ),
    ),
  );
}

function moving(lifecycle: Lifecycle): string {
  return lifecycle.datasetsMoveWhile
    .map((id) => lifecycle.negotiation.states.find((st) => st.id === id)?.label.toLowerCase() ?? id)
    .join(' or ');
}

/** Both charts with their tables; bold boxes start, thick boxes are final. */
export function lifecycleView(lifecycle: Lifecycle): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'negotiation-lifecycle' },
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'An access request'),
      h('p', { class: 'muted' }, 'Drafted and submitted by the researcher, reviewed by EUCAIM. Thick boxes are final.'),
      h('div', { class: 'lifecycle-chart' }, drawChart(lifecycle.negotiation)),
      eventsTable(lifecycle.negotiation),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, 'Each requested dataset'),
      h(
        'p',
        { class: 'muted' },
        `Datasets move while the request is ${moving(lifecycle)}; the request concludes by itself when ${lifecycle.autoConclude.when}.`,
      ),
      h('div', { class: 'lifecycle-chart' }, drawChart(lifecycle.dataset)),
      eventsTable(lifecycle.dataset),
    ),
  );
}

export async function negotiationLifecyclePage(client: HubClient): Promise<HTMLElement> {
  return lifecycleView(await okJson(await client.api.v1['negotiation-lifecycle'].$get()));
}
