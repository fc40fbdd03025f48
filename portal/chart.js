// The statement chart as hand-written inline SVG: cumulative outcome payments and
// municipal savings by month, and the projection's P10–P90 band to the contract's end.

import { kroner, monthName, t } from './i18n.js';
import { monthOfWeek } from './weeks.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 760;
const HEIGHT = 340;
const MARGIN = { top: 16, right: 24, bottom: 40, left: 96 };

/** The two series, in the order they are drawn and listed. */
export const SERIES = [
  { key: 'outcomePayments', className: 'series-payments', legend: 'chartLegendPayments' },
  { key: 'municipalSavings', className: 'series-savings', legend: 'chartLegendSavings' },
];

function el(name, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

/** `2019-02` → months since year 0, so months are evenly spaced on the x axis. */
const monthIndex = (month) => {
  const [y, m] = month.split('-').map(Number);
  return y * 12 + (m - 1);
};
const monthOfIndex = (index) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;

/** About five round tick values covering [min, max]. */
function ticks(min, max) {
  if (min === max) max = min + 1;
  const raw = (max - min) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const start = Math.floor(min / step) * step;
  const values = [];
  for (let v = start; v <= max + step * 1e-9; v += step) values.push(Math.round(v * 100) / 100);
  if (values[values.length - 1] < max) values.push(values[values.length - 1] + step);
  return values;
}

/**
 * What the chart shows, independent of drawing: actual points per month, the
 * projected band per month (or one range at the end), and the month span.
 */
function chartModel(statement) {
  const actual = statement.byMonth ?? [];
  const projection = statement.projection;
  const until = projection ? monthOfWeek(projection.until) : undefined;
  const bands = projection?.byMonth?.length ? projection.byMonth : undefined;
  const months = [...actual.map((m) => m.month), ...(bands ?? []).map((m) => m.month), ...(until ? [until] : [])];
  if (!months.length) return undefined;
  const indexes = months.map(monthIndex);
  return {
    actual,
    bands,
    until,
    projection,
    first: Math.min(...indexes),
    last: Math.max(...indexes),
    asOf: statement.asOf,
  };
}

const fmt = (n) => n.toFixed(1);

/** Pixel scales: `x(month)`, `y(kroner)`, and the y axis' ticks, covering every value drawn. */
function scales({ actual, bands, projection, first, last }) {
  const values = [0];
  for (const row of actual) for (const s of SERIES) values.push(row[s.key]);
  if (bands) for (const row of bands) for (const s of SERIES) values.push(row[s.key].p10, row[s.key].p90);
  else if (projection) for (const s of SERIES) values.push(projection[s.key].p10, projection[s.key].p90);
  const yTicks = ticks(Math.min(...values), Math.max(...values));
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const span = Math.max(1, last - first);
  return {
    yTicks,
    plotW,
    span,
    x: (month) => MARGIN.left + ((monthIndex(month) - first) / span) * plotW,
    y: (value) => MARGIN.top + (1 - (value - yMin) / (yMax - yMin)) * plotH,
  };
}

/** The SVG element, with <title> and <desc>; the statement page also lists its figures as a table. */
export function renderChart(statement, { idPrefix = 'chart' } = {}) {
  const model = chartModel(statement);
  if (!model) return undefined;
  const { actual, until, projection, first, last } = model;
  const scale = scales(model);
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    'aria-labelledby': `${titleId} ${descId}`,
    'data-testid': 'chart',
    preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(el('title', { id: titleId }, t('chartTitle')));
  svg.append(
    el(
      'desc',
      { id: descId },
      t('chartDesc', {
        months: last - first + 1,
        from: monthName(monthOfIndex(first)),
        to: monthName(monthOfIndex(last)),
        asOf: monthName(statement.asOf),
        band: Boolean(projection),
        until: until ? monthName(until) : '',
      }),
    ),
  );
  svg.append(grid(model, scale));
  if (actual.length && projection) svg.append(asOfMarker(statement.asOf, scale));
  for (const series of SERIES) svg.append(seriesGroup(series, model, scale));
  return svg;
}

/** Grid lines with the y axis' kroner, and about eight month labels on the x axis. */
function grid({ first, last }, { x, y, yTicks, span }) {
  const group = el('g', { class: 'grid', 'aria-hidden': 'true' });
  for (const value of yTicks) {
    group.append(el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: fmt(y(value)), y2: fmt(y(value)), class: value === 0 ? 'zero' : '' }));
    group.append(el('text', { x: MARGIN.left - 8, y: fmt(y(value)), class: 'tick y', 'dominant-baseline': 'middle', 'text-anchor': 'end' }, kroner(value, { decimals: 0 })));
  }
  const step = [1, 2, 3, 4, 6, 12, 24].find((s) => span / s <= 8) ?? 24;
  for (let index = first; index <= last; index++) {
    const month = monthOfIndex(index);
    const px = fmt(x(month));
    group.append(el('line', { x1: px, x2: px, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom + 4, class: 'tick-mark' }));
    if ((index - first) % step === 0 || index === last) {
      if (index === last && (index - first) % step !== 0 && (index - first) % step < step / 2) continue;
      group.append(el('text', { x: px, y: HEIGHT - MARGIN.bottom + 18, class: 'tick x', 'text-anchor': 'middle' }, monthName(month, { short: true })));
    }
  }
  group.append(el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom, class: 'axis' }));
  return group;
}

/** The vertical line where observed months end and the projection begins. */
function asOfMarker(asOf, { x, plotW }) {
  const px = fmt(x(asOf));
  const label = `${t('chartAsOf')} ${monthName(asOf, { short: true })}`;
  return el('g', { class: 'asof', 'aria-hidden': 'true' },
    el('line', { x1: px, x2: px, y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }),
    // the label on the side with room: right of the line, or left of it near the end
    Number(px) > MARGIN.left + plotW * 0.8
      ? el('text', { x: Number(px) - 4, y: MARGIN.top + 10, 'text-anchor': 'end' }, label)
      : el('text', { x: Number(px) + 4, y: MARGIN.top + 10 }, label),
  );
}

/** One series: its projection (monthly band, or one range at the end), then the observed line and points. */
function seriesGroup(series, { actual, bands, until, projection }, scale) {
  const { x, y } = scale;
  const group = el('g', { class: `series ${series.className}`, 'data-series': series.key });
  if (bands) group.append(...projectedBand(series, actual[actual.length - 1], bands, scale));
  else if (projection && until) group.append(endRange(series, projection[series.key], until, scale));
  if (actual.length) {
    group.append(el('polyline', { class: 'line', points: actual.map((row) => `${fmt(x(row.month))},${fmt(y(row[series.key]))}`).join(' ') }));
    for (const row of actual) {
      group.append(el('circle', { class: 'point', cx: fmt(x(row.month)), cy: fmt(y(row[series.key])), r: actual.length > 30 ? 2 : 3 }, el('title', {}, `${monthName(row.month)}: ${t(`fig_${series.key}`)} ${kroner(row[series.key])}`)));
    }
  }
  return group;
}

/** The P10–P90 band and the P50 line, from the last observed point (where the projection starts) to the end. */
function projectedBand(series, lastActual, bands, { x, y }) {
  const start = lastActual && monthIndex(lastActual.month) < monthIndex(bands[0].month) ? [{ month: lastActual.month, p10: lastActual[series.key], p50: lastActual[series.key], p90: lastActual[series.key] }] : [];
  const points = [...start, ...bands.map((row) => ({ month: row.month, ...row[series.key] }))];
  const upper = points.map((p) => `${fmt(x(p.month))},${fmt(y(p.p90))}`);
  const lower = points.map((p) => `${fmt(x(p.month))},${fmt(y(p.p10))}`).reverse();
  return [
    el('polygon', { class: 'band', points: [...upper, ...lower].join(' ') }),
    el('polyline', { class: 'median', points: points.map((p) => `${fmt(x(p.month))},${fmt(y(p.p50))}`).join(' ') }),
  ];
}

/** No monthly bands: the end-of-contract P10–P90 range as a marker at `until`, the two series side by side. */
function endRange(series, band, until, { x, y }) {
  const offset = series.key === 'outcomePayments' ? -5 : 5;
  const px = x(until) + offset;
  return el('g', { class: 'range' },
    el('line', { x1: fmt(px), x2: fmt(px), y1: fmt(y(band.p10)), y2: fmt(y(band.p90)) }),
    el('line', { x1: fmt(px - 5), x2: fmt(px + 5), y1: fmt(y(band.p10)), y2: fmt(y(band.p10)) }),
    el('line', { x1: fmt(px - 5), x2: fmt(px + 5), y1: fmt(y(band.p90)), y2: fmt(y(band.p90)) }),
    el('circle', { cx: fmt(px), cy: fmt(y(band.p50)), r: 4 }, el('title', {}, `${t(`fig_${series.key}`)} ${monthName(until)}: P10 ${kroner(band.p10)}, P50 ${kroner(band.p50)}, P90 ${kroner(band.p90)}`)),
  );
}

/** The legend, in HTML so it wraps and reads well. */
export function chartLegend(statement) {
  const legend = document.createElement('ul');
  legend.className = 'legend';
  const item = (className, text) => {
    const li = document.createElement('li');
    li.className = className;
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.setAttribute('aria-hidden', 'true');
    li.append(swatch, text);
    return li;
  };
  for (const s of SERIES) legend.append(item(s.className, t(s.legend)));
  if (statement.projection) legend.append(item(statement.projection.byMonth?.length ? 'series-band' : 'series-range', t(statement.projection.byMonth?.length ? 'chartLegendBand' : 'chartLegendRange')));
  return legend;
}
