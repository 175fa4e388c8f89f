/* grid.c: a spatial grid over points, cells of GRID_CELL_DEG degrees of latitude and
 * longitude, to find the schools near an employee (and the employees near a school)
 * without looking at all of them.  Invariant: a query never misses a point within its
 * radius (it may return some further away; callers filter by exact distance).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "match-private.h"

#define GRID_CELL_DEG 0.1
static gint64 cell_coord(double degrees) {
  return (gint64)floor(degrees / GRID_CELL_DEG);
}

static gint64 cell_key(gint64 ilat, gint64 ilon) {
  return (ilat + 1000000) * 4000000 + (ilon + 2000000);
}

typedef struct {
  gint64 key;
  guint point;
} GridEntry;

static int compare_grid_entry(const void *a, const void *b) {
  const GridEntry *x = a, *y = b;
  if (x->key != y->key)
    return (x->key > y->key) - (x->key < y->key);
  return (x->point > y->point) - (x->point < y->point);
}

void engine_grid_init(EngineGrid *grid, const double *lat, const double *lon,
                      const gboolean *include, guint n) {
  memset(grid, 0, sizeof *grid);
  grid->lat = lat;
  grid->lon = lon;
  GridEntry *entries = g_new(GridEntry, n + 1);
  guint m = 0;
  for (guint i = 0; i < n; i++) {
    if (include != NULL && !include[i])
      continue;
    entries[m].key = cell_key(cell_coord(lat[i]), cell_coord(lon[i]));
    entries[m].point = i;
    m++;
  }
  qsort(entries, m, sizeof *entries, compare_grid_entry);
  grid->n_points = m;
  grid->items = g_new(guint, m + 1);
  grid->cell_keys = g_new(gint64, m + 1);
  grid->cell_start = g_new(guint, m + 2);
  for (guint i = 0; i < m; i++) {
    grid->items[i] = entries[i].point;
    if (i == 0 || entries[i].key != entries[i - 1].key) {
      grid->cell_keys[grid->n_cells] = entries[i].key;
      grid->cell_start[grid->n_cells] = i;
      grid->n_cells++;
    }
  }
  grid->cell_start[grid->n_cells] = m;
  g_free(entries);
}

void engine_grid_clear(EngineGrid *grid) {
  g_clear_pointer(&grid->cell_keys, g_free);
  g_clear_pointer(&grid->cell_start, g_free);
  g_clear_pointer(&grid->items, g_free);
  grid->n_cells = grid->n_points = 0;
}

/* First cell with key >= `key`. */
static guint grid_lower_bound(const EngineGrid *grid, gint64 key) {
  guint lo = 0, hi = grid->n_cells;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (grid->cell_keys[mid] < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* The search box is exact for the haversine formula: a point further than dlat in
 * latitude or, within the band's largest |latitude| phi, further than
 * 2 asin(sin(r / 2R) / cos phi) in longitude is further than r away.  Near a pole or
 * across the date line every point is returned.  Cells of one latitude row have
 * consecutive keys, so a row is one binary search and a walk; points of those cells
 * outside the box are dropped. */
void engine_grid_query(const EngineGrid *grid, double lat, double lon, gint64 radius_m,
                       GArray *out) {
  double r = ((double)radius_m + 1.0) / MODEL_EARTH_RADIUS_M; /* +1: distances are rounded */
  double dlat = r * 180.0 / G_PI + 1e-9;
  double max_abs = MAX(fabs(lat - dlat), fabs(lat + dlat));
  double s = sin(r / 2.0) / cos(max_abs * G_PI / 180.0);
  gboolean all = max_abs >= 89.0 || s >= 1.0;
  double dlon = 0;
  if (!all) {
    dlon = 2.0 * asin(s) * 180.0 / G_PI + 1e-9;
    all = lon - dlon < -180.0 || lon + dlon > 180.0;
  }
  if (all) {
    g_array_append_vals(out, grid->items, grid->n_points);
    return;
  }
  gint64 lat0 = cell_coord(lat - dlat), lat1 = cell_coord(lat + dlat);
  gint64 lon0 = cell_coord(lon - dlon), lon1 = cell_coord(lon + dlon);
  for (gint64 i = lat0; i <= lat1; i++) {
    gint64 last = cell_key(i, lon1);
    for (guint c = grid_lower_bound(grid, cell_key(i, lon0));
         c < grid->n_cells && grid->cell_keys[c] <= last; c++) {
      for (guint k = grid->cell_start[c]; k < grid->cell_start[c + 1]; k++) {
        guint p = grid->items[k];
        if (fabs(grid->lat[p] - lat) <= dlat && fabs(grid->lon[p] - lon) <= dlon)
          g_array_append_val(out, p);
      }
    }
  }
}
