// map.js: the coordinator's map of the districts, drawn as inline SVG by script (no
// tiles, no scripts or styles from elsewhere, so the Content-Security-Policy holds).
// A district with an outline in the dataset (GET /v1/districts: the real CBS polygon)
// is drawn as that polygon, one vertex per point; one without is drawn as the convex
// hull of its schools' coordinates (widened a little round each school), over the
// polygons.  Outlines and schools share one projection, so a school falls inside its
// district's polygon; the schools are drawn as points.  A district's colour is its
// fill from the API's figures (GET /v1/summary: proposed and approved against needed),
// and a click on it opens the proposals of that district.  Beside it the same figures
// as a table.

import {h, s} from './dom.js';
import {percent, t} from './i18n.js';

const WIDTH = 480;
const HEIGHT = 360;
const PAD = 24;
const MARGIN = 9; // the area drawn round each school, in the drawing's units
const LABEL = 48; // room kept for half a district's name beside the edges
const BANDS = [0.25, 0.5, 0.75, 1]; // fill below each bound: fill-0 .. fill-3; full: fill-4

// The convex hull of `points` [{x, y}] (Andrew's monotone chain), without repeated or
// collinear points.
function convexHull(points) {
  const p = [...points].sort((a, b) => a.x - b.x || a.y - b.y)
    .filter((q, i, all) => i === 0 || q.x !== all[i - 1].x || q.y !== all[i - 1].y);
  if (p.length < 3) return p;
  const cross = (o, a, b) => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  const half = (list) => {
    const out = [];
    for (const q of list) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], q) <= 0) out.pop();
      out.push(q);
    }
    out.pop();
    return out;
  };
  return [...half(p), ...half([...p].reverse())];
}

// The colour band of a district's figures: 'none' when nothing is needed.
function fillBand(figures) {
  if (!figures || figures.needed <= 0) return 'none';
  const rate = (figures.approved + figures.proposed) / figures.needed;
  const band = BANDS.findIndex((bound) => rate < bound);
  return String(band < 0 ? BANDS.length : band);
}

// Places' lat/lon (schools, outline points) to the drawing's x/y: equirectangular,
// scaled by the cosine of the mean latitude so distances look right, fitted into
// WIDTH x HEIGHT.
function projection(places) {
  const lats = places.map((x) => x.lat);
  const lons = places.map((x) => x.lon);
  const [minLat, maxLat, minLon, maxLon] = [Math.min(...lats), Math.max(...lats), Math.min(...lons), Math.max(...lons)];
  const k = Math.cos(((minLat + maxLat) / 2) * Math.PI / 180);
  const w = Math.max((maxLon - minLon) * k, 1e-6);
  const hgt = Math.max(maxLat - minLat, 1e-6);
  const scale = Math.min((WIDTH - 2 * PAD) / w, (HEIGHT - 2 * PAD) / hgt);
  const dx = (WIDTH - w * scale) / 2;
  const dy = (HEIGHT - hgt * scale) / 2;
  return (lat, lon) => ({x: dx + (lon - minLon) * k * scale, y: dy + (maxLat - lat) * scale});
}

// A closed path through `points` [{x, y}], one vertex each.
function area(points) {
  return s('path', {d: `M${points.map((q) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`).join('L')}Z`, class: 'area'});
}

// The area of a district without an outline: the convex hull of its points, each
// widened to an octagon of radius MARGIN, so that every school lies inside and one or
// two schools still make an area.
function hullArea(points) {
  const around = points.flatMap((q) => Array.from({length: 8}, (_, k) => ({
    x: q.x + MARGIN * Math.cos((k * Math.PI) / 4), y: q.y + MARGIN * Math.sin((k * Math.PI) / 4)})));
  return area(convexHull(around));
}

// A district's outline from the API when it is one (at least 3 points, every one a
// place), else null.
function outlineOf(district) {
  const ring = district.outline;
  const valid = Array.isArray(ring) && ring.length >= 3 &&
    ring.every((q) => Number.isFinite(q?.lat) && Number.isFinite(q?.lon));
  return valid ? ring : null;
}

function figuresText(name, f) {
  return t('map.districtlabel', {name, needed: f?.needed ?? 0, proposed: f?.proposed ?? 0, approved: f?.approved ?? 0});
}

// The map and the table.  `districts` from GET /v1/districts, `schools` from GET
// /v1/schools, `summary` GET /v1/summary's districts; `link(id)` the address of a
// district's proposals, `onPick(id)` called before following it.
export function districtMap(districts, schools, summary, link, onPick) {
  const figures = new Map(summary.map((d) => [d.district, d]));
  const placed = schools.filter((x) => Number.isFinite(x.lat) && Number.isFinite(x.lon));
  const withSchools = new Set(placed.map((x) => x.district));
  // A district without schools is drawn round its centre, which must fit in too.
  const bare = districts.filter((d) => !withSchools.has(d.id) && Number.isFinite(d.lat) && Number.isFinite(d.lon));
  // So do the outlines: one projection for schools and outlines alike.
  const rings = districts.flatMap((d) => outlineOf(d) ?? []);
  const places = [...placed, ...bare, ...rings];
  const at = projection(places.length ? places : [{lat: 0, lon: 0}]);
  const ordered = [...districts].sort((a, b) => a.id.localeCompare(b.id));
  // Outlines first and hulls over them: a district the outlines leave out (as the CBS
  // polygons of 2020 fold Duin into Poort) stays visible and can be clicked.
  const drawn = [...ordered.filter((d) => outlineOf(d)), ...ordered.filter((d) => !outlineOf(d))];
  const areas = drawn.map((d) => {
    const own = placed.filter((x) => x.district === d.id).map((x) => at(x.lat, x.lon));
    if (own.length === 0) own.push(at(d.lat, d.lon));
    const ring = outlineOf(d);
    const f = figures.get(d.id);
    const label = figuresText(d.name, f);
    const cx = own.reduce((n, q) => n + q.x, 0) / own.length;
    const cy = own.reduce((n, q) => n + q.y, 0) / own.length;
    const anchor = s('a', {href: link(d.id), class: `district fill-${fillBand(f)}`, 'data-district': d.id,
                           'aria-label': label},
      s('title', {}, label), ring ? area(ring.map((q) => at(q.lat, q.lon))) : hullArea(own),
      s('text', {x: Math.min(Math.max(cx, LABEL), WIDTH - LABEL).toFixed(1), y: (cy + 4).toFixed(1),
                 class: 'district-name', 'text-anchor': 'middle'}, d.name));
    anchor.addEventListener('click', () => onPick(d.id));
    return anchor;
  });
  const dots = placed.map((x) => {
    const q = at(x.lat, x.lon);
    return s('circle', {cx: q.x.toFixed(1), cy: q.y.toFixed(1), r: 2.5, class: 'school-dot', 'data-district': x.district},
      s('title', {}, x.name));
  });
  const svg = s('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, class: 'district-map', role: 'group',
                        'aria-labelledby': 'map-title'},
    s('title', {id: 'map-title'}, t('map.title')), areas, s('g', {class: 'schools', 'aria-hidden': 'true'}, dots));
  const legend = h('p', {class: 'legend map-legend'},
    ['none', '0', '1', '2', '3', '4'].map((band) => [h('span', {class: `key fill-${band}`}), t(`map.band.${band}`)]));
  const rows = ordered.map((d) => {
    const f = figures.get(d.id) || {needed: 0, proposed: 0, approved: 0, open: 0};
    const go = h('a', {href: link(d.id)}, d.name);
    go.addEventListener('click', () => onPick(d.id));
    return h('tr', {'data-district': d.id},
      h('th', {scope: 'row'}, h('span', {class: `key fill-${fillBand(f)}`}), go),
      h('td', {class: 'num'}, String(f.needed)), h('td', {class: 'num'}, String(f.proposed)),
      h('td', {class: 'num'}, String(f.approved)), h('td', {class: 'num'}, String(f.open)),
      h('td', {class: 'num'}, percent(f.needed > 0 ? (f.approved + f.proposed) / f.needed : null)));
  });
  const table = h('div', {class: 'table-wrap'}, h('table', {class: 'district-table'},
    h('caption', {class: 'sr-only'}, t('map.caption')),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, t('coord.district')),
      ['map.col.needed', 'map.col.proposed', 'map.col.approved', 'map.col.open', 'map.fill']
        .map((key) => h('th', {scope: 'col', class: 'num'}, t(key))))),
    h('tbody', {}, rows)));
  return h('div', {class: 'map-grid'}, h('figure', {class: 'map-box'}, svg, legend,
    h('figcaption', {class: 'hint'}, t('map.hint'))), table);
}
