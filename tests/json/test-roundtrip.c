/* test-roundtrip.c: decode(encode(d)) equals d and encode is a fixed point, byte for
 * byte.  A hand-written document using every field and both kinds of slot rule is
 * decoded, checked value by value and compared with its exact encoding; random valid
 * datasets built from the model types (committed seeds plus one fresh seed, the seed in
 * the test path) go through encode -> decode -> encode.  ' stands for " in documents.
 */
#include "dataset-json.h"
#include "json-test.h"
#include "random-dataset.h"

#include <math.h>
#include <string.h>
#include "../test-table.h"

/* Decodes `text`, asserting that it is valid (the problems are shown otherwise). */
static ModelDataset *decode_valid(const char *text) {
  g_autoptr(GPtrArray) problems = model_problems_new();
  ModelDataset *dataset = model_json_decode_dataset(text, strlen(text), problems);
  g_autofree char *all = model_problems_to_string(problems);
  g_assert_cmpstr(all, ==, "");
  g_assert_nonnull(dataset);
  return dataset;
}

/* ---- dataset equality ---------------------------------------------------- */

static void assert_same_contact(const ModelContact *x, const ModelContact *y) {
  g_assert_cmpstr(x->name, ==, y->name);
  g_assert_cmpstr(x->email, ==, y->email);
  g_assert_cmpstr(x->phone, ==, y->phone);
}

static void assert_same_double(double a, double b) {
  g_assert_cmpmem(&a, sizeof a, &b, sizeof b); /* bits, so -0.0 and 0.0 differ */
}

static void assert_same_rules(const GArray *a, const GArray *b) {
  g_assert_cmpuint(a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++) {
    const ModelSlotRule *x = &g_array_index((GArray *)a, ModelSlotRule, i);
    const ModelSlotRule *y = &g_array_index((GArray *)b, ModelSlotRule, i);
    g_assert_cmpint(x->kind, ==, y->kind);
    g_assert_cmpint(x->from, ==, y->from);
    g_assert_cmpint(x->to, ==, y->to);
    g_assert_cmpuint(x->weekdays, ==, y->weekdays);
    g_assert_cmpuint(x->parts, ==, y->parts);
  }
}

/* Field by field: every value the format carries. */
static void assert_same_dataset(const ModelDataset *a, const ModelDataset *b) {
  g_assert_cmpuint(a->districts->len, ==, b->districts->len);
  for (guint i = 0; i < a->districts->len; i++) {
    const ModelDistrict *x = &g_array_index(a->districts, ModelDistrict, i);
    const ModelDistrict *y = &g_array_index(b->districts, ModelDistrict, i);
    g_assert_cmpstr(x->id, ==, y->id);
    g_assert_cmpstr(x->name, ==, y->name);
    assert_same_double(x->lat, y->lat);
    assert_same_double(x->lon, y->lon);
    g_assert_cmpuint(x->neighbours->len, ==, y->neighbours->len);
    for (guint j = 0; j < x->neighbours->len; j++)
      g_assert_cmpstr(g_ptr_array_index(x->neighbours, j), ==, g_ptr_array_index(y->neighbours, j));
    g_assert_true((x->outline == NULL) == (y->outline == NULL));
    if (x->outline != NULL)
      g_assert_cmpuint(x->outline->len, ==, y->outline->len);
    for (guint j = 0; x->outline != NULL && j < x->outline->len; j++) {
      assert_same_double(g_array_index(x->outline, ModelPoint, j).lat,
                         g_array_index(y->outline, ModelPoint, j).lat);
      assert_same_double(g_array_index(x->outline, ModelPoint, j).lon,
                         g_array_index(y->outline, ModelPoint, j).lon);
    }
  }
  g_assert_cmpuint(a->schools->len, ==, b->schools->len);
  for (guint i = 0; i < a->schools->len; i++) {
    const ModelSchool *x = &g_array_index(a->schools, ModelSchool, i);
    const ModelSchool *y = &g_array_index(b->schools, ModelSchool, i);
    g_assert_cmpstr(x->id, ==, y->id);
    g_assert_cmpstr(x->brin, ==, y->brin);
    g_assert_cmpstr(x->name, ==, y->name);
    g_assert_cmpint(x->type, ==, y->type);
    g_assert_cmpstr(x->district_id, ==, y->district_id);
    g_assert_cmpstr(x->postcode, ==, y->postcode);
    assert_same_double(x->lat, y->lat);
    assert_same_double(x->lon, y->lon);
    g_assert_cmpint(x->pupils, ==, y->pupils);
    assert_same_contact(&x->contact, &y->contact);
  }
  g_assert_cmpuint(a->organisations->len, ==, b->organisations->len);
  for (guint i = 0; i < a->organisations->len; i++) {
    const ModelOrganisation *x = &g_array_index(a->organisations, ModelOrganisation, i);
    const ModelOrganisation *y = &g_array_index(b->organisations, ModelOrganisation, i);
    g_assert_cmpstr(x->id, ==, y->id);
    g_assert_cmpstr(x->name, ==, y->name);
    g_assert_cmpstr(x->lrk, ==, y->lrk);
    g_assert_cmpstr(x->district_id, ==, y->district_id);
    assert_same_contact(&x->contact, &y->contact);
  }
  g_assert_cmpuint(a->employees->len, ==, b->employees->len);
  for (guint i = 0; i < a->employees->len; i++) {
    const ModelEmployee *x = &g_array_index(a->employees, ModelEmployee, i);
    const ModelEmployee *y = &g_array_index(b->employees, ModelEmployee, i);
    g_assert_cmpstr(x->id, ==, y->id);
    g_assert_cmpstr(x->organisation_id, ==, y->organisation_id);
    g_assert_cmpstr(x->name, ==, y->name);
    g_assert_cmpstr(x->district_id, ==, y->district_id);
    g_assert_cmpint(x->has_location, ==, y->has_location);
    if (x->has_location) {
      assert_same_double(x->lat, y->lat);
      assert_same_double(x->lon, y->lon);
    }
    g_assert_cmpuint(x->quals, ==, y->quals);
    assert_same_rules(x->availability, y->availability);
    g_assert_cmpint(x->max_parts_per_week, ==, y->max_parts_per_week);
    g_assert_cmpint(x->max_travel_km, ==, y->max_travel_km);
    g_assert_cmpint(x->active, ==, y->active);
    g_assert_cmpint(x->confirmed, ==, y->confirmed);
    g_assert_cmpstr(x->email, ==, y->email);
    g_assert_cmpstr(x->phone, ==, y->phone);
  }
  g_assert_cmpuint(a->requests->len, ==, b->requests->len);
  for (guint i = 0; i < a->requests->len; i++) {
    const ModelRequest *x = &g_array_index(a->requests, ModelRequest, i);
    const ModelRequest *y = &g_array_index(b->requests, ModelRequest, i);
    g_assert_cmpstr(x->id, ==, y->id);
    g_assert_cmpstr(x->school_id, ==, y->school_id);
    assert_same_rules(x->slots, y->slots);
    g_assert_cmpint(x->staff_needed, ==, y->staff_needed);
    g_assert_cmpint(x->children_expected, ==, y->children_expected);
    g_assert_cmpint(x->own_staff, ==, y->own_staff);
    g_assert_cmpuint(x->required, ==, y->required);
    g_assert_cmpuint(x->preferred, ==, y->preferred);
    g_assert_cmpint(x->priority, ==, y->priority);
    g_assert_cmpint(x->max_travel_km, ==, y->max_travel_km);
    g_assert_cmpstr(x->note, ==, y->note);
    g_assert_cmpint(x->status, ==, y->status);
  }
  g_assert_cmpuint(a->assignments->len, ==, b->assignments->len);
  for (guint i = 0; i < a->assignments->len; i++) {
    const ModelAssignment *x = &g_array_index(a->assignments, ModelAssignment, i);
    const ModelAssignment *y = &g_array_index(b->assignments, ModelAssignment, i);
    g_assert_cmpstr(x->id, ==, y->id);
    g_assert_cmpstr(x->request_id, ==, y->request_id);
    g_assert_cmpstr(x->employee_id, ==, y->employee_id);
    g_assert_cmpint(x->slot.date, ==, y->slot.date);
    g_assert_cmpint(x->slot.part, ==, y->slot.part);
    g_assert_cmpint(x->status, ==, y->status);
    g_assert_cmpstr(x->decided_by, ==, y->decided_by);
    g_assert_cmpint(x->decided_at, ==, y->decided_at);
    g_assert_cmpstr(x->reason, ==, y->reason);
  }
}

/* encode -> decode -> encode: the dataset comes back equal and the text is a fixed
 * point.  Returns the first encoding (transfer full). */
static char *assert_round_trip(const ModelDataset *dataset) {
  char *first = model_json_encode_dataset(dataset);
  g_assert_true(g_str_has_suffix(first, "}\n"));
  g_autoptr(ModelDataset) again = decode_valid(first);
  assert_same_dataset(dataset, again);
  g_autofree char *second = model_json_encode_dataset(again);
  g_assert_cmpstr(second, ==, first);
  return first;
}

/* ---- the hand-written document ------------------------------------------- */

static const char full_document[] =
    "{'districts': ["
    "  {'id': 'stad', 'name': 'Almere Stad', 'lat': 52.3796, 'lon': 5.2167,"
    "   'neighbours': ['haven', 'buiten']},"
    "  {'id': 'haven', 'name': 'Almere Haven', 'lat': 52.3336, 'lon': 5,"
    "   'outline': [{'lon': 5.22, 'lat': 52.33}, {'lat': 52.35, 'lon': 5.3},"
    "               {'lat': 52, 'lon': -0.5}], 'neighbours': ['stad']},"
    "  {'id': 'buiten', 'name': 'Almere Buiten', 'lat': -0.0, 'lon': 0.1}],"
    " 'schools': ["
    "  {'id': '24EJ00', 'brin': '24EJ00', 'name': 'Basisschool Al Iman', 'type': 'po',"
    "   'district': 'stad', 'postcode': '1324 HA', 'lat': 52.3638, 'lon': 5.2070, 'pupils': 408,"
    "   'contact': {'phone': '036-5301234', 'name': 'Fatima El Amrani',"
    "               'email': 'directie@aliman.nl'}},"
    "  {'id': 's-2', 'brin': '07NU', 'name': 'De Stip', 'type': 'so', 'district': 'haven',"
    "   'lat': 52.33, 'lon': 5.25}],"
    " 'organisations': ["
    "  {'id': 'org-1', 'name': 'Kinderopvang De Boerderij', 'lrk': '205592041', 'district': "
    "'stad', 'contact': {'email': 'planning@boerderij.nl'}},"
    "  {'id': 'org-2', 'name': 'Gastouders Haven'}],"
    " 'employees': ["
    "  {'id': 'e-1', 'organisation': 'org-1', 'name': 'Sanne de Vries', 'district': 'stad',"
    "   'lat': 52.37, 'lon': 5.21, 'qualifications': ['pm', 'vog', 'bso'],"
    "   'availability': [{'from': '2020-04-14', 'to': '2020-04-24', 'weekdays': ['thu', 'tue'],"
    "                     'parts': ['afternoon', 'morning']},"
    "                    {'part': 'afternoon', 'date': '2020-04-20'}],"
    "   'max_parts_per_week': 6, 'max_travel_km': 8, 'active': false, 'confirmed': '2020-04-10',"
    "   'phone': '+31 6 1234 5678', 'email': 'sanne@boerderij.nl'},"
    "  {'id': 'e-2', 'organisation': 'org-2', 'name': 'Jo\\u00EBl \\'JJ\\' \\u20ac/\\\\',"
    "   'district': 'haven'}],"
    " 'requests': ["
    "  {'id': 'r-1', 'school': '24EJ00', 'children_expected': 24, 'own_staff': 1,"
    "   'required': ['pm'], 'preferred': ['bso', 'first-aid'], 'priority': 'high',"
    "   'max_travel_km': 12, 'note': 'Groep 3\\nmet \\'zorg\\'', 'status': 'open',"
    "   'slots': [{'date': '2020-04-14', 'part': 'morning'},"
    "             {'from': '2020-04-20', 'to': '2020-04-24', 'weekdays': ['mon', 'fri'],"
    "              'parts': ['afternoon']}]},"
    "  {'id': 'r-2', 'school': 's-2', 'staff_needed': 2, 'status': 'cancelled',"
    "   'slots': [{'date': '2020-04-16', 'part': 'afternoon'}]}],"
    " 'assignments': ["
    "  {'id': 'a-1', 'request': 'r-1', 'employee': 'e-1', 'date': '2020-04-14', 'part': 'morning',"
    "   'status': 'approved', 'decided_by': 'coordinator', 'decided_at': '2020-04-13T09:30:00Z'},"
    "  {'id': 'a-2', 'request': 'r-1', 'employee': 'e-2', 'date': '2020-04-24',"
    "   'part': 'afternoon', 'status': 'proposed'},"
    "  {'id': 'a-3', 'request': 'r-2', 'employee': 'e-2', 'date': '2020-04-16',"
    "   'part': 'afternoon', 'status': 'rejected', 'decided_by': 'school 24EJ00',"
    "   'decided_at': '2020-04-15T17:05:59Z', 'reason': 'te ver'}]}";

/* Its exact encoding: key order, defaults written out, shortest doubles, sets in
 * vocabulary order, escapes, two-space indentation, final newline. */
static const char full_encoding[] = "{\n"
                                    "  'districts': [\n"
                                    "    {\n"
                                    "      'id': 'stad',\n"
                                    "      'name': 'Almere Stad',\n"
                                    "      'lat': 52.3796,\n"
                                    "      'lon': 5.2167,\n"
                                    "      'neighbours': [\n"
                                    "        'haven',\n"
                                    "        'buiten'\n"
                                    "      ]\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'haven',\n"
                                    "      'name': 'Almere Haven',\n"
                                    "      'lat': 52.3336,\n"
                                    "      'lon': 5.0,\n"
                                    "      'neighbours': [\n"
                                    "        'stad'\n"
                                    "      ],\n"
                                    "      'outline': [\n"
                                    "        {\n"
                                    "          'lat': 52.33,\n"
                                    "          'lon': 5.22\n"
                                    "        },\n"
                                    "        {\n"
                                    "          'lat': 52.35,\n"
                                    "          'lon': 5.3\n"
                                    "        },\n"
                                    "        {\n"
                                    "          'lat': 52.0,\n"
                                    "          'lon': -0.5\n"
                                    "        }\n"
                                    "      ]\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'buiten',\n"
                                    "      'name': 'Almere Buiten',\n"
                                    "      'lat': -0.0,\n"
                                    "      'lon': 0.1,\n"
                                    "      'neighbours': []\n"
                                    "    }\n"
                                    "  ],\n"
                                    "  'schools': [\n"
                                    "    {\n"
                                    "      'id': '24EJ00',\n"
                                    "      'brin': '24EJ00',\n"
                                    "      'name': 'Basisschool Al Iman',\n"
                                    "      'type': 'po',\n"
                                    "      'district': 'stad',\n"
                                    "      'postcode': '1324 HA',\n"
                                    "      'lat': 52.3638,\n"
                                    "      'lon': 5.207,\n"
                                    "      'pupils': 408,\n"
                                    "      'contact': {\n"
                                    "        'name': 'Fatima El Amrani',\n"
                                    "        'email': 'directie@aliman.nl',\n"
                                    "        'phone': '036-5301234'\n"
                                    "      }\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 's-2',\n"
                                    "      'brin': '07NU',\n"
                                    "      'name': 'De Stip',\n"
                                    "      'type': 'so',\n"
                                    "      'district': 'haven',\n"
                                    "      'lat': 52.33,\n"
                                    "      'lon': 5.25\n"
                                    "    }\n"
                                    "  ],\n"
                                    "  'organisations': [\n"
                                    "    {\n"
                                    "      'id': 'org-1',\n"
                                    "      'name': 'Kinderopvang De Boerderij',\n"
                                    "      'lrk': '205592041',\n"
                                    "      'district': 'stad',\n"
                                    "      'contact': {\n"
                                    "        'email': 'planning@boerderij.nl'\n"
                                    "      }\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'org-2',\n"
                                    "      'name': 'Gastouders Haven'\n"
                                    "    }\n"
                                    "  ],\n"
                                    "  'employees': [\n"
                                    "    {\n"
                                    "      'id': 'e-1',\n"
                                    "      'organisation': 'org-1',\n"
                                    "      'name': 'Sanne de Vries',\n"
                                    "      'district': 'stad',\n"
                                    "      'lat': 52.37,\n"
                                    "      'lon': 5.21,\n"
                                    "      'qualifications': [\n"
                                    "        'vog',\n"
                                    "        'pm',\n"
                                    "        'bso'\n"
                                    "      ],\n"
                                    "      'availability': [\n"
                                    "        {\n"
                                    "          'from': '2020-04-14',\n"
                                    "          'to': '2020-04-24',\n"
                                    "          'weekdays': [\n"
                                    "            'tue',\n"
                                    "            'thu'\n"
                                    "          ],\n"
                                    "          'parts': [\n"
                                    "            'morning',\n"
                                    "            'afternoon'\n"
                                    "          ]\n"
                                    "        },\n"
                                    "        {\n"
                                    "          'date': '2020-04-20',\n"
                                    "          'part': 'afternoon'\n"
                                    "        }\n"
                                    "      ],\n"
                                    "      'max_parts_per_week': 6,\n"
                                    "      'max_travel_km': 8,\n"
                                    "      'active': false,\n"
                                    "      'confirmed': '2020-04-10',\n"
                                    "      'email': 'sanne@boerderij.nl',\n"
                                    "      'phone': '+31 6 1234 5678'\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'e-2',\n"
                                    "      'organisation': 'org-2',\n"
                                    "      'name': 'Jo\xc3\xabl \\'JJ\\' \xe2\x82\xac/\\\\',\n"
                                    "      'district': 'haven',\n"
                                    "      'qualifications': [],\n"
                                    "      'availability': [],\n"
                                    "      'max_parts_per_week': 10,\n"
                                    "      'max_travel_km': 10,\n"
                                    "      'active': true\n"
                                    "    }\n"
                                    "  ],\n"
                                    "  'requests': [\n"
                                    "    {\n"
                                    "      'id': 'r-1',\n"
                                    "      'school': '24EJ00',\n"
                                    "      'slots': [\n"
                                    "        {\n"
                                    "          'date': '2020-04-14',\n"
                                    "          'part': 'morning'\n"
                                    "        },\n"
                                    "        {\n"
                                    "          'from': '2020-04-20',\n"
                                    "          'to': '2020-04-24',\n"
                                    "          'weekdays': [\n"
                                    "            'mon',\n"
                                    "            'fri'\n"
                                    "          ],\n"
                                    "          'parts': [\n"
                                    "            'afternoon'\n"
                                    "          ]\n"
                                    "        }\n"
                                    "      ],\n"
                                    "      'children_expected': 24,\n"
                                    "      'own_staff': 1,\n"
                                    "      'required': [\n"
                                    "        'pm'\n"
                                    "      ],\n"
                                    "      'preferred': [\n"
                                    "        'bso',\n"
                                    "        'first-aid'\n"
                                    "      ],\n"
                                    "      'priority': 'high',\n"
                                    "      'max_travel_km': 12,\n"
                                    "      'note': 'Groep 3\\nmet \\'zorg\\'',\n"
                                    "      'status': 'open'\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'r-2',\n"
                                    "      'school': 's-2',\n"
                                    "      'slots': [\n"
                                    "        {\n"
                                    "          'date': '2020-04-16',\n"
                                    "          'part': 'afternoon'\n"
                                    "        }\n"
                                    "      ],\n"
                                    "      'staff_needed': 2,\n"
                                    "      'required': [],\n"
                                    "      'preferred': [],\n"
                                    "      'priority': 'normal',\n"
                                    "      'max_travel_km': 10,\n"
                                    "      'status': 'cancelled'\n"
                                    "    }\n"
                                    "  ],\n"
                                    "  'assignments': [\n"
                                    "    {\n"
                                    "      'id': 'a-1',\n"
                                    "      'request': 'r-1',\n"
                                    "      'employee': 'e-1',\n"
                                    "      'date': '2020-04-14',\n"
                                    "      'part': 'morning',\n"
                                    "      'status': 'approved',\n"
                                    "      'decided_by': 'coordinator',\n"
                                    "      'decided_at': '2020-04-13T09:30:00Z'\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'a-2',\n"
                                    "      'request': 'r-1',\n"
                                    "      'employee': 'e-2',\n"
                                    "      'date': '2020-04-24',\n"
                                    "      'part': 'afternoon',\n"
                                    "      'status': 'proposed'\n"
                                    "    },\n"
                                    "    {\n"
                                    "      'id': 'a-3',\n"
                                    "      'request': 'r-2',\n"
                                    "      'employee': 'e-2',\n"
                                    "      'date': '2020-04-16',\n"
                                    "      'part': 'afternoon',\n"
                                    "      'status': 'rejected',\n"
                                    "      'decided_by': 'school 24EJ00',\n"
                                    "      'decided_at': '2020-04-15T17:05:59Z',\n"
                                    "      'reason': 'te ver'\n"
                                    "    }\n"
                                    "  ]\n"
                                    "}\n";

/* The hand-written document decodes to the values it says. */
static void test_full_values(void) {
  g_autofree char *json = json_test_tojson(full_document, -1);
  g_autoptr(ModelDataset) d = decode_valid(json);
  g_assert_cmpuint(d->districts->len, ==, 3);
  const ModelDistrict *stad = &g_array_index(d->districts, ModelDistrict, 0);
  g_assert_cmpfloat(stad->lat, ==, 52.3796);
  g_assert_cmpuint(stad->neighbours->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(stad->neighbours, 1), ==, "buiten");
  g_assert_null(stad->outline);
  const ModelDistrict *haven = &g_array_index(d->districts, ModelDistrict, 1);
  g_assert_cmpuint(haven->outline->len, ==, 3);
  g_assert_cmpfloat(g_array_index(haven->outline, ModelPoint, 0).lat, ==, 52.33);
  g_assert_cmpfloat(g_array_index(haven->outline, ModelPoint, 0).lon, ==, 5.22);
  g_assert_cmpfloat(g_array_index(haven->outline, ModelPoint, 2).lat, ==, 52.0);
  g_assert_cmpfloat(g_array_index(haven->outline, ModelPoint, 2).lon, ==, -0.5);
  const ModelDistrict *buiten = &g_array_index(d->districts, ModelDistrict, 2);
  g_assert_true(signbit(buiten->lat));
  g_assert_cmpuint(buiten->neighbours->len, ==, 0);

  const ModelSchool *stip = &g_array_index(d->schools, ModelSchool, 1);
  g_assert_cmpint(stip->type, ==, MODEL_SCHOOL_SO);
  g_assert_null(stip->postcode);
  g_assert_cmpint(stip->pupils, ==, -1);
  const ModelOrganisation *org2 = &g_array_index(d->organisations, ModelOrganisation, 1);
  g_assert_null(org2->lrk);
  g_assert_null(org2->district_id);

  const ModelEmployee *e1 = &g_array_index(d->employees, ModelEmployee, 0);
  g_assert_true(e1->has_location);
  g_assert_cmpfloat(e1->lon, ==, 5.21);
  g_assert_cmpuint(e1->quals, ==,
                   MODEL_QUAL_BIT(MODEL_QUAL_VOG) | MODEL_QUAL_BIT(MODEL_QUAL_PM) |
                       MODEL_QUAL_BIT(MODEL_QUAL_BSO));
  g_assert_cmpuint(e1->availability->len, ==, 2);
  const ModelSlotRule *pattern = &g_array_index(e1->availability, ModelSlotRule, 0);
  g_assert_cmpint(pattern->kind, ==, MODEL_SLOT_RULE_PATTERN);
  g_assert_cmpint(pattern->from, ==, model_date_from_ymd(2020, 4, 14));
  g_assert_cmpint(pattern->to, ==, model_date_from_ymd(2020, 4, 24));
  g_assert_cmpuint(pattern->weekdays, ==, (1u << 1) | (1u << 3));
  g_assert_cmpuint(pattern->parts, ==, MODEL_PARTS_ALL);
  const ModelSlotRule *one = &g_array_index(e1->availability, ModelSlotRule, 1);
  g_assert_cmpint(one->kind, ==, MODEL_SLOT_RULE_ONE);
  g_assert_cmpint(one->from, ==, model_date_from_ymd(2020, 4, 20));
  g_assert_cmpint(one->to, ==, one->from);
  g_assert_cmpuint(one->weekdays, ==, MODEL_WEEKDAYS_ALL);
  g_assert_cmpuint(one->parts, ==, 1u << MODEL_PART_AFTERNOON);
  g_assert_false(e1->active);
  g_assert_cmpint(e1->confirmed, ==, model_date_from_ymd(2020, 4, 10));

  /* Defaults, exactly as FORMAT.md says. */
  const ModelEmployee *e2 = &g_array_index(d->employees, ModelEmployee, 1);
  g_assert_cmpstr(e2->name, ==, "Jo\xc3\xabl \"JJ\" \xe2\x82\xac/\\");
  g_assert_false(e2->has_location);
  g_assert_cmpuint(e2->quals, ==, 0);
  g_assert_cmpuint(e2->availability->len, ==, 0);
  g_assert_cmpint(e2->max_parts_per_week, ==, 10);
  g_assert_cmpint(e2->max_travel_km, ==, 10);
  g_assert_true(e2->active);
  g_assert_cmpint(e2->confirmed, ==, MODEL_DATE_NONE);

  const ModelRequest *r1 = &g_array_index(d->requests, ModelRequest, 0);
  g_assert_cmpint(r1->staff_needed, ==, -1);
  g_assert_cmpint(r1->children_expected, ==, 24);
  g_assert_cmpint(r1->own_staff, ==, 1);
  g_assert_cmpint(r1->priority, ==, MODEL_PRIORITY_HIGH);
  g_assert_cmpstr(r1->note, ==, "Groep 3\nmet \"zorg\"");
  const ModelRequest *r2 = &g_array_index(d->requests, ModelRequest, 1);
  g_assert_cmpint(r2->staff_needed, ==, 2);
  g_assert_cmpint(r2->children_expected, ==, -1);
  g_assert_cmpint(r2->own_staff, ==, -1);
  g_assert_cmpuint(r2->required, ==, 0);
  g_assert_cmpint(r2->priority, ==, MODEL_PRIORITY_NORMAL);
  g_assert_cmpint(r2->max_travel_km, ==, 10);
  g_assert_null(r2->note);
  g_assert_cmpint(r2->status, ==, MODEL_REQUEST_CANCELLED);

  const ModelAssignment *a1 = &g_array_index(d->assignments, ModelAssignment, 0);
  g_assert_cmpint(a1->decided_at, ==, G_GINT64_CONSTANT(1586770200));
  g_assert_cmpint(a1->status, ==, MODEL_ASSIGNMENT_APPROVED);
  const ModelAssignment *a2 = &g_array_index(d->assignments, ModelAssignment, 1);
  g_assert_cmpint(a2->slot.part, ==, MODEL_PART_AFTERNOON);
  g_assert_null(a2->decided_by);
  g_assert_cmpint(a2->decided_at, ==, -1);
  g_assert_null(a2->reason);
  const ModelAssignment *a3 = &g_array_index(d->assignments, ModelAssignment, 2);
  g_assert_cmpint(a3->decided_at, ==, G_GINT64_CONSTANT(1586970359));
  g_assert_cmpstr(a3->reason, ==, "te ver");

  /* The index is built. */
  g_assert_cmpint(model_dataset_find_school(d, "s-2"), ==, 1);
}

static void test_full_encoding(void) {
  g_autofree char *json = json_test_tojson(full_document, -1);
  g_autofree char *expected = json_test_tojson(full_encoding, -1);
  g_autoptr(ModelDataset) dataset = decode_valid(json);
  g_autofree char *first = assert_round_trip(dataset);
  g_assert_cmpstr(first, ==, expected);
}

static void test_empty(void) {
  g_autoptr(ModelDataset) dataset = decode_valid("{}");
  g_autofree char *text = assert_round_trip(dataset);
  g_assert_cmpstr(text, ==,
                  "{\n  \"districts\": [],\n  \"schools\": [],\n  \"organisations\": [],\n"
                  "  \"employees\": [],\n  \"requests\": [],\n  \"assignments\": []\n}\n");
}

/* An escaped surrogate pair is one character (a lone half is refused, see
 * test-decode-invalid.c). */
static void test_surrogate_pair(void) {
  g_autofree char *json = json_test_tojson(
      "{'districts':[{'id':'d1','name':'\\ud83d\\uDE00 \\u00eb','lat':1,'lon':1}]}", -1);
  g_autoptr(ModelDataset) dataset = decode_valid(json);
  g_assert_cmpstr(g_array_index(dataset->districts, ModelDistrict, 0).name, ==,
                  "\xf0\x9f\x98\x80 \xc3\xab");
}

/* A file goes through the same path as text. */

static void test_load(void) {
  g_autofree char *json = json_test_tojson(full_document, -1);
  g_autofree char *path = g_build_filename(json_test_dir(), "dataset.json", NULL);
  g_autoptr(GError) error = NULL;
  g_assert_true(g_file_set_contents(path, json, -1, &error));
  g_assert_no_error(error);
  g_autoptr(GPtrArray) problems = model_problems_new();
  g_autoptr(ModelDataset) loaded = model_json_load_dataset(path, problems);
  g_assert_cmpuint(problems->len, ==, 0);
  g_assert_nonnull(loaded);
  g_autoptr(ModelDataset) decoded = decode_valid(json);
  assert_same_dataset(loaded, decoded);
}

static void test_random(gconstpointer data) {
  guint32 seed = GPOINTER_TO_UINT(data);
  for (guint round = 0; round < 6; round++) {
    g_autoptr(ModelDataset) dataset = json_test_random_dataset(seed + round);
    /* The generator only builds valid datasets, or the test would prove nothing. */
    g_autoptr(GPtrArray) problems = model_problems_new();
    model_dataset_check(dataset, problems);
    g_autofree char *all = model_problems_to_string(problems);
    g_assert_cmpstr(all, ==, "");
    g_autofree char *first = assert_round_trip(dataset);
    g_autofree char *again = model_json_encode_dataset(dataset);
    g_assert_cmpstr(again, ==, first);
  }
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/json/roundtrip/full-values", test_full_values);
  g_test_add_func("/json/roundtrip/full-encoding", test_full_encoding);
  g_test_add_func("/json/roundtrip/empty", test_empty);
  g_test_add_func("/json/roundtrip/surrogate-pair", test_surrogate_pair);
  g_test_add_func("/json/roundtrip/load", test_load);
  static const guint32 seeds[] = {1, 2, 3, 42, 1584316800, 20200316, 4000000000u};
  TEST_ADD_SEEDS("/json/roundtrip/random/", seeds, test_random);
  return g_test_run();
}
