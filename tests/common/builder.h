/* builder.h: datasets built in C, shared by the tests of the model, the store, the
 * matching round and the checker.  Every appender copies its strings into the dataset,
 * which owns them, sets what it is given, leaves every other field as model_*_init()
 * does and returns the new entity's index.  Dates are days of April 2020 as constant
 * ModelDates (week 16 is 13-19 April).  tb_finish() indexes and checks a dataset,
 * failing the test on any problem; tb_find() looks an entity up without an index.
 */
#pragma once

#include "match.h"
#include "model.h"

G_BEGIN_DECLS

/* A day of April 2020 as a ModelDate (days since 1970-01-01), usable in a static
 * initialiser; tb_finish() asserts the arithmetic. */
#define TB_APRIL(day) (18352 + (day))
#define TB_MON TB_APRIL(13)
#define TB_TUE TB_APRIL(14)
#define TB_WED TB_APRIL(15)
#define TB_THU TB_APRIL(16)
#define TB_FRI TB_APRIL(17)
#define TB_NEXT_MON TB_APRIL(20)
#define TB_NEXT_FRI TB_APRIL(24)

/* The centre of district d1 of tb_new(), in Almere. */
#define TB_LAT 52.37
#define TB_LON 5.21
#define TB_KM_LAT (1.0 / 111.195) /* degrees of latitude per km */
#define TB_NO_LOCATION 1000.0     /* as lat: no location, the district centroid is used */

#define VOG MODEL_QUAL_BIT(MODEL_QUAL_VOG)
#define PM MODEL_QUAL_BIT(MODEL_QUAL_PM)
#define BSO MODEL_QUAL_BIT(MODEL_QUAL_BSO)
#define KDV MODEL_QUAL_BIT(MODEL_QUAL_KDV)
#define FIRST_AID MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID)
#define SPECIAL MODEL_QUAL_BIT(MODEL_QUAL_SPECIAL_NEEDS)

/* ---- dates and slot rules ------------------------------------------------- */

/* The date of "YYYY-MM-DD"; asserts it is valid. */
ModelDate tb_date(const char *text);
ModelSlot tb_at(ModelDate date, ModelPart part);
/* A rule of one day part, and a weekly pattern (MODEL_WEEKDAYS_* and MODEL_PARTS_*). */
ModelSlotRule tb_one(ModelDate date, ModelPart part);
ModelSlotRule tb_pattern(ModelDate from, ModelDate to, guint8 weekdays, guint8 parts);
/* Appends `rule` to a list of slot rules (availability or slots). */
void tb_add_rule(GArray *rules, ModelSlotRule rule);
/* Replaces the rules of a list by `rule` alone. */
void tb_set_rules(GArray *rules, ModelSlotRule rule);

/* ---- entities ------------------------------------------------------------- */

/* Districts d1 at (TB_LAT, TB_LON) and d2 4-5 km south-east, neighbours of each
 * other, d3 apart to the north-west, and organisation o1. */
ModelDataset *tb_new(void);

/* tb_new() with school s-1 at (52.37, 5.22) in d1 and three tb_worker()s: e-1 at
 * the school, e-2 1112 m north (d1) and e-3 3336 m north (d2). */
ModelDataset *tb_school_staff(void);

/* A district without neighbours, named `name` (NULL: its id). */
guint tb_district(ModelDataset *ds, const char *id, const char *name, double lat, double lon);
/* Adds `neighbour` to the neighbours of `district` (one direction). */
void tb_neighbour(ModelDataset *ds, const char *district, const char *neighbour);
/* A primary school "School ID" with BRIN 07NU00. */
guint tb_school(ModelDataset *ds, const char *id, const char *district, double lat, double lon);
/* "Kinderopvang ID", without LRK number or district. */
guint tb_organisation(ModelDataset *ds, const char *id);
/* An active employee "Medewerker ID" of o1, located unless lat is TB_NO_LOCATION,
 * without availability yet. */
guint tb_employee(ModelDataset *ds, const char *id, const char *district, double lat, double lon,
                  ModelQualSet quals, gint32 max_week, gint32 max_km);
/* tb_employee() with vog and pm, 10 day parts a week and 10 km, available on the work
 * days of weeks 16 and 17 in both parts (one pattern). */
guint tb_worker(ModelDataset *ds, const char *id, const char *district, double lat, double lon);
/* An open request without slot rules yet. */
guint tb_request(ModelDataset *ds, const char *id, const char *school, gint32 staff,
                 ModelPriority priority, ModelQualSet required, ModelQualSet preferred,
                 gint32 max_km);
/* Appends to any GArray of ModelAssignment; a NULL id is "aN" with N the array's
 * length.  A decided status gets decided_by "coordinator" and decided_at
 * 2020-04-14T09:30:00Z. */
guint tb_assignment(GArray *assignments, const char *id, const char *request, const char *employee,
                    ModelDate date, ModelPart part, ModelAssignmentStatus status,
                    const char *reason);

/* Appends assignments written as text, "STATUS REQUEST/EMPLOYEE/YYYY-MM-DD/PART"
 * items separated by white space ("approved r1/e2/2020-04-13/morning rejected ..."),
 * with ids "aN" and no reason. */
void tb_assignments(ModelDataset *ds, const char *text);

/* Appends the schools, employees and requests of `text`, one a line (blank lines
 * skipped), each the arguments of its appender followed by its day parts as
 * tb_slots() text:
 *   school ID DISTRICT AT
 *   worker ID DISTRICT AT                                    (tb_worker())
 *   employee ID DISTRICT AT QUALS WEEK KM [DAY-PARTS]
 *   request ID SCHOOL STAFF PRIORITY REQUIRED PREFERRED KM [DAY-PARTS]
 *   STATUS REQUEST/EMPLOYEE/YYYY-MM-DD/PART ...              (tb_assignments())
 * AT is "LAT,LON" in degrees or "Nkm", N km north of (TB_LAT, TB_LON); QUALS are
 * qualification names joined by '+', or "-" for none ("vog+first-aid"). */
void tb_city(ModelDataset *ds, const char *text);

/* Adds one available day part to employee `e`, one needed day part to request `r`. */
void tb_available(ModelDataset *ds, guint e, ModelDate date, ModelPart part);
void tb_slot(ModelDataset *ds, guint r, ModelDate date, ModelPart part);

/* The same for several day parts, written as "YYYY-MM-DD/PART" items separated by
 * white space ("2020-04-13/morning 2020-04-14/afternoon"). */
void tb_availability(ModelDataset *ds, guint e, const char *text);
void tb_slots(ModelDataset *ds, guint r, const char *text);

/* Frees *field and sets it to a copy of `value`. */
void tb_set(char **field, const char *value);

/* ---- lookups -------------------------------------------------------------- */

/* The index of the entity with `id` in an array of any entity (asserted present);
 * needs no index, so it works while a dataset is being built. */
guint tb_index(const GArray *array, const char *id);
#define tb_find(array, type, id) (&g_array_index((array), type, tb_index((array), (id))))
#define tb_find_district(ds, id) tb_find((ds)->districts, ModelDistrict, id)
#define tb_find_school(ds, id) tb_find((ds)->schools, ModelSchool, id)
#define tb_find_organisation(ds, id) tb_find((ds)->organisations, ModelOrganisation, id)
#define tb_find_employee(ds, id) tb_find((ds)->employees, ModelEmployee, id)
#define tb_find_request(ds, id) tb_find((ds)->requests, ModelRequest, id)
#define tb_find_assignment(ds, id) tb_find((ds)->assignments, ModelAssignment, id)

/* Element `i` of an array of entities; a call, so `i` may come from an appender that
 * moves the array ("(ModelEmployee *)tb_element(ds->employees, tb_employee(...))"). */
gpointer tb_element(GArray *array, guint i);

const char *tb_employee_id(const ModelDataset *ds, guint e);
const char *tb_request_id(const ModelDataset *ds, guint r);

/* ---- checks and rounds ---------------------------------------------------- */

/* Indexes and checks; the test fails with the problems listed if any. */
void tb_finish(ModelDataset *ds);
/* Checks `ds` as tb_finish() does, runs a round with default options (continuity as
 * given), which never fails, and asserts its proposals as tb_proposals_text() without
 * detail gives them, unless `expected` is NULL. */
EngineResult *tb_run(ModelDataset *ds, gboolean continuity, const char *expected);
/* The same with `options`. */
EngineResult *tb_run_options(ModelDataset *ds, const EngineOptions *options, const char *expected);
/* A proposal by ids (travel and why left 0). */
EngineProposal tb_proposal(const ModelDataset *ds, const char *request, const char *employee,
                           ModelDate date, ModelPart part);
/* The unfilled entry of `request` at (date, part); fails the test when there is none. */
const EngineUnfilled *tb_find_unfilled(const ModelDataset *ds, const EngineResult *result,
                                       const char *request, ModelDate date, ModelPart part);
/* Asserts an unfilled staff-slot's funnel: what is missing, then the candidates left
 * after each stage. */
void tb_assert_funnel(const EngineUnfilled *u, gint32 missing, guint32 available, guint32 qualified,
                      guint32 in_range, guint32 not_rejected, guint32 left);
/* Asserts tb_proposals_text() of `proposals`. */
void tb_assert_proposals(const ModelDataset *ds, const GArray *proposals, gboolean detail,
                         const char *expected);
/* Asserts that one request, `request`, took the last candidates of `u`. */
void tb_assert_taken_by(const ModelDataset *ds, const EngineUnfilled *u, const char *request);
/* Appends to `proposals` the proposals of `text`, "REQUEST/EMPLOYEE/YYYY-MM-DD/PART"
 * items separated by white space (tb_proposals_text() without detail). */
void tb_propose(GArray *proposals, const ModelDataset *ds, const char *text);
/* The proposals as text (transfer full): "r1/e2/2020-04-13/morning" joined by ' ', or
 * with `detail` "r1 e2 2020-04-13 morning TRAVEL_M WHY" lines joined by '\n'. */
char *tb_proposals_text(const ModelDataset *ds, const GArray *proposals, gboolean detail);
/* Messages of a violation list joined by '\n' (transfer full), for exact comparison;
 * asserts that each message starts with its rule. */
char *tb_violations_text(const GPtrArray *violations);

/* A random city: a few districts, schools, employees and requests around Almere with
 * approved, rejected and cancelled assignments, drawn from `seed` alone. */
ModelDataset *tb_random_dataset(guint32 seed);

G_END_DECLS
