/* model.h: the handen domain model: districts, schools, childcare organisations,
 * employees, requests for extra hands and assignments, plus the calendar types
 * (dates, day parts, slots, recurring patterns) they are built from.
 *
 * Ownership rule for the whole model: a ModelDataset owns every string and array
 * reachable from it; entity structs live by value inside the dataset's GArrays, so a
 * pointer to one is valid only until that array is next appended to.  Functions
 * returning `(transfer full)` values hand them to the caller; everything else is
 * borrowed.  Ids are strings at the edges; inside, entities refer to each other by id
 * string, and model_dataset_index() builds the id -> array index maps that make the
 * lookups O(1).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* ---- errors ------------------------------------------------------------- */

#define MODEL_ERROR (model_error_quark())
GQuark model_error_quark(void);

typedef enum {
  MODEL_ERROR_INVALID,   /* the input breaks a rule; message names field and rule */
  MODEL_ERROR_NOT_FOUND, /* an id that does not exist */
  MODEL_ERROR_CONFLICT,  /* a state conflict (duplicate id, slot already taken) */
  MODEL_ERROR_IO,        /* a file or the database could not be read or written */
} ModelError;

/* One problem found in input: a JSON Pointer (RFC 6901, without the leading '/',
 * e.g. "requests/3/slots/0/date") and a human message that names what was expected,
 * e.g. "\"2020-02-30\" is not a valid date". */
typedef struct {
  char *pointer;
  char *message;
} ModelProblem;

/* A list of problems: GPtrArray of ModelProblem*, freeing its elements. */
GPtrArray *model_problems_new(void);
void model_problems_add(GPtrArray *problems, const char *pointer, const char *fmt, ...)
    G_GNUC_PRINTF(3, 4);
/* "pointer: message" lines joined by '\n' (transfer full); "" when empty. */
char *model_problems_to_string(const GPtrArray *problems);
void model_problem_free(ModelProblem *problem);
/* Sorts problems into document order: top-level arrays in format order (districts,
 * schools, organisations, employees, requests, assignments), numeric pointer
 * segments compared as numbers, then by message.  Deterministic. */
void model_problems_sort(GPtrArray *problems);

/* ---- calendar ----------------------------------------------------------- */

/* A calendar date as days since 1970-01-01 (proleptic Gregorian). */
typedef gint32 ModelDate;

/* Parses exactly "YYYY-MM-DD" with a real calendar date (2020-02-30 fails) in the
 * years 1900..2999.  Writes *out only on success. */
gboolean model_date_parse(const char *text, ModelDate *out);
/* Writes "YYYY-MM-DD" and a NUL into buf (at least 11 bytes). */
void model_date_format(ModelDate date, char buf[static 11]);
ModelDate model_date_from_ymd(int year, int month, int day);
void model_date_to_ymd(ModelDate date, int *year, int *month, int *day);
/* ISO weekday: 1 = Monday ... 7 = Sunday. */
int model_date_weekday(ModelDate date);
/* ISO 8601 week as year * 100 + week (2020-04-14 -> 202016).  Weekly limits on
 * employees count day parts per ISO week. */
gint32 model_date_iso_week(ModelDate date);

typedef enum {
  MODEL_PART_MORNING = 0,
  MODEL_PART_AFTERNOON = 1,
} ModelPart;
#define MODEL_N_PARTS 2

/* "morning" / "afternoon"; NULL-safe parse writes *out only on success. */
const char *model_part_name(ModelPart part);
gboolean model_part_parse(const char *text, ModelPart *out);

/* A day part of a date: the unit of time for availability and need. */
typedef struct {
  ModelDate date;
  ModelPart part;
} ModelSlot;

/* Total order (date, then part) usable with qsort / g_array_sort. */
int model_slot_compare(const void *a, const void *b);
/* A dense key: date * 2 + part. */
static inline gint64 model_slot_key(ModelSlot slot) {
  return (gint64)slot.date * MODEL_N_PARTS + (gint64)slot.part;
}

/* Weekday bits: bit (weekday - 1), so Monday = 1 << 0 ... Sunday = 1 << 6. */
#define MODEL_WEEKDAYS_ALL 0x7Fu
#define MODEL_WEEKDAYS_WORK 0x1Fu
/* Part bits: bit (part). */
#define MODEL_PARTS_ALL 0x3u

/* "mon".."sun" for weekday 1..7; parse writes *out (1..7) only on success. */
const char *model_weekday_name(int weekday);
gboolean model_weekday_parse(const char *text, int *out);

typedef enum {
  MODEL_SLOT_RULE_ONE,     /* one explicit slot: from == to, parts has one bit */
  MODEL_SLOT_RULE_PATTERN, /* every listed weekday and part from `from` to `to` */
} ModelSlotRuleKind;

/* One entry of a slot list as the user wrote it.  JSON:
 *   {"date": "2020-04-14", "part": "morning"}                          (ONE)
 *   {"from": "2020-04-14", "to": "2020-05-01",
 *    "weekdays": ["mon", "wed"], "parts": ["morning", "afternoon"]}     (PATTERN)
 * Rules are kept as written so that encoding round-trips; expansion gives slots. */
typedef struct {
  ModelSlotRuleKind kind;
  ModelDate from;
  ModelDate to;
  guint8 weekdays; /* MODEL_WEEKDAYS_* bits; ALL for ONE */
  guint8 parts;    /* MODEL_PARTS_* bits */
} ModelSlotRule;

/* Expands one rule, appending its slots to `out` (GArray of ModelSlot) in order. */
void model_slot_rule_expand(const ModelSlotRule *rule, GArray *out);
/* Expands a GArray of ModelSlotRule into a new sorted, duplicate-free GArray of
 * ModelSlot (transfer full). */
GArray *model_slot_rules_expand(const GArray *rules);
/* The rules of `rules` (ModelSlotRule) with day part `slot` left out: a rule that
 * covers it is split around it (the part of the span before, the other part of that
 * day as a ONE rule, the part after), pieces without any day part dropped, every
 * other rule kept as written.  The rules expand to exactly the day parts they did,
 * less `slot` (transfer full). */
GArray *model_slot_rules_without(const GArray *rules, ModelSlot slot);
/* Longest span a pattern may cover, a cap on user-controlled expansion. */
#define MODEL_PATTERN_MAX_DAYS 366
/* Most day parts one slot list (a request's slots, an employee's availability) may
 * expand to, counted per rule so that overlapping rules count twice: the cap on
 * user-controlled expansion that makes the work per list bounded (a year of every day
 * part is 732). */
#define MODEL_SLOT_LIST_MAX_PARTS 2000

/* ---- qualifications ----------------------------------------------------- */

/* The one vocabulary of qualification tags.  A set of them is a bit mask. */
typedef enum {
  MODEL_QUAL_VOG = 0,       /* "vog": certificate of conduct; mandatory to be matched */
  MODEL_QUAL_PM,            /* "pm": pedagogical diploma (MBO-3 PM or equivalent) */
  MODEL_QUAL_BSO,           /* "bso": experience in after-school care, ages 4-12 */
  MODEL_QUAL_KDV,           /* "kdv": experience in daycare, ages 0-4 */
  MODEL_QUAL_FIRST_AID,     /* "first-aid": first aid for children */
  MODEL_QUAL_SPECIAL_NEEDS, /* "special-needs": vulnerable children, special needs */
  MODEL_N_QUALS
} ModelQual;

typedef guint32 ModelQualSet;
#define MODEL_QUAL_BIT(q) ((ModelQualSet)1u << (q))

/* Tag for a qualification ("first-aid"); parse writes *out only on success. */
const char *model_qual_name(ModelQual qual);
gboolean model_qual_parse(const char *text, ModelQual *out);
/* Human list of the vocabulary for error messages: "vog, pm, bso, ...". */
const char *model_qual_vocabulary(void);

/* ---- identifiers -------------------------------------------------------- */

#define MODEL_ID_MAX 64
/* 1..64 characters of [A-Za-z0-9._:-]. */
gboolean model_id_is_valid(const char *id);
/* BRIN: two digits and two capital letters ("07NU"), optionally a two-digit site
 * ("07NU00"). */
gboolean model_brin_is_valid(const char *brin);
/* LRK registration number: nine digits ("205592041"). */
gboolean model_lrk_is_valid(const char *lrk);
/* Dutch postcode "1234 AB" (the space optional) or a PC4 "1234". */
gboolean model_postcode_is_valid(const char *postcode);
/* An e-mail address a mail server accepts in an envelope and a header: at most 254
 * characters, one '@', a local part of printable ASCII without spaces, quotes or
 * brackets, a domain of at least two dot-separated labels of letters, digits and
 * inner hyphens.  Nothing that could break a header (no CR, LF, comma). */
gboolean model_email_is_valid(const char *email);
/* A telephone number: an optional leading '+', then digits, spaces, hyphens and
 * parentheses holding 8 to 15 digits ("06-12345678", "+31 6 1234 5678"). */
gboolean model_phone_is_valid(const char *phone);

/* ---- entities ----------------------------------------------------------- */

typedef enum {
  MODEL_SCHOOL_PO, /* "po": primary */
  MODEL_SCHOOL_SO, /* "so": special education */
  MODEL_SCHOOL_VO, /* "vo": secondary */
} ModelSchoolType;
const char *model_school_type_name(ModelSchoolType type);
gboolean model_school_type_parse(const char *text, ModelSchoolType *out);

/* Whom to tell about a school or an organisation: every member optional (NULL). */
typedef struct {
  char *name;
  char *email;
  char *phone;
} ModelContact;

/* A point on the map, in degrees (WGS84). */
typedef struct {
  double lat, lon;
} ModelPoint;

/* How many points a district's outline has: enough for an area, few enough that the
 * map of a city stays small. */
#define MODEL_OUTLINE_MIN_POINTS 3
#define MODEL_OUTLINE_MAX_POINTS 5000

typedef struct {
  char *id;
  char *name;
  double lat, lon;       /* centroid */
  GPtrArray *neighbours; /* char* ids of adjacent districts */
  /* The district's boundary as one ring of ModelPoint, closed implicitly (the first
   * point is not repeated at the end); NULL when the dataset has none. */
  GArray *outline;
} ModelDistrict;

typedef struct {
  char *id;
  char *brin;
  char *name;
  ModelSchoolType type;
  char *district_id;
  char *postcode; /* may be NULL */
  double lat, lon;
  gint32 pupils; /* -1 when unknown */
  ModelContact contact;
} ModelSchool;

typedef struct {
  char *id;
  char *name;
  char *lrk;         /* may be NULL for an organisation without a registered location */
  char *district_id; /* may be NULL */
  ModelContact contact;
} ModelOrganisation;

/* The figures a childcare location gives for some of its day parts: how many of its
 * own children it expects and how many staff are present, or directly how many staff
 * it can lend (or both: the smaller lending wins).  -1 stands for not given. */
typedef struct {
  ModelSlotRule when;       /* the day parts the figures hold for, as written */
  gint32 children_expected; /* 0..10000 */
  gint32 staff_present;     /* 0..1000 */
  gint32 max_lend;          /* 0..1000 */
} ModelLocationLoad;

/* A childcare location of an organisation (an LRK registration), the place its
 * employees work and the unit of H7: it lends staff only while it keeps enough for
 * its own children.  A day part without figures does not limit lending. */
typedef struct {
  char *id;
  char *organisation_id;
  char *name;
  char *lrk;         /* may be NULL */
  char *district_id; /* may be NULL */
  double lat, lon;
  GArray *load; /* ModelLocationLoad as written; no day part in two entries */
} ModelLocation;

/* Staff a location can lend in a day part with figures `load`: the smaller of
 * max_lend and staff_present - ceil(children_expected / children_per_staff), not below
 * 0; G_MAXINT32 when neither is given.  children_per_staff must be >= 1. */
gint32 model_location_load_lendable(const ModelLocationLoad *load, gint32 children_per_staff);

/* One day part of a location with figures, and what it can lend then. */
typedef struct {
  ModelSlot slot;
  gint32 lendable;
} ModelLocationSlot;

/* Every day part of `location` with figures (transfer full; GArray of
 * ModelLocationSlot sorted by slot, one per slot: where entries overlap, which the
 * check refuses, the smaller lending counts). */
GArray *model_location_slots(const ModelLocation *location, gint32 children_per_staff);

typedef struct {
  char *id;
  char *organisation_id;
  char *name; /* display name: personal data, shown only where needed */
  char *district_id;
  char *location_id;     /* the location the employee works at; NULL: not limited by H7 */
  gboolean has_location; /* else the district centroid is used */
  double lat, lon;
  ModelQualSet quals;
  GArray *availability;      /* ModelSlotRule as written */
  gint32 max_parts_per_week; /* 1..14 */
  gint32 max_travel_km;      /* 0..300 */
  gboolean active;           /* deactivated employees are never matched */
  ModelDate confirmed;       /* availability last confirmed; MODEL_DATE_NONE if never */
  char *email;               /* may be NULL; personal data: the organisation's only */
  char *phone;               /* may be NULL; shown to a school only once approved */
} ModelEmployee;

#define MODEL_DATE_NONE G_MININT32

typedef enum {
  MODEL_PRIORITY_NORMAL, /* "normal" */
  MODEL_PRIORITY_HIGH,   /* "high": groups with vulnerable children */
} ModelPriority;
#define MODEL_N_PRIORITIES 2
const char *model_priority_name(ModelPriority priority);
gboolean model_priority_parse(const char *text, ModelPriority *out);

typedef enum {
  MODEL_REQUEST_OPEN,      /* "open" */
  MODEL_REQUEST_CANCELLED, /* "cancelled": never matched again */
} ModelRequestStatus;
const char *model_request_status_name(ModelRequestStatus status);
gboolean model_request_status_parse(const char *text, ModelRequestStatus *out);

#define MODEL_DEFAULT_MAX_TRAVEL_KM 10
#define MODEL_DEFAULT_CHILDREN_PER_STAFF 10

typedef struct {
  char *id;
  char *school_id;
  GArray *slots;            /* ModelSlotRule as written */
  gint32 staff_needed;      /* per slot; -1 when derived from children */
  gint32 children_expected; /* -1 when not given */
  gint32 own_staff;         /* -1 when not given (counts as 0) */
  ModelQualSet required;
  ModelQualSet preferred;
  ModelPriority priority;
  gint32 max_travel_km; /* default MODEL_DEFAULT_MAX_TRAVEL_KM */
  char *note;           /* may be NULL */
  ModelRequestStatus status;
} ModelRequest;

/* Staff needed in each slot of `request`: staff_needed when given, else
 * max(0, ceil(children_expected / children_per_staff) - own_staff).
 * children_per_staff must be >= 1. */
gint32 model_request_staff_needed(const ModelRequest *request, gint32 children_per_staff);

typedef enum {
  MODEL_ASSIGNMENT_PROPOSED,  /* "proposed": made by a round, awaiting a decision */
  MODEL_ASSIGNMENT_APPROVED,  /* "approved": a commitment; rounds never move it */
  MODEL_ASSIGNMENT_REJECTED,  /* "rejected": the (request, employee) pair is never proposed again */
  MODEL_ASSIGNMENT_CANCELLED, /* "cancelled": withdrawn after approval */
} ModelAssignmentStatus;
const char *model_assignment_status_name(ModelAssignmentStatus status);
gboolean model_assignment_status_parse(const char *text, ModelAssignmentStatus *out);

/* Who may act through the API: one role per access token, with its scope (a
 * coordinator's districts, a school, an organisation) kept beside it. */
typedef enum {
  MODEL_ROLE_COORDINATOR,  /* "coordinator": all districts, or a listed set */
  MODEL_ROLE_SCHOOL,       /* "school": one school */
  MODEL_ROLE_ORGANISATION, /* "organisation": one childcare organisation */
} ModelRole;
#define MODEL_N_ROLES 3
const char *model_role_name(ModelRole role);
gboolean model_role_parse(const char *text, ModelRole *out);

typedef struct {
  char *id;
  char *request_id;
  char *employee_id;
  ModelSlot slot;
  ModelAssignmentStatus status;
  char *decided_by;  /* who approved / rejected / cancelled; NULL while proposed */
  gint64 decided_at; /* Unix seconds UTC; -1 while proposed.  JSON: RFC 3339 "...Z" */
  char *reason;      /* rejection or cancellation reason; may be NULL */
} ModelAssignment;

/* Clears (frees the members of) one entity in place; used as GArray clear funcs. */
void model_contact_clear(ModelContact *contact);
void model_district_clear(ModelDistrict *district);
void model_school_clear(ModelSchool *school);
void model_organisation_clear(ModelOrganisation *organisation);
void model_location_clear(ModelLocation *location);
void model_employee_clear(ModelEmployee *employee);
void model_request_clear(ModelRequest *request);
void model_assignment_clear(ModelAssignment *assignment);

/* Initialise an entity to its defaults (all pointers NULL, arrays created, numbers
 * at their documented defaults) before filling it in. */
void model_employee_init(ModelEmployee *employee);
void model_request_init(ModelRequest *request);
void model_school_init(ModelSchool *school);
void model_location_init(ModelLocation *location);
void model_assignment_init(ModelAssignment *assignment);

/* ---- the dataset -------------------------------------------------------- */

typedef struct {
  GArray *districts;     /* ModelDistrict */
  GArray *schools;       /* ModelSchool */
  GArray *organisations; /* ModelOrganisation */
  GArray *locations;     /* ModelLocation */
  GArray *employees;     /* ModelEmployee */
  GArray *requests;      /* ModelRequest */
  GArray *assignments;   /* ModelAssignment */
  /* id -> index + 1 (GUINT_TO_POINTER), built by model_dataset_index() */
  GHashTable *district_index;
  GHashTable *school_index;
  GHashTable *organisation_index;
  GHashTable *location_index;
  GHashTable *employee_index;
  GHashTable *request_index;
  GHashTable *assignment_index;
} ModelDataset;

/* An empty dataset (transfer full). */
ModelDataset *model_dataset_new(void);
/* NULL-safe. */
void model_dataset_free(ModelDataset *dataset);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelDataset, model_dataset_free)

/* (Re)builds the id indexes.  Call after changing the arrays.  Where an id occurs
 * twice the first one wins (model_dataset_check reports the duplicate). */
void model_dataset_index(ModelDataset *dataset);

/* Sorts every array by id (byte order) and re-indexes: the canonical order in which
 * the store returns a dataset. */
void model_dataset_sort(ModelDataset *dataset);

/* Index of the entity with `id`, or -1.  Requires an up-to-date index. */
gint model_dataset_find_district(const ModelDataset *dataset, const char *id);
gint model_dataset_find_school(const ModelDataset *dataset, const char *id);
gint model_dataset_find_organisation(const ModelDataset *dataset, const char *id);
gint model_dataset_find_location(const ModelDataset *dataset, const char *id);
gint model_dataset_find_employee(const ModelDataset *dataset, const char *id);
gint model_dataset_find_request(const ModelDataset *dataset, const char *id);
gint model_dataset_find_assignment(const ModelDataset *dataset, const char *id);

/* Checks every rule that spans fields or entities, appending a ModelProblem per
 * violation with the JSON Pointer of the offending value: ids valid and unique per
 * kind, references resolve (a request's school, an employee's organisation and
 * district, an assignment's request and employee, district neighbours), values in
 * range (a district outline's points too, and how many it has), BRIN / LRK / postcode formats,
 * patterns valid (from <= to, span at most MODEL_PATTERN_MAX_DAYS, non-empty weekday and part sets)
 * and expanding to at least one slot, each slot list expanding to at most
 * MODEL_SLOT_LIST_MAX_PARTS, a request's staff need given one way and positive, an assignment's
 * slot belonging to its request, at most one approved assignment per employee and slot.  Calls
 * model_dataset_index() first.  Returns TRUE when no problem was added.  Pointers and messages
 * follow model/json/FORMAT.md.  A NULL required string means the decoder already reported it
 * missing: it is skipped here, so no problem is reported twice. */
gboolean model_dataset_check(ModelDataset *dataset, GPtrArray *problems);

/* The mean Earth radius (IUGG), the one radius every distance and every search box
 * in the tree is computed with. */
#define MODEL_EARTH_RADIUS_M 6371008.8

/* Great-circle distance in metres (haversine, radius MODEL_EARTH_RADIUS_M), rounded to
 * the nearest metre. */
gint64 model_distance_m(double lat1, double lon1, double lat2, double lon2);

/* Where an employee starts from: own location, else their district's centroid.
 * Returns FALSE when neither is known. */
gboolean model_employee_location(const ModelDataset *dataset, const ModelEmployee *employee,
                                 double *out_lat, double *out_lon);

/* ---- pair feasibility --------------------------------------------------- */

/* Whether an employee may be matched to a request slot, and if not the first rule that
 * fails, in this fixed order (the order of the explanation funnel).  Capacity (one
 * request per day part, the weekly maximum, the staff a slot still needs) is not part
 * of it: that is the round's to share out. */
typedef enum {
  MODEL_FEASIBLE,                     /* every rule holds */
  MODEL_INFEASIBLE_UNAVAILABLE,       /* the employee is inactive or not available in the slot */
  MODEL_INFEASIBLE_UNQUALIFIED,       /* no vog, or a required qualification missing */
  MODEL_INFEASIBLE_TOO_FAR,           /* beyond the employee's or the request's travel limit, or
                                         a location unknown */
  MODEL_INFEASIBLE_REJECTED,          /* the (request, employee) pair was rejected */
  MODEL_INFEASIBLE_CANCELLED,         /* the employee's assignment to this request slot (same
                                         request, date and day part) was cancelled */
  MODEL_INFEASIBLE_REQUEST_CANCELLED, /* the request is cancelled */
} ModelFeasibility;

/* "feasible", "unavailable", "unqualified", "too_far", "rejected", "cancelled",
 * "request_cancelled". */
const char *model_feasibility_name(ModelFeasibility feasibility);

/* What feasibility depends on for one (request, employee) pair, whatever the slot.
 * Callers that decide many pairs fill it from their own indexes; the one-off question
 * is model_dataset_feasible(). */
typedef struct {
  gboolean active;       /* the employee is active */
  ModelQualSet quals;    /* the employee's qualifications */
  ModelQualSet required; /* the request's required qualifications */
  gint32 employee_km;    /* the employee's travel limit */
  gint32 request_km;     /* the request's travel limit */
  gint64 distance_m;     /* model_distance_m() from where the employee starts
                            (model_employee_location) to the school; -1 when unknown */
  gboolean rejected;     /* an assignment of the pair was rejected */
  gboolean request_cancelled;
} ModelPairFacts;

/* ... and for one slot of that pair. */
typedef struct {
  gboolean available; /* the employee's availability covers the slot */
  gboolean cancelled; /* an assignment of the employee to this request slot was cancelled */
} ModelSlotFacts;

/* The predicate itself: the first failing rule, or MODEL_FEASIBLE.  A pair that fails
 * with every slot fact at its best ({TRUE, FALSE}) fails in every slot. */
ModelFeasibility model_feasible(const ModelPairFacts *pair, const ModelSlotFacts *slot);

/* Fills the entity facts of (request, employee), dataset indices into an indexed
 * dataset; `rejected` is left FALSE for callers that know the decisions to set. */
void model_pair_facts_init(ModelPairFacts *out, const ModelDataset *dataset, guint request,
                           guint employee);

/* Whether employee `employee` may be matched to `slot` of request `request` (dataset
 * indices into an indexed dataset), answered from the dataset alone: its assignments
 * give the rejected and cancelled facts.  Linear in the assignments and the employee's
 * availability, so for one-off questions; a slot the request does not have is not
 * checked here. */
ModelFeasibility model_dataset_feasible(const ModelDataset *dataset, guint request, guint employee,
                                        ModelSlot slot);

/* ---- summary ------------------------------------------------------------ */

/* Per-district figures for `handen summary` and GET /v1/summary, defined once:
 *   needed   = staff-slots asked by open (not cancelled) requests: staff need times
 *              day parts, approvals not subtracted;
 *   proposed = undecided proposals for open requests;
 *   approved = approved assignments of open requests;
 *   open     = needed - approved - proposed, not below 0. */
typedef struct {
  guint district; /* index into dataset->districts */
  guint schools;
  guint open_requests; /* status open (not cancelled) */
  gint64 staff_slots_needed;
  gint64 staff_slots_proposed;
  gint64 staff_slots_approved;
  gint64 staff_slots_open;
  guint employees;              /* active employees whose district this is */
  gint64 available_staff_slots; /* sum over those with vog of their availability slots,
                                   each ISO week capped at max_parts_per_week */
} ModelDistrictSummary;

/* One row per district in dataset order (transfer full; GArray of
 * ModelDistrictSummary).  The dataset must be indexed. */
GArray *model_summary(const ModelDataset *dataset, gint32 children_per_staff);
/* The sum of the rows of `rows` whose district index has `include[district]` set
 * (`include` NULL: every row), with `open` worked out from the summed figures as for a
 * row; `district` is 0. */
ModelDistrictSummary model_summary_total(const GArray *rows, const gboolean *include);

G_END_DECLS
