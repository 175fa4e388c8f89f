// chart.js: the dashboard's chart of staff-slots needed, proposed and approved per day,
// drawn as SVG elements by script (the Content-Security-Policy allows no inline
// markup or styles, and nothing is loaded from elsewhere).  Colours come from
// style.css classes; each bar has a <title> for a tooltip, and the same figures are
// offered as a table for screen readers.

import {h, s} from './dom.js';
import {formatDay, t} from './i18n.js';

const HEIGHT = 220;
const TOP = 16;
const BOTTOM = 42;
const LEFT = 36;
const BAR = 7;
const SERIES = ['needed', 'proposed', 'filled']; // filled: approved
const MIN_WIDTH = 760;

function niceMax(value) {
  if (value <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

// days: [{date, needed, proposed, filled}] sorted by date; filled is approved.
export function neededFilledChart(days) {
  const width = Math.max(MIN_WIDTH, LEFT + days.length * (BAR * SERIES.length + 8) + 8);
  const slot = (width - LEFT - 8) / Math.max(1, days.length);
  const max = niceMax(Math.max(1, ...days.map((d) => d.needed)));
  const y = (v) => TOP + (HEIGHT - TOP - BOTTOM) * (1 - v / max);
  const ticks = [0, max / 2, max];
  const svg = s('svg', {viewBox: `0 0 ${width} ${HEIGHT}`, class: 'chart', role: 'img',
                        'aria-labelledby': 'chart-title', preserveAspectRatio: 'xMinYMin meet'},
    s('title', {id: 'chart-title'}, t('chart.title')),
    ticks.map((v) => [
      s('line', {x1: LEFT, x2: width, y1: y(v), y2: y(v), class: 'grid'}),
      s('text', {x: LEFT - 6, y: y(v) + 4, class: 'axis', 'text-anchor': 'end'}, String(v))]),
    days.map((d, i) => {
      const x = LEFT + i * slot + (slot - SERIES.length * BAR) / 2;
      const label = `${formatDay(d.date)}: ${SERIES.map((key) => `${t(`chart.${key}`)} ${d[key]}`).join(', ')}`;
      const middle = x + (SERIES.length * BAR) / 2;
      return s('g', {class: 'day'},
        SERIES.map((key, k) => s('rect', {x: x + k * BAR, y: y(d[key]), width: BAR,
                                          height: Math.max(0, y(0) - y(d[key])), class: key},
          s('title', {}, label))),
        s('text', {x: middle, y: HEIGHT - BOTTOM + 14, class: 'axis', 'text-anchor': 'middle'},
          d.date.slice(8, 10)),
        d.date.endsWith('-01') || i === 0
          ? s('text', {x: middle, y: HEIGHT - BOTTOM + 28, class: 'axis month', 'text-anchor': 'middle'},
            formatDay(d.date, {month: 'short'})) : null);
    }));
  const legend = h('p', {class: 'legend'}, SERIES.map((key) => [h('span', {class: `key ${key}`}), t(`chart.${key}`)]));
  const table = h('details', {class: 'chart-data'}, h('summary', {}, t('chart.astable')),
    h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('col.date')),
        SERIES.map((key) => h('th', {scope: 'col', class: 'num'}, t(`chart.${key}`))))),
      h('tbody', {}, days.map((d) => h('tr', {}, h('td', {}, formatDay(d.date)),
        SERIES.map((key) => h('td', {class: 'num'}, String(d[key])))))))));
  return h('figure', {class: 'chart-box'}, h('div', {class: 'chart-scroll'}, svg), legend, table);
}
