/* handlers-exports.c: approved assignments for people's own tools: a CSV file for
 * spreadsheets and iCalendar feeds (RFC 5545) per employee and per school, so shifts
 * land in calendars.  Invariants: the same scope as GET /v1/assignments; CSV cells
 * that a spreadsheet would run as a formula (starting with = + - @ TAB CR) are
 * prefixed with a quote; iCalendar lines end in CRLF and are folded at 75 octets
 * without splitting a UTF-8 character (ics.c); an event's UID is the assignment id, so
 * a calendar that subscribes sees updates, not duplicates.  Each
 * export reads only the approved assignments it lists, with their schools, employees
 * and organisations.  ?dialect=excel-nl writes the CSV as Dutch Excel reads it (csv.h):
 * `;`, a byte order mark, Dutch headers and day parts, dates as dd-mm-jjjj.
 */
#include <string.h>

#include "csv.h"
#include "handlers.h"
#include "ics.h"

typedef struct {
  const ModelAssignment *assignment;
  const ModelRequest *request;
  const ModelSchool *school;
  const ModelEmployee *employee;
  const ModelOrganisation *organisation;
} Shift;

/* Resolves the objects around an assignment; pointers are NULL when missing. */
static Shift shift_of(const ModelDataset *dataset, const ModelAssignment *a) {
  Shift shift = {.assignment = a};
  gint r = model_dataset_find_request(dataset, a->request_id);
  shift.request = r >= 0 ? &g_array_index(dataset->requests, ModelRequest, r) : NULL;
  gint s =
      shift.request != NULL ? model_dataset_find_school(dataset, shift.request->school_id) : -1;
  shift.school = s >= 0 ? &g_array_index(dataset->schools, ModelSchool, s) : NULL;
  gint e = model_dataset_find_employee(dataset, a->employee_id);
  shift.employee = e >= 0 ? &g_array_index(dataset->employees, ModelEmployee, e) : NULL;
  gint o = shift.employee != NULL
               ? model_dataset_find_organisation(dataset, shift.employee->organisation_id)
               : -1;
  shift.organisation = o >= 0 ? &g_array_index(dataset->organisations, ModelOrganisation, o) : NULL;
  return shift;
}

/* ---- CSV ---------------------------------------------------------------- */

/* The columns of the export: the default's English header, the Dutch one of
 * ?dialect=excel-nl. */
static const char *const header_en[] = {
    "id",          "date",    "part",     "start",         "end",          "school",
    "school_name", "request", "employee", "employee_name", "organisation", "organisation_name"};
static const char *const header_nl[] = {
    "id",         "datum",     "dagdeel",    "begin",          "einde",       "school",
    "schoolnaam", "hulpvraag", "medewerker", "medewerkernaam", "organisatie", "organisatienaam"};
G_STATIC_ASSERT(G_N_ELEMENTS(header_en) == G_N_ELEMENTS(header_nl));

void api_handle_assignments_csv(ApiServices *services, const ApiRequest *request,
                                ApiResponse *response) {
  const char *dialect_name = api_query(request, "dialect");
  if (dialect_name != NULL && g_strcmp0(dialect_name, "excel-nl") != 0) {
    api_response_fail(response, API_ERROR_BAD_REQUEST, NULL,
                      "query parameter dialect: expected excel-nl");
    return;
  }
  ModelCsvDialect dialect = dialect_name != NULL ? MODEL_CSV_EXCEL_NL : MODEL_CSV_PLAIN;
  gboolean dutch = dialect == MODEL_CSV_EXCEL_NL;
  g_autoptr(ModelDataset) dataset = api_select_assignments(services, request, response, NULL, NULL);
  if (dataset == NULL)
    return;
  GString *out = g_string_new(NULL);
  model_csv_write_start(out, dialect);
  model_csv_write_row(out, dialect, dutch ? header_nl : header_en, G_N_ELEMENTS(header_en));
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    Shift shift = shift_of(dataset, a);
    char date[11];
    if (dutch) {
      int year, month, day;
      model_date_to_ymd(a->slot.date, &year, &month, &day);
      g_snprintf(date, sizeof date, "%02d-%02d-%04d", day, month, year);
    } else {
      model_date_format(a->slot.date, date);
    }
    const char *cells[] = {
        a->id,
        date,
        dutch ? api_part_dutch_name[a->slot.part] : model_part_name(a->slot.part),
        api_part_start_text[a->slot.part],
        api_part_end_text[a->slot.part],
        shift.school != NULL ? shift.school->id : NULL,
        shift.school != NULL ? shift.school->name : NULL,
        a->request_id,
        a->employee_id,
        shift.employee != NULL ? shift.employee->name : NULL,
        shift.organisation != NULL ? shift.organisation->id : NULL,
        shift.organisation != NULL ? shift.organisation->name : NULL,
    };
    G_STATIC_ASSERT(G_N_ELEMENTS(cells) == G_N_ELEMENTS(header_en));
    model_csv_write_row(out, dialect, cells, G_N_ELEMENTS(cells));
  }
  api_response_text(response, 200, "text/csv; charset=utf-8", out->str, out->len);
  response->disposition = g_strdup(dutch ? "attachment; filename=\"toewijzingen.csv\""
                                         : "attachment; filename=\"assignments.csv\"");
  g_string_free(out, TRUE);
}

/* ---- iCalendar ---------------------------------------------------------- */

typedef enum { FEED_EMPLOYEE, FEED_SCHOOL } Feed;

static void ics_event(GString *out, const Shift *shift, Feed feed) {
  const ModelAssignment *a = shift->assignment;
  api_ics_line(out, "BEGIN:VEVENT");
  g_autofree char *uid = g_strdup_printf("UID:%s@handen", a->id);
  api_ics_line(out, uid);
  /* The time of the decision: stable, so the feed is the same bytes on every fetch. */
  g_autoptr(GDateTime) decided = g_date_time_new_from_unix_utc(MAX(a->decided_at, 0));
  g_autofree char *stamp = g_date_time_format(decided, "DTSTAMP:%Y%m%dT%H%M%SZ");
  api_ics_line(out, stamp);
  api_ics_times(out, a->slot);
  const char *school = shift->school != NULL ? shift->school->name : a->request_id;
  const char *employee = shift->employee != NULL ? shift->employee->name : a->employee_id;
  const char *organisation = shift->organisation != NULL ? shift->organisation->name : "";
  g_autofree char *summary = feed == FEED_EMPLOYEE
                                 ? g_strdup_printf("Noodopvang %s", school)
                                 : g_strdup_printf("Noodopvang: %s (%s)", employee, organisation);
  api_ics_property(out, "SUMMARY", summary);
  if (shift->school != NULL) {
    g_autofree char *location =
        shift->school->postcode != NULL
            ? g_strdup_printf("%s, %s", shift->school->name, shift->school->postcode)
            : g_strdup(shift->school->name);
    api_ics_property(out, "LOCATION", location);
  }
  g_autofree char *description =
      g_strdup_printf("Hulpvraag %s, %s %s", a->request_id, api_part_dutch_name[a->slot.part],
                      feed == FEED_EMPLOYEE ? school : employee);
  api_ics_property(out, "DESCRIPTION", description);
  /* The one change an approved assignment goes through is its cancellation: the
   * sequence grows, and the event stays, cancelled, so a subscribed calendar drops it
   * (RFC 5545 3.8.7.4). */
  gboolean cancelled = a->status == MODEL_ASSIGNMENT_CANCELLED;
  api_ics_line(out, cancelled ? "SEQUENCE:1" : "SEQUENCE:0");
  api_ics_line(out, cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  api_ics_line(out, "TRANSP:OPAQUE");
  api_ics_line(out, "END:VEVENT");
}

/* Answers the feed of the approved assignments in `dataset` (read for this feed), and
 * the cancelled ones too when `with_cancelled`; `id` is the employee's or the
 * school's. */
static void respond_feed(ApiResponse *response, const ModelDataset *dataset, Feed feed,
                         const char *id, const char *name, gboolean with_cancelled) {
  GString *out = g_string_new(NULL);
  g_autofree char *title = g_strdup_printf("Noodopvang %s", name);
  api_ics_begin(out, "PUBLISH", title);
  for (guint i = 0; i < dataset->assignments->len; i++) {
    const ModelAssignment *a = &g_array_index(dataset->assignments, ModelAssignment, i);
    if (a->status != MODEL_ASSIGNMENT_APPROVED &&
        !(with_cancelled && a->status == MODEL_ASSIGNMENT_CANCELLED))
      continue;
    Shift shift = shift_of(dataset, a);
    gboolean mine = feed == FEED_EMPLOYEE
                        ? g_strcmp0(a->employee_id, id) == 0
                        : shift.school != NULL && g_strcmp0(shift.school->id, id) == 0;
    if (mine)
      ics_event(out, &shift, feed);
  }
  api_ics_line(out, "END:VCALENDAR");
  api_response_text(response, 200, "text/calendar; charset=utf-8", out->str, out->len);
  response->disposition = g_strdup_printf("inline; filename=\"%s.ics\"", id);
  g_string_free(out, TRUE);
}

void api_handle_employee_calendar(ApiServices *services, const ApiRequest *request,
                                  ApiResponse *response) {
  if (!api_require_role(request, response,
                        API_ROLE_BIT(MODEL_ROLE_ORGANISATION) |
                            API_ROLE_BIT(MODEL_ROLE_COORDINATOR),
                        "read an employee's calendar"))
    return;
  const char *id = g_hash_table_lookup(request->params, "id");
  g_autoptr(ModelDataset) found = api_read_id(services, response, model_store_query_employees, id);
  if (found == NULL)
    return;
  const ModelEmployee *employee =
      found->employees->len > 0 ? &g_array_index(found->employees, ModelEmployee, 0) : NULL;
  const ApiPrincipal *principal = request->principal;
  gboolean visible = employee != NULL &&
                     (principal->role == MODEL_ROLE_ORGANISATION
                          ? g_strcmp0(employee->organisation_id, principal->organisation_id) == 0
                          : api_in_districts(principal, employee->district_id));
  if (!visible) {
    api_not_found(response, "employee", id);
    return;
  }
  /* The same scope as GET /v1/assignments: a coordinator of some districts sees this
   * employee's shifts at schools in those districts only. */
  ModelScope scope = api_scope(principal);
  ModelQuery query;
  model_query_init(&query);
  query.employee = employee->id;
  query.scope = &scope;
  query.status = model_assignment_status_name(MODEL_ASSIGNMENT_APPROVED);
  g_autoptr(ModelDataset) dataset = api_read_assignments(services, response, &query, NULL);
  if (dataset != NULL)
    respond_feed(response, dataset, FEED_EMPLOYEE, employee->id, employee->name, FALSE);
}

void api_handle_school_calendar(ApiServices *services, const ApiRequest *request,
                                ApiResponse *response) {
  if (!api_require_role(request, response,
                        API_ROLE_BIT(MODEL_ROLE_SCHOOL) | API_ROLE_BIT(MODEL_ROLE_COORDINATOR),
                        "read a school's calendar"))
    return;
  const char *id = g_hash_table_lookup(request->params, "id");
  g_autoptr(ModelDataset) found = api_read_id(services, response, model_store_query_schools, id);
  if (found == NULL)
    return;
  const ModelSchool *school =
      found->schools->len > 0 ? &g_array_index(found->schools, ModelSchool, 0) : NULL;
  const ApiPrincipal *principal = request->principal;
  gboolean visible = school != NULL && (principal->role == MODEL_ROLE_SCHOOL
                                            ? g_strcmp0(school->id, principal->school_id) == 0
                                            : api_in_districts(principal, school->district_id));
  if (!visible) {
    api_not_found(response, "school", id);
    return;
  }
  ModelQuery query;
  model_query_init(&query);
  query.school = school->id;
  query.status = model_assignment_status_name(MODEL_ASSIGNMENT_APPROVED);
  g_autoptr(ModelDataset) dataset = api_read_assignments(services, response, &query, NULL);
  if (dataset != NULL)
    respond_feed(response, dataset, FEED_SCHOOL, school->id, school->name, FALSE);
}

void api_respond_subscribed_feed(ApiServices *services, ApiResponse *response, gboolean school,
                                 const char *id) {
  g_autoptr(ModelDataset) found = api_read_id(
      services, response, school ? model_store_query_schools : model_store_query_employees, id);
  if (found == NULL)
    return;
  GArray *array = school ? found->schools : found->employees;
  if (array->len == 0) {
    api_not_found(response, "feed", id);
    return;
  }
  const char *name = school ? g_array_index(array, ModelSchool, 0).name
                            : g_array_index(array, ModelEmployee, 0).name;
  /* Every assignment of the feed, of which respond_feed keeps the approved and the
   * cancelled ones: the subscription's owner was allowed to read this feed. */
  ModelQuery query;
  model_query_init(&query);
  if (school)
    query.school = id;
  else
    query.employee = id;
  g_autoptr(ModelDataset) dataset = api_read_assignments(services, response, &query, NULL);
  if (dataset != NULL)
    respond_feed(response, dataset, school ? FEED_SCHOOL : FEED_EMPLOYEE, id, name, TRUE);
}
