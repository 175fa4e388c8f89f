/* entities.c: lifecycle of the entities and the dataset, the id indexes, canonical
 * sorting, staff-need derivation, distances and employee locations.
 * Invariant: an index maps an entity's id (borrowed from the entity) to its array
 * index + 1, so it is valid exactly until the arrays are next changed; where an id
 * occurs twice the first occurrence is indexed.
 */
#include "model.h"

#include <math.h>
#include <string.h>

/* ---- entities ----------------------------------------------------------- */

void model_district_clear(ModelDistrict *district) {
  if (district == NULL)
    return;
  g_clear_pointer(&district->id, g_free);
  g_clear_pointer(&district->name, g_free);
  if (district->neighbours != NULL) {
    /* The dataset owns every string: make sure the elements go with the array. */
    g_ptr_array_set_free_func(district->neighbours, g_free);
    g_clear_pointer(&district->neighbours, g_ptr_array_unref);
  }
  g_clear_pointer(&district->outline, g_array_unref);
}

void model_school_init(ModelSchool *school) {
  g_return_if_fail(school != NULL);
  memset(school, 0, sizeof *school);
  school->type = MODEL_SCHOOL_PO;
  school->pupils = -1;
}

void model_school_clear(ModelSchool *school) {
  if (school == NULL)
    return;
  g_clear_pointer(&school->id, g_free);
  g_clear_pointer(&school->brin, g_free);
  g_clear_pointer(&school->name, g_free);
  g_clear_pointer(&school->district_id, g_free);
  g_clear_pointer(&school->postcode, g_free);
  model_contact_clear(&school->contact);
}

void model_contact_clear(ModelContact *contact) {
  if (contact == NULL)
    return;
  g_clear_pointer(&contact->name, g_free);
  g_clear_pointer(&contact->email, g_free);
  g_clear_pointer(&contact->phone, g_free);
}

void model_organisation_clear(ModelOrganisation *organisation) {
  if (organisation == NULL)
    return;
  g_clear_pointer(&organisation->id, g_free);
  g_clear_pointer(&organisation->name, g_free);
  g_clear_pointer(&organisation->lrk, g_free);
  g_clear_pointer(&organisation->district_id, g_free);
  model_contact_clear(&organisation->contact);
}

void model_location_init(ModelLocation *location) {
  g_return_if_fail(location != NULL);
  memset(location, 0, sizeof *location);
  location->load = g_array_new(FALSE, FALSE, sizeof(ModelLocationLoad));
}

void model_location_clear(ModelLocation *location) {
  if (location == NULL)
    return;
  g_clear_pointer(&location->id, g_free);
  g_clear_pointer(&location->organisation_id, g_free);
  g_clear_pointer(&location->name, g_free);
  g_clear_pointer(&location->lrk, g_free);
  g_clear_pointer(&location->district_id, g_free);
  g_clear_pointer(&location->load, g_array_unref);
}

gint32 model_location_load_lendable(const ModelLocationLoad *load, gint32 children_per_staff) {
  g_return_val_if_fail(load != NULL, 0);
  g_return_val_if_fail(children_per_staff >= 1, 0);
  gint64 lendable = G_MAXINT32;
  if (load->max_lend >= 0)
    lendable = load->max_lend;
  if (load->staff_present >= 0) {
    gint64 children = MAX(load->children_expected, 0);
    gint64 own_need = (children + children_per_staff - 1) / children_per_staff;
    lendable = MIN(lendable, (gint64)load->staff_present - own_need);
  }
  return (gint32)MAX(lendable, 0);
}

static int compare_location_slots(gconstpointer a, gconstpointer b) {
  const ModelLocationSlot *x = a, *y = b;
  int c = model_slot_compare(&x->slot, &y->slot);
  return c != 0 ? c : (x->lendable > y->lendable) - (x->lendable < y->lendable);
}

GArray *model_location_slots(const ModelLocation *location, gint32 children_per_staff) {
  g_return_val_if_fail(location != NULL && children_per_staff >= 1, NULL);
  GArray *out = g_array_new(FALSE, FALSE, sizeof(ModelLocationSlot));
  g_autoptr(GArray) slots = g_array_new(FALSE, FALSE, sizeof(ModelSlot));
  for (guint i = 0; location->load != NULL && i < location->load->len; i++) {
    const ModelLocationLoad *load = &g_array_index(location->load, ModelLocationLoad, i);
    gint32 lendable = model_location_load_lendable(load, children_per_staff);
    g_array_set_size(slots, 0);
    model_slot_rule_expand(&load->when, slots);
    for (guint k = 0; k < slots->len; k++) {
      ModelLocationSlot ls = {g_array_index(slots, ModelSlot, k), lendable};
      g_array_append_val(out, ls);
    }
  }
  g_array_sort(out, compare_location_slots);
  /* Overlapping entries: the first of equal slots has the smallest lending. */
  guint m = 0;
  for (guint i = 0; i < out->len; i++) {
    ModelLocationSlot *ls = &g_array_index(out, ModelLocationSlot, i);
    if (m > 0 &&
        model_slot_compare(&g_array_index(out, ModelLocationSlot, m - 1).slot, &ls->slot) == 0)
      continue;
    g_array_index(out, ModelLocationSlot, m++) = *ls;
  }
  g_array_set_size(out, m);
  return out;
}

void model_employee_init(ModelEmployee *employee) {
  g_return_if_fail(employee != NULL);
  memset(employee, 0, sizeof *employee);
  employee->availability = g_array_new(FALSE, FALSE, sizeof(ModelSlotRule));
  employee->max_parts_per_week = 10;
  employee->max_travel_km = MODEL_DEFAULT_MAX_TRAVEL_KM;
  employee->active = TRUE;
  employee->confirmed = MODEL_DATE_NONE;
}

void model_employee_clear(ModelEmployee *employee) {
  if (employee == NULL)
    return;
  g_clear_pointer(&employee->id, g_free);
  g_clear_pointer(&employee->organisation_id, g_free);
  g_clear_pointer(&employee->name, g_free);
  g_clear_pointer(&employee->district_id, g_free);
  g_clear_pointer(&employee->location_id, g_free);
  g_clear_pointer(&employee->availability, g_array_unref);
  g_clear_pointer(&employee->email, g_free);
  g_clear_pointer(&employee->phone, g_free);
}

void model_request_init(ModelRequest *request) {
  g_return_if_fail(request != NULL);
  memset(request, 0, sizeof *request);
  request->slots = g_array_new(FALSE, FALSE, sizeof(ModelSlotRule));
  request->staff_needed = -1;
  request->children_expected = -1;
  request->own_staff = -1;
  request->priority = MODEL_PRIORITY_NORMAL;
  request->max_travel_km = MODEL_DEFAULT_MAX_TRAVEL_KM;
  request->status = MODEL_REQUEST_OPEN;
}

void model_request_clear(ModelRequest *request) {
  if (request == NULL)
    return;
  g_clear_pointer(&request->id, g_free);
  g_clear_pointer(&request->school_id, g_free);
  g_clear_pointer(&request->slots, g_array_unref);
  g_clear_pointer(&request->note, g_free);
}

void model_assignment_init(ModelAssignment *assignment) {
  g_return_if_fail(assignment != NULL);
  memset(assignment, 0, sizeof *assignment);
  assignment->slot.part = MODEL_PART_MORNING;
  assignment->status = MODEL_ASSIGNMENT_PROPOSED;
  assignment->decided_at = -1;
}

void model_assignment_clear(ModelAssignment *assignment) {
  if (assignment == NULL)
    return;
  g_clear_pointer(&assignment->id, g_free);
  g_clear_pointer(&assignment->request_id, g_free);
  g_clear_pointer(&assignment->employee_id, g_free);
  g_clear_pointer(&assignment->decided_by, g_free);
  g_clear_pointer(&assignment->reason, g_free);
}

gint32 model_request_staff_needed(const ModelRequest *request, gint32 children_per_staff) {
  g_return_val_if_fail(request != NULL, 0);
  g_return_val_if_fail(children_per_staff >= 1, 0);
  if (request->staff_needed >= 0)
    return request->staff_needed;
  if (request->children_expected < 0)
    return 0;
  gint64 staff = ((gint64)request->children_expected + children_per_staff - 1) / children_per_staff;
  if (request->own_staff > 0)
    staff -= request->own_staff;
  return staff > 0 ? (gint32)staff : 0;
}

/* ---- the dataset -------------------------------------------------------- */

/* The seven kinds of entity: where a dataset keeps each one's array and id index, the
 * element size and the element's clear function.  Every entity struct starts with
 * `char *id`, which lets one routine index and sort all seven arrays. */
typedef struct {
  gsize array;
  gsize index;
  gsize size;
  GDestroyNotify clear;
} EntityKind;

#define KIND(array, index, type, clear)                                                            \
  {                                                                                                \
    G_STRUCT_OFFSET(ModelDataset, array), G_STRUCT_OFFSET(ModelDataset, index), sizeof(type),      \
        (GDestroyNotify)clear                                                                      \
  }

static const EntityKind kinds[] = {
    KIND(districts, district_index, ModelDistrict, model_district_clear),
    KIND(schools, school_index, ModelSchool, model_school_clear),
    KIND(organisations, organisation_index, ModelOrganisation, model_organisation_clear),
    KIND(locations, location_index, ModelLocation, model_location_clear),
    KIND(employees, employee_index, ModelEmployee, model_employee_clear),
    KIND(requests, request_index, ModelRequest, model_request_clear),
    KIND(assignments, assignment_index, ModelAssignment, model_assignment_clear),
};

G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelDistrict, id) == 0);
G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelSchool, id) == 0);
G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelOrganisation, id) == 0);
G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelLocation, id) == 0);
G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelEmployee, id) == 0);
G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelRequest, id) == 0);
G_STATIC_ASSERT(G_STRUCT_OFFSET(ModelAssignment, id) == 0);

#define KIND_ARRAY(dataset, k) G_STRUCT_MEMBER(GArray *, dataset, kinds[k].array)
#define KIND_INDEX(dataset, k) G_STRUCT_MEMBER(GHashTable *, dataset, kinds[k].index)

ModelDataset *model_dataset_new(void) {
  ModelDataset *dataset = g_new0(ModelDataset, 1);
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++) {
    KIND_ARRAY(dataset, k) = g_array_new(FALSE, TRUE, (guint)kinds[k].size);
    g_array_set_clear_func(KIND_ARRAY(dataset, k), kinds[k].clear);
    KIND_INDEX(dataset, k) = g_hash_table_new(g_str_hash, g_str_equal);
  }
  return dataset;
}

void model_dataset_free(ModelDataset *dataset) {
  if (dataset == NULL)
    return;
  /* Indexes borrow the ids, so they go first. */
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++)
    g_clear_pointer(&KIND_INDEX(dataset, k), g_hash_table_unref);
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++)
    g_clear_pointer(&KIND_ARRAY(dataset, k), g_array_unref);
  g_free(dataset);
}

static const char *entity_id(GArray *array, guint i) {
  gsize size = g_array_get_element_size(array);
  return *(char *const *)(void *)(array->data + (gsize)i * size);
}

static GHashTable *reindex(GHashTable *index, GArray *array) {
  if (index == NULL)
    index = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_remove_all(index);
  for (guint i = 0; i < array->len; i++) {
    const char *id = entity_id(array, i);
    if (id != NULL && !g_hash_table_contains(index, id))
      g_hash_table_insert(index, (gpointer)id, GUINT_TO_POINTER(i + 1));
  }
  return index;
}

void model_dataset_index(ModelDataset *dataset) {
  g_return_if_fail(dataset != NULL);
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++)
    KIND_INDEX(dataset, k) = reindex(KIND_INDEX(dataset, k), KIND_ARRAY(dataset, k));
}

/* Byte order of ids; a missing id sorts first. */
static int compare_ids(gconstpointer a, gconstpointer b) {
  const char *x = *(char *const *)a, *y = *(char *const *)b;
  if (x == NULL || y == NULL)
    return (x != NULL) - (y != NULL);
  return strcmp(x, y);
}

void model_dataset_sort(ModelDataset *dataset) {
  g_return_if_fail(dataset != NULL);
  /* g_array_sort is a stable merge sort, so equal ids keep their order. */
  for (gsize k = 0; k < G_N_ELEMENTS(kinds); k++)
    g_array_sort(KIND_ARRAY(dataset, k), compare_ids);
  model_dataset_index(dataset);
}

static gint find(GHashTable *index, const char *id) {
  if (index == NULL || id == NULL)
    return -1;
  gpointer value = g_hash_table_lookup(index, id);
  return value != NULL ? (gint)GPOINTER_TO_UINT(value) - 1 : -1;
}

gint model_dataset_find_district(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->district_index, id);
}

gint model_dataset_find_school(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->school_index, id);
}

gint model_dataset_find_organisation(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->organisation_index, id);
}

gint model_dataset_find_location(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->location_index, id);
}

gint model_dataset_find_employee(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->employee_index, id);
}

gint model_dataset_find_request(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->request_index, id);
}

gint model_dataset_find_assignment(const ModelDataset *dataset, const char *id) {
  g_return_val_if_fail(dataset != NULL, -1);
  return find(dataset->assignment_index, id);
}

/* ---- geography ---------------------------------------------------------- */

gint64 model_distance_m(double lat1, double lon1, double lat2, double lon2) {
  const double rad = G_PI / 180.0;
  double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
  double s1 = sin(dlat / 2), s2 = sin(dlon / 2);
  double h = s1 * s1 + cos(lat1 * rad) * cos(lat2 * rad) * s2 * s2;
  h = CLAMP(h, 0.0, 1.0); /* rounding can push h just past 1 for antipodes */
  return (gint64)llround(2.0 * MODEL_EARTH_RADIUS_M * asin(sqrt(h)));
}

gboolean model_employee_location(const ModelDataset *dataset, const ModelEmployee *employee,
                                 double *out_lat, double *out_lon) {
  g_return_val_if_fail(dataset != NULL && employee != NULL, FALSE);
  double lat, lon;
  if (employee->has_location) {
    lat = employee->lat;
    lon = employee->lon;
  } else {
    gint d = model_dataset_find_district(dataset, employee->district_id);
    if (d < 0)
      return FALSE;
    const ModelDistrict *district = &g_array_index(dataset->districts, ModelDistrict, d);
    lat = district->lat;
    lon = district->lon;
  }
  if (out_lat != NULL)
    *out_lat = lat;
  if (out_lon != NULL)
    *out_lon = lon;
  return TRUE;
}
