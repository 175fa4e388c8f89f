/* locations.h: childcare locations and their figures (H7) added to a test dataset, for
 * the engine, checker and store tests alike.  Header only; the folders include it as
 * "../locations.h".  Strings are duplicated into the dataset, which owns them.
 */
#pragma once

#include "model.h"

/* Adds location `id` of organisation `organisation` at (lat, lon) without figures;
 * returns its index. */
static inline guint tl_location(ModelDataset *ds, const char *id, const char *organisation,
                                double lat, double lon) {
  ModelLocation l;
  model_location_init(&l);
  l.id = g_strdup(id);
  l.organisation_id = g_strdup(organisation);
  l.name = g_strdup_printf("Locatie %s", id);
  l.lat = lat;
  l.lon = lon;
  g_array_append_val(ds->locations, l);
  return ds->locations->len - 1;
}

/* Gives location `l` figures for one day part: -1 leaves a figure out. */
static inline void tl_load(ModelDataset *ds, guint l, ModelSlot slot, gint32 children, gint32 staff,
                           gint32 max_lend) {
  ModelLocationLoad load = {
      .when = {.kind = MODEL_SLOT_RULE_ONE,
               .from = slot.date,
               .to = slot.date,
               .weekdays = MODEL_WEEKDAYS_ALL,
               .parts = (guint8)(1u << slot.part)},
      .children_expected = children,
      .staff_present = staff,
      .max_lend = max_lend,
  };
  g_array_append_val(g_array_index(ds->locations, ModelLocation, l).load, load);
}

/* Employee `e` works at location `location`. */
static inline void tl_works_at(ModelDataset *ds, guint e, const char *location) {
  ModelEmployee *employee = &g_array_index(ds->employees, ModelEmployee, e);
  g_free(employee->location_id);
  employee->location_id = g_strdup(location);
}
