import { BACKTEST_FIGURES, FIGURE_NAMES, positionOf, type BacktestFigure, type BacktestProjection, type BacktestResult, type CalibrationMetrics } from '../simulation/backtest.ts';

/*
 * The calibration chart of a backtest (`pbr backtest --chart FILE.svg`): one
 * panel per figure; in each, per projection a vertical bar from P10 to P90 of the
 * projected end-of-contract value, a tick at P50 and the realised end value (a
 * filled circle inside the band, an open diamond outside, so colour is never the
 * only cue), grouped by partnership with the as-of month along x. A header says
 * the coverage per figure. Plain SVG text: a <title> and <desc> for screen
 * readers, a <title> per projection for the exact values, text labels throughout.
 */

const SLOT = 18; // px per projection
const GROUP_GAP = 28;
const LEFT = 76;
const RIGHT = 16;
const HEADER = 104;
const PANEL_TITLE = 40;
const PLOT = 180;
const PANEL = PANEL_TITLE + PLOT + 78; // plot, month labels and partnership names below
const MIN_WIDTH = 760;
const COLOURS = { band: '#8fb3de', median: '#1f3f6b', inside: '#1b7f3b', outside: '#c0392b', grid: '#e3e3e3', axis: '#555' };

/** Text for SVG character data and attribute values. */
const xml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const dkk = (amount: number) => `${Math.round(amount).toLocaleString('en')} DKK`;
const percent = (share: number) => `${Math.round(share * 100)} %`;
const px = (value: number) => Math.round(value * 10) / 10;

/** An axis label: 1.2 M, 250 k, 0. */
function compact(amount: number): string {
  const size = Math.abs(amount);
  if (size >= 1e6) return `${(amount / 1e6).toFixed(size % 1e6 === 0 ? 0 : 1)} M`;
  if (size >= 1e3) return `${Math.round(amount / 1e3)} k`;
  return String(Math.round(amount));
}

/** A round step (1, 2 or 5 × 10^k) that splits `span` into about four. */
function niceStep(span: number): number {
  const rough = span / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  return ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
}

/** The partnerships in order of first appearance, each with its projections by as-of month. */
function groupsOf(projections: readonly BacktestProjection[]): { partnership: string; projections: BacktestProjection[] }[] {
  const groups = new Map<string, BacktestProjection[]>();
  for (const projection of projections) {
    let group = groups.get(projection.partnership);
    if (!group) groups.set(projection.partnership, (group = []));
    group.push(projection);
  }
  return [...groups].map(([partnership, list]) => ({ partnership, projections: list.sort((a, b) => (a.asOf < b.asOf ? -1 : a.asOf > b.asOf ? 1 : 0)) }));
}

/** "19 of 24 inside P10–P90 (79 %), 2 below, 3 above": one figure's coverage in words. */
export function coverageSentence(metrics: CalibrationMetrics): string {
  const of = (share: number) => Math.round(share * metrics.projections);
  return `${of(metrics.coverage)} of ${metrics.projections} inside P10–P90 (${percent(metrics.coverage)}), ${of(metrics.below)} below, ${of(metrics.above)} above`;
}

const capitalised = (text: string) => text[0]!.toUpperCase() + text.slice(1);

/** One projection's bar, P50 tick and realised mark, with its values as a tooltip. */
function projectionMark(projection: BacktestProjection, figure: BacktestFigure, x: number, y: (v: number) => number): string {
  const point = projection[figure];
  const position = positionOf(point);
  const where = position === 'inside' ? 'inside the band' : `${position} ${position === 'below' ? 'P10' : 'P90'}`;
  const label = `${projection.partnership} as of ${projection.asOf}: P10 ${dkk(point.p10)}, P50 ${dkk(point.p50)}, P90 ${dkk(point.p90)}; realised ${dkk(point.realised)} (${where})`;
  const [cx, cy] = [px(x), px(y(point.realised))];
  const realised =
    position === 'inside'
      ? `<circle cx="${cx}" cy="${cy}" r="3.5" fill="${COLOURS.inside}"/>`
      : `<path d="M${cx},${px(cy - 5)}L${px(cx + 5)},${cy}L${cx},${px(cy + 5)}L${px(cx - 5)},${cy}Z" fill="none" stroke="${COLOURS.outside}" stroke-width="1.8"/>`;
  return [
    `<g><title>${xml(label)}</title>`,
    `<line x1="${cx}" x2="${cx}" y1="${px(y(point.p10))}" y2="${px(y(point.p90))}" stroke="${COLOURS.band}" stroke-width="7"/>`,
    `<line x1="${px(cx - 5)}" x2="${px(cx + 5)}" y1="${px(y(point.p50))}" y2="${px(y(point.p50))}" stroke="${COLOURS.median}" stroke-width="2"/>`,
    realised,
    '</g>',
  ].join('');
}

/** One figure's panel: title with its coverage, y axis in DKK, the projections grouped by partnership. */
function panel(result: BacktestResult, figure: BacktestFigure, top: number, width: number): string {
  const groups = groupsOf(result.projections);
  const values = result.projections.flatMap((p) => [p[figure].p10, p[figure].p90, p[figure].realised]);
  let [low, high] = [Math.min(0, ...values), Math.max(0, ...values)];
  if (high === low) high = low + 1;
  const step = niceStep(high - low);
  [low, high] = [Math.floor(low / step) * step, Math.ceil(high / step) * step];
  const plotTop = top + PANEL_TITLE;
  const y = (value: number) => plotTop + PLOT - ((value - low) / (high - low)) * PLOT;
  const metrics = result.metrics[figure];
  const parts = [
    `<g aria-label="${xml(capitalised(FIGURE_NAMES[figure]))}">`,
    `<text x="${LEFT}" y="${top + 14}" font-size="13" font-weight="bold">${xml(capitalised(FIGURE_NAMES[figure]))}</text>`,
    `<text x="${LEFT}" y="${top + 30}" font-size="11">${xml(`${coverageSentence(metrics)}; median |P50 error| ${dkk(metrics.medianAbsoluteError)}`)}</text>`,
  ];
  for (let tick = low; tick <= high + step / 2; tick += step) {
    const ty = px(y(tick));
    const stroke = Math.abs(tick) < step / 2 ? `stroke="${COLOURS.axis}" stroke-dasharray="4 3"` : `stroke="${COLOURS.grid}"`;
    parts.push(`<line x1="${LEFT}" x2="${width - RIGHT}" y1="${ty}" y2="${ty}" ${stroke}/>`);
    parts.push(`<text x="${LEFT - 6}" y="${px(ty + 4)}" font-size="10" text-anchor="end">${xml(compact(tick))}</text>`);
  }
  let x = LEFT + SLOT / 2 + 4;
  for (const group of groups) {
    const first = x;
    for (const projection of group.projections) {
      parts.push(projectionMark(projection, figure, x, y));
      const labelY = plotTop + PLOT + 8;
      parts.push(`<text x="${px(x + 3)}" y="${labelY}" font-size="9" text-anchor="end" transform="rotate(-90 ${px(x + 3)} ${labelY})">${xml(projection.asOf)}</text>`);
      x += SLOT;
    }
    parts.push(`<text x="${px((first + x - SLOT) / 2)}" y="${plotTop + PLOT + 66}" font-size="11" text-anchor="middle">${xml(group.partnership)}</text>`);
    x += GROUP_GAP;
  }
  parts.push('</g>');
  return parts.join('\n');
}

/**
 * The SVG text of a backtest's calibration chart (see the top of this file).
 * Pure: the same result gives the same bytes.
 */
export function calibrationChartSvg(result: BacktestResult): string {
  const groups = groupsOf(result.projections);
  const slots = groups.reduce((sum, group) => sum + group.projections.length, 0);
  const width = Math.max(MIN_WIDTH, Math.ceil(LEFT + 8 + slots * SLOT + (groups.length - 1) * GROUP_GAP + RIGHT));
  const height = HEADER + BACKTEST_FIGURES.length * PANEL;
  const months = new Set(result.projections.map((p) => p.asOf)).size;
  const coverage = BACKTEST_FIGURES.map((figure) => `${FIGURE_NAMES[figure]} ${percent(result.metrics[figure].coverage)}`).join(', ');
  const title = `Projection backtest: ${result.projections.length} projections of ${groups.length} partnership${groups.length === 1 ? '' : 's'} from ${months} as-of month${months === 1 ? '' : 's'}`;
  const description = [
    'For each projection a vertical bar from P10 to P90 of the projected end-of-contract value, a tick at P50, and the realised end value:',
    'a filled circle when it lies inside the band, an open diamond when outside. Grouped by partnership; along x the as-of month.',
    ...BACKTEST_FIGURES.map((figure) => `${capitalised(FIGURE_NAMES[figure])}: ${coverageSentence(result.metrics[figure])}.`),
  ].join(' ');
  const legendY = 84;
  const legend = [
    `<line x1="${LEFT}" x2="${LEFT}" y1="${legendY - 9}" y2="${legendY + 5}" stroke="${COLOURS.band}" stroke-width="7"/>`,
    `<line x1="${LEFT - 5}" x2="${LEFT + 5}" y1="${legendY - 2}" y2="${legendY - 2}" stroke="${COLOURS.median}" stroke-width="2"/>`,
    `<text x="${LEFT + 12}" y="${legendY + 2}" font-size="11">P10–P90 band, P50 tick</text>`,
    `<circle cx="${LEFT + 160}" cy="${legendY - 2}" r="3.5" fill="${COLOURS.inside}"/>`,
    `<text x="${LEFT + 170}" y="${legendY + 2}" font-size="11">realised, inside</text>`,
    `<path d="M${LEFT + 275},${legendY - 7}L${LEFT + 280},${legendY - 2}L${LEFT + 275},${legendY + 3}L${LEFT + 270},${legendY - 2}Z" fill="none" stroke="${COLOURS.outside}" stroke-width="1.8"/>`,
    `<text x="${LEFT + 287}" y="${legendY + 2}" font-size="11">realised, outside</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="chart-title chart-desc" font-family="system-ui, sans-serif">`,
    `<title id="chart-title">${xml(title)}</title>`,
    `<desc id="chart-desc">${xml(description)}</desc>`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${LEFT}" y="26" font-size="16" font-weight="bold">${xml(title)}</text>`,
    `<text x="${LEFT}" y="48" font-size="12">${xml(`Coverage of P10–P90 (nominal 80 %): ${coverage}`)}</text>`,
    `<text x="${LEFT}" y="64" font-size="12">Each projection uses the data up to its as-of month; realised = the statement at the contract's end on all data.</text>`,
    ...legend,
    ...BACKTEST_FIGURES.map((figure, i) => panel(result, figure, HEADER + i * PANEL, width)),
    '</svg>',
    '',
  ].join('\n');
}
