// The statement chart as hand-written inline SVG, answering "does it pay?": cumulative
// savings attributable to the programme against cumulative outcome payments plus the
// programme fee due (the gap between them is the net), then the projection's P10–P90
// bands to the contract's end, hatched as well as coloured, and the break-even month.

import { kroner, monthName, t } from './i18n.js';
import { monthIndex, monthOfIndex, niceTicks } from './chart-scale.js';
import { monthOfWeek } from './weeks.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 760;
const HEIGHT = 360;
const MARGIN = { top: 28, right: 24, bottom: 40, left: 100 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;

/** The observed lines, in the order they are drawn and listed; `marker` tells them apart without colour. */
export const LINES = [
  { key: 'savings', className: 'series-savings', legend: 'legendSavings', marker: 'circle' },
  { key: 'costs', className: 'series-costs', legend: 'legendCosts', marker: 'square' },
  { key: 'net', className: 'series-net', legend: 'legendNet' },
];
/** The projected bands: the projection has payments and net per month, not the savings after deadweight. */
const BANDS = [
  { key: 'costs', className: 'series-costs', legend: 'legendCostsBand', hatch: 45 },
  { key: 'net', className: 'series-net', legend: 'legendNetBand', hatch: -45 },
];

function el(name, attributes = {}, ...children) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) node.setAttribute(key, String(value));
  for (const child of children) if (child !== undefined) node.append(child);
  return node;
}

const fmt = (n) => n.toFixed(1);
const shift = (band, by) => ({ p10: band.p10 + by, p50: band.p50 + by, p90: band.p90 + by });

/**
 * What the chart shows, apart from drawing: per observed month savings, costs
 * (payments + fees) and net; per projected month the bands of costs (the payments'
 * band moved by the fee due, which every run owes alike) and of net; or, without
 * monthly bands, the same at the contract's end. `feesDue(month)` comes from the
 * contract; without it no costs band is drawn, only the net's.
 */
export function chartSeries(statement, feesDue) {
  const observed = (statement.byMonth ?? []).map((row) => ({ month: row.month, savings: row.attributableSavings, costs: row.outcomePayments + (row.fees ?? 0), net: row.net }));
  const projection = statement.projection;
  const until = projection ? monthOfWeek(projection.until) : undefined;
  const projected = (row, month) => ({ month, costs: feesDue ? shift(row.outcomePayments, feesDue(month)) : undefined, net: row.net });
  const bands = projection?.byMonth?.length ? projection.byMonth.map((row) => projected(row, row.month)) : [];
  const end = projection && !bands.length && until ? projected(projection, until) : undefined;
  return { observed, bands, end, breakEven: breakEven(observed, bands) };
}

/**
 * The month the cumulative net turns from negative to 0 or more: observed, else the
 * first projected month whose median does (`expected`); none if it never does.
 */
export function breakEven(observed, bands) {
  for (let i = 1; i < observed.length; i++) if (observed[i - 1].net < 0 && observed[i].net >= 0) return { month: observed[i].month, expected: false };
  if (!observed.length || observed.at(-1).net >= 0) return undefined;
  const month = bands.find((row) => row.net.p50 >= 0)?.month;
  return month ? { month, expected: true } : undefined;
}

/** The break-even as words for the chart's description and label. */
const breakEvenText = (found, short = false) => found && t(found.expected ? 'chartBreakEvenExpected' : 'chartBreakEven', { month: monthName(found.month, { short }) });

/** Pixel scales covering every value drawn (and 0): `x(month)`, `y(kroner)`, the y ticks. */
function scales({ observed, bands, end }) {
  const months = [...observed, ...bands, ...(end ? [end] : [])].map((row) => monthIndex(row.month));
  const first = Math.min(...months);
  const last = Math.max(...months);
  const values = [0];
  for (const row of observed) values.push(row.savings, row.costs, row.net);
  for (const row of [...bands, ...(end ? [end] : [])]) for (const band of [row.costs, row.net]) if (band) values.push(band.p10, band.p90);
  const yTicks = niceTicks(Math.min(...values), Math.max(...values));
  const [yMin, yMax] = [yTicks[0], yTicks.at(-1)];
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  return {
    first,
    last,
    yTicks,
    x: (month) => MARGIN.left + (last === first ? PLOT_W / 2 : ((monthIndex(month) - first) / (last - first)) * PLOT_W),
    y: (value) => MARGIN.top + (1 - (value - yMin) / (yMax - yMin)) * plotH,
  };
}

/** The SVG element, with <title> and <desc>; the statement page lists its figures as a table too. */
export function renderChart(statement, { idPrefix = 'chart', feesDue } = {}) {
  const series = chartSeries(statement, feesDue);
  if (!series.observed.length && !series.bands.length && !series.end) return undefined;
  const scale = scales(series);
  const lastObserved = series.observed.at(-1);
  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'chart',
    role: 'img',
    'aria-labelledby': `${idPrefix}-title ${idPrefix}-desc`,
    'data-testid': 'chart',
    preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(
    el('title', { id: `${idPrefix}-title` }, t('chartTitleNet')),
    el('desc', { id: `${idPrefix}-desc` }, t('chartDescNet', {
      months: scale.last - scale.first + 1,
      from: monthName(monthOfIndex(scale.first)),
      to: monthName(monthOfIndex(scale.last)),
      asOf: monthName(statement.asOf),
      net: kroner(lastObserved?.net ?? 0),
      band: Boolean(statement.projection),
      until: statement.projection ? monthName(monthOfWeek(statement.projection.until) ?? statement.asOf) : '',
      breakEven: breakEvenText(series.breakEven),
    })),
    el('defs', {}, ...BANDS.map((band) => hatch(`${idPrefix}-hatch-${band.key}`, band))),
    grid(scale),
  );
  if (lastObserved && (series.bands.length || series.end)) svg.append(asOfMarker(statement.asOf, scale));
  for (const band of BANDS) svg.append(projectedGroup(band, series, scale, idPrefix));
  for (const line of LINES) svg.append(observedLine(line, series.observed, scale));
  if (lastObserved) svg.append(gapBracket(lastObserved, scale));
  if (series.breakEven) svg.append(breakEvenMarker(series.breakEven, scale));
  return svg;
}

/** Diagonal hatching in the band's colour over a light tint: tells the bands apart without colour. */
function hatch(id, band) {
  return el('pattern', { id, class: `hatch ${band.className}`, patternUnits: 'userSpaceOnUse', width: 7, height: 7, patternTransform: `rotate(${band.hatch})` },
    el('rect', { width: 7, height: 7, class: 'hatch-tint' }),
    el('line', { x1: 0, y1: 0, x2: 0, y2: 7, class: 'hatch-line' }),
  );
}

/** Grid lines with whole-krone y ticks (`data-value` for tests and tools) and about eight month labels. */
function grid({ first, last, x, y, yTicks }) {
  const group = el('g', { class: 'grid', 'aria-hidden': 'true' });
  for (const value of yTicks) {
    group.append(el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: fmt(y(value)), y2: fmt(y(value)), class: value === 0 ? 'zero' : 'gridline', 'data-value': value }));
    group.append(el('text', { x: MARGIN.left - 8, y: fmt(y(value)), class: 'tick y', 'dominant-baseline': 'middle', 'text-anchor': 'end' }, kroner(value, { decimals: 0 })));
  }
  const span = last - first;
  const step = [1, 2, 3, 4, 6, 12, 24].find((s) => span / s <= 8) ?? 24;
  for (let index = first; index <= last; index++) {
    const month = monthOfIndex(index);
    const px = fmt(x(month));
    group.append(el('line', { x1: px, x2: px, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom + 4, class: 'tick-mark' }));
    const labelled = (index - first) % step === 0 || (index === last && (index - first) % step >= step / 2);
    if (labelled) group.append(el('text', { x: px, y: HEIGHT - MARGIN.bottom + 18, class: 'tick x', 'text-anchor': 'middle' }, monthName(month, { short: true })));
  }
  group.append(el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: HEIGHT - MARGIN.bottom, y2: HEIGHT - MARGIN.bottom, class: 'axis' }));
  return group;
}

/** A label at `px`, on the side of it with room (left of it near the right edge). */
function sideLabel(px, py, text, attributes = {}) {
  const right = px > MARGIN.left + PLOT_W * 0.7;
  return el('text', { x: fmt(px + (right ? -6 : 6)), y: fmt(py), 'text-anchor': right ? 'end' : 'start', ...attributes }, text);
}

/** The vertical line where observed months end and the projection begins. */
function asOfMarker(asOf, { x }) {
  const px = x(asOf);
  return el('g', { class: 'asof', 'aria-hidden': 'true' },
    el('line', { x1: fmt(px), x2: fmt(px), y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }),
    sideLabel(px, MARGIN.top - 14, `${t('chartAsOf')} ${monthName(asOf, { short: true })}`),
  );
}

/** One observed line with a marker per month (a <title> each, for pointer users). */
function observedLine(line, observed, { x, y }) {
  const group = el('g', { class: `series observed ${line.className}`, 'data-series': line.key });
  if (!observed.length) return group;
  group.append(el('polyline', { class: 'line', points: observed.map((row) => `${fmt(x(row.month))},${fmt(y(row[line.key]))}`).join(' ') }));
  if (!line.marker) return group;
  const size = observed.length > 30 ? 2 : 3;
  for (const row of observed) {
    const [cx, cy] = [x(row.month), y(row[line.key])];
    const title = el('title', {}, `${monthName(row.month)}: ${t(line.legend)} ${kroner(row[line.key])}`);
    group.append(line.marker === 'circle'
      ? el('circle', { class: 'point', cx: fmt(cx), cy: fmt(cy), r: size }, title)
      : el('rect', { class: 'point', x: fmt(cx - size), y: fmt(cy - size), width: 2 * size, height: 2 * size }, title));
  }
  return group;
}

/** A projected band: hatched P10–P90 and the dashed P50 from the last observed point, or the range at the end. */
function projectedGroup(band, { observed, bands, end }, { x, y }, idPrefix) {
  const group = el('g', { class: `series projected ${band.className}`, 'data-band': band.key });
  const last = observed.at(-1);
  if (end?.[band.key]) {
    const b = end[band.key];
    const px = x(end.month) + (band.key === 'costs' ? -6 : 6);
    group.append(el('g', { class: 'range' },
      el('line', { x1: fmt(px), x2: fmt(px), y1: fmt(y(b.p10)), y2: fmt(y(b.p90)) }),
      ...[b.p10, b.p90].map((v) => el('line', { x1: fmt(px - 5), x2: fmt(px + 5), y1: fmt(y(v)), y2: fmt(y(v)) })),
      el('circle', { cx: fmt(px), cy: fmt(y(b.p50)), r: 4 }, el('title', {}, `${t(band.legend)}: P10 ${kroner(b.p10)}, P50 ${kroner(b.p50)}, P90 ${kroner(b.p90)}`)),
    ));
    return group;
  }
  const rows = bands.filter((row) => row[band.key]);
  if (!rows.length) return group;
  const start = last && monthIndex(last.month) < monthIndex(rows[0].month) ? [{ month: last.month, p10: last[band.key], p50: last[band.key], p90: last[band.key] }] : [];
  const points = [...start, ...rows.map((row) => ({ month: row.month, ...row[band.key] }))];
  const upper = points.map((p) => `${fmt(x(p.month))},${fmt(y(p.p90))}`);
  const lower = points.map((p) => `${fmt(x(p.month))},${fmt(y(p.p10))}`).reverse();
  group.append(
    el('polygon', { class: 'band', fill: `url(#${idPrefix}-hatch-${band.key})`, points: [...upper, ...lower].join(' ') }),
    el('polyline', { class: 'median', points: points.map((p) => `${fmt(x(p.month))},${fmt(y(p.p50))}`).join(' ') }),
  );
  return group;
}

/** The net at the last observed month, drawn as the gap between savings and costs and named. */
function gapBracket(row, { x, y }) {
  const px = x(row.month);
  const [top, bottom] = [y(row.savings), y(row.costs)];
  return el('g', { class: 'gap', 'data-testid': 'chart-gap', 'data-net': row.net, 'aria-hidden': 'true' },
    el('line', { x1: fmt(px), x2: fmt(px), y1: fmt(top), y2: fmt(bottom) }),
    ...[top, bottom].map((py) => el('line', { x1: fmt(px - 4), x2: fmt(px + 4), y1: fmt(py), y2: fmt(py) })),
    sideLabel(px, (top + bottom) / 2, t('chartGap', { amount: kroner(row.net) }), { 'dominant-baseline': 'middle', class: 'gap-label' }),
  );
}

/** Where the cumulative net reaches 0: a marked point on the zero line, named. */
function breakEvenMarker(found, { x, y }) {
  const px = x(found.month);
  return el('g', { class: `break-even${found.expected ? ' expected' : ''}`, 'data-testid': 'break-even', 'data-month': found.month, 'aria-hidden': 'true' },
    el('line', { x1: fmt(px), x2: fmt(px), y1: MARGIN.top, y2: HEIGHT - MARGIN.bottom }),
    el('circle', { cx: fmt(px), cy: fmt(y(0)), r: 5 }),
    sideLabel(px, MARGIN.top - 2, breakEvenText(found, true)),
  );
}

/** A legend swatch as a small SVG drawn like the series (line and marker, or hatched band). */
function swatch(className, kind, idPrefix, key) {
  const svg = el('svg', { class: `swatch ${className}`, viewBox: '0 0 28 14', width: 28, height: 14, 'aria-hidden': 'true' });
  if (kind === 'band') svg.append(el('rect', { x: 1, y: 1, width: 26, height: 12, fill: `url(#${idPrefix}-hatch-${key})`, class: 'band' }), el('line', { x1: 1, x2: 27, y1: 7, y2: 7, class: 'median' }));
  else if (kind === 'range') svg.append(el('line', { x1: 14, x2: 14, y1: 1, y2: 13, class: 'range-line' }), el('circle', { cx: 14, cy: 7, r: 3 }));
  else svg.append(el('line', { x1: 1, x2: 27, y1: 7, y2: 7, class: 'line' }), kind === 'circle' ? el('circle', { cx: 14, cy: 7, r: 3, class: 'point' }) : kind === 'square' ? el('rect', { x: 11, y: 4, width: 6, height: 6, class: 'point' }) : undefined);
  return svg;
}

/** The legend, in HTML so it wraps and reads well; says what each band is and what the projection lacks. */
export function chartLegend(statement, { idPrefix = 'chart', feesDue } = {}) {
  const series = chartSeries(statement, feesDue);
  const legend = document.createElement('ul');
  legend.className = 'legend';
  const item = (className, kind, text, key) => {
    const li = document.createElement('li');
    li.className = className;
    li.append(swatch(className, kind, idPrefix, key), text);
    return li;
  };
  for (const line of LINES) legend.append(item(line.className, line.marker ?? 'line', t(line.legend)));
  for (const band of BANDS) {
    const shown = series.end ? series.end[band.key] : series.bands.some((row) => row[band.key]);
    if (shown) legend.append(series.end ? item(band.className, 'range', t('legendRange', { what: t(band.key === 'net' ? 'fig_net' : 'chartColCosts') })) : item(band.className, 'band', t(band.legend), band.key));
  }
  return legend;
}
