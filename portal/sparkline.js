// A participant's weekly active hours as a small inline SVG beside their row: the
// trend at a glance, with the threshold as a dashed line; screen readers get the
// numbers themselves as its accessible name.

import { hours, t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 104;
const HEIGHT = 24;
const PAD = 2;

function svg(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/**
 * `points`: [week, active hours] oldest first. The y scale runs from 0 to the
 * larger of the highest week and the threshold, so the dashed threshold line is
 * always inside and a week under it is visibly under it.
 */
export function sparkline(participant, points, threshold) {
  const top = Math.max(threshold, ...points.map(([, value]) => value), 1);
  const x = (i) => PAD + (points.length > 1 ? (i * (WIDTH - 2 * PAD)) / (points.length - 1) : (WIDTH - 2 * PAD) / 2);
  const y = (value) => HEIGHT - PAD - (value / top) * (HEIGHT - 2 * PAD);
  const label = points.length
    ? t('sparklineLabel', { participant, from: points[0][0], to: points.at(-1)[0], values: points.map(([, value]) => hours(value)).join('; ') })
    : t('noData');
  const root = svg('svg', { class: 'sparkline', viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img', 'aria-label': label, 'data-testid': 'sparkline', focusable: 'false' });
  root.append(svg('title', {}));
  root.lastChild.textContent = label;
  if (threshold > 0) root.append(svg('line', { class: 'sparkline-threshold', x1: PAD, x2: WIDTH - PAD, y1: y(threshold), y2: y(threshold) }));
  if (points.length) {
    root.append(svg('polyline', { class: 'sparkline-line', points: points.map(([, value], i) => `${x(i).toFixed(1)},${y(value).toFixed(1)}`).join(' ') }));
    const [, last] = points.at(-1);
    root.append(svg('circle', { class: last < threshold ? 'sparkline-last low' : 'sparkline-last', cx: x(points.length - 1), cy: y(last), r: 2 }));
  }
  return root;
}
