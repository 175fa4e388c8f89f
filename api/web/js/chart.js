// chart.js: the dashboard's chart of staff-slots needed against filled per day,
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
const BAR = 9;
const MIN_WIDTH = 760;

function niceMax(value) {
  if (value <= 5) return 5;
  const step = 10 ** Math.floor(Math.log10(value));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * step >= value) return m * step;
  return 10 * step;
}

// days: [{date, needed, filled}] sorted by date.
export function neededFilledChart(days) {
  const width = Math.max(MIN_WIDTH, LEFT + days.length * (BAR * 2 + 8) + 8);
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
      const x = LEFT + i * slot + (slot - 2 * BAR) / 2;
      const label = `${formatDay(d.date)}: ${t('chart.needed')} ${d.needed}, ${t('chart.filled')} ${d.filled}`;
      return s('g', {class: 'day'},
        s('rect', {x, y: y(d.needed), width: BAR, height: Math.max(0, y(0) - y(d.needed)), class: 'needed'},
          s('title', {}, label)),
        s('rect', {x: x + BAR, y: y(d.filled), width: BAR, height: Math.max(0, y(0) - y(d.filled)), class: 'filled'},
          s('title', {}, label)),
        s('text', {x: x + BAR, y: HEIGHT - BOTTOM + 14, class: 'axis', 'text-anchor': 'middle'},
          d.date.slice(8, 10)),
        d.date.endsWith('-01') || i === 0
          ? s('text', {x: x + BAR, y: HEIGHT - BOTTOM + 28, class: 'axis month', 'text-anchor': 'middle'},
            formatDay(d.date, {month: 'short'})) : null);
    }));
  const legend = h('p', {class: 'legend'},
    h('span', {class: 'key needed'}), t('chart.needed'), h('span', {class: 'key filled'}), t('chart.filled'));
  const table = h('details', {class: 'chart-data'}, h('summary', {}, t('chart.astable')),
    h('div', {class: 'table-wrap'}, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('col.date')), h('th', {scope: 'col', class: 'num'}, t('chart.needed')),
        h('th', {scope: 'col', class: 'num'}, t('chart.filled')))),
      h('tbody', {}, days.map((d) => h('tr', {}, h('td', {}, formatDay(d.date)), h('td', {class: 'num'}, String(d.needed)),
        h('td', {class: 'num'}, String(d.filled))))))));
  return h('figure', {class: 'chart-box'}, h('div', {class: 'chart-scroll'}, svg), legend, table);
}
