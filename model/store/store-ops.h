/* store-ops.h: the store operations behind the HTTP API: creating and changing
 * requests and employees, decisions on assignments (approve, reject, cancel), matching
 * rounds and their proposals, and the audit trail.  Every write is one BEGIN IMMEDIATE
 * transaction that also writes its audit row, so a decision and its record are stored
 * together or not at all; writers on separate connections serialise on the write lock.
 *
 * Ownership: returned structs and arrays are (transfer full) and freed with the
 * matching _free; inputs are borrowed.  Times are Unix seconds, stored as RFC 3339 UTC.
 */
#pragma once

#include "store.h"

G_BEGIN_DECLS

/* ---- requests (ops-requests.c) ------------------------------------------ */

/* Audit actions are "noun.verb": request.create, request.update, request.cancel,
 * request.cancel_part,
 * employee.create, employee.update, employee.deactivate, employee.availability,
 * location.load, proposal.approve, proposal.reject, assignment.cancel, round.start, token.create,
 * token.revoke.  Each names its object ("requests/r-7") and the district it concerns:
 * a request's by its school, an employee's own, a location's own (may be none), a
 * round's when it has exactly one. */

/* Inserts a checked request and audits "request.create" by `actor` at `now`.  When
 * request->id is NULL the next free id "r-N" is chosen inside the transaction and
 * written to request->id (transfer full).  Fails with MODEL_ERROR_CONFLICT when the
 * id is taken, MODEL_ERROR_NOT_FOUND when the school does not exist. */
gboolean model_store_request_create(ModelStore *store, ModelRequest *request, const char *actor,
                                    gint64 now, GError **error);

/* Replaces a stored request (row and slot rules; the school never changes) and audits
 * "request.update".  Proposals on day parts the new slots no longer cover are dropped;
 * a decided assignment on such a day part fails the update with MODEL_ERROR_CONFLICT.
 * MODEL_ERROR_NOT_FOUND when the request does not exist. */
gboolean model_store_request_update(ModelStore *store, const ModelRequest *request,
                                    const char *actor, gint64 now, GError **error);

/* Cancels an open request: its proposals are dropped and its approved assignments
 * cancelled with `reason`, each with an audit row (assignment.cancel), plus one for
 * the request (request.cancel).
 * MODEL_ERROR_CONFLICT when it is cancelled already. */
gboolean model_store_request_cancel(ModelStore *store, const char *id, const char *actor,
                                    const char *reason, gint64 now, GError **error);

/* Cancels day part `slot` of open request `request->id`, whose rules without that
 * day part are `request->slots` (model_slot_rules_without(), from the request as
 * read): what cancelling the request does, for that day part only.  Its proposals are
 * dropped, its approved assignments cancelled with `reason` (assignment.cancel, told
 * to their organisation and employee), the rules replaced, and "request.cancel_part"
 * audited with detail "DATE PART[: reason]"; the other day parts are untouched.
 * MODEL_ERROR_CONFLICT when the request is cancelled, MODEL_ERROR_NOT_FOUND when it
 * does not exist. */
gboolean model_store_request_cancel_part(ModelStore *store, const ModelRequest *request,
                                         ModelSlot slot, const char *actor, const char *reason,
                                         gint64 now, GError **error);

/* ---- employees (ops-employees.c) ---------------------------------------- */

/* Inserts a checked employee and audits "employee.create"; id NULL picks the next
 * free "e-N" as above. */
gboolean model_store_employee_create(ModelStore *store, ModelEmployee *employee, const char *actor,
                                     gint64 now, GError **error);

/* What a change to an employee is, for the audit log. */
typedef enum {
  MODEL_EMPLOYEE_UPDATE,       /* "employee.update": any fields */
  MODEL_EMPLOYEE_DEACTIVATE,   /* "employee.deactivate" */
  MODEL_EMPLOYEE_AVAILABILITY, /* "employee.availability": availability replaced */
  MODEL_EMPLOYEE_CONFIRM,      /* "employee.confirm": availability confirmed as it is */
} ModelEmployeeChange;

/* Merges the employees of a checked dataset (model_store_import's MERGE: new ones
 * added, existing ones replaced, their assignments kept) in one transaction that also
 * withdraws the proposals of every inactive one, as deactivating does, and audits each
 * employee as its own change, with detail "import": "employee.create" for a new one,
 * "employee.deactivate" for one that was active and is not, else "employee.update".
 * On failure nothing is stored. */
gboolean model_store_employees_import(ModelStore *store, const ModelDataset *dataset,
                                      const char *actor, gint64 now, GError **error);

/* Replaces the figures (load) of stored location `location->id`, which must belong to
 * `location->organisation_id` (else MODEL_ERROR_NOT_FOUND), with `location->load`
 * (checked by the caller), and audits "location.load" in one transaction. */
gboolean model_store_location_set_load(ModelStore *store, const ModelLocation *location,
                                       const char *actor, gint64 now, GError **error);

/* Replaces a stored employee (row and availability; the organisation never changes)
 * and audits the `change`.  An inactive employee's proposals are dropped.
 * MODEL_ERROR_NOT_FOUND when missing. */
gboolean model_store_employee_update(ModelStore *store, const ModelEmployee *employee,
                                     ModelEmployeeChange change, const char *actor, gint64 now,
                                     GError **error);

/* ---- decisions (ops-decisions.c) ---------------------------------------- */

typedef enum {
  MODEL_DECISION_APPROVE, /* proposed -> approved */
  MODEL_DECISION_REJECT,  /* proposed -> rejected: the pair is never proposed again */
  MODEL_DECISION_CANCEL,  /* approved -> cancelled */
} ModelDecision;

/* Why a decision was refused (MODEL_ERROR_CONFLICT), for clients to act on; the API
 * gives each its code on the wire. */
typedef enum {
  MODEL_REFUSAL_NONE,
  MODEL_REFUSAL_DECIDED,         /* no longer proposed (or, to cancel, not approved) */
  MODEL_REFUSAL_SUPERSEDED,      /* replaced by a newer round */
  MODEL_REFUSAL_CANCELLED,       /* the request is cancelled */
  MODEL_REFUSAL_INACTIVE,        /* the employee is deactivated */
  MODEL_REFUSAL_UNAVAILABLE,     /* no longer available or qualified for the slot */
  MODEL_REFUSAL_DOUBLE_BOOKED,   /* already approved elsewhere in that day part */
  MODEL_REFUSAL_SLOT_FULL,       /* the request slot has all the staff it needs */
  MODEL_REFUSAL_WEEK_FULL,       /* the employee's day parts per week are used up */
  MODEL_REFUSAL_NOT_NEEDED,      /* the request no longer asks for that day part */
  MODEL_REFUSAL_REJECTED,        /* the (request, employee) pair was rejected */
  MODEL_REFUSAL_TOO_FAR,         /* beyond the employee's or the request's travel limit */
  MODEL_REFUSAL_LOCATION_NEEDED, /* the employee's location cannot spare them then (H7) */
  MODEL_N_REFUSALS
} ModelRefusal;

/* Takes one decision on assignment `id` in one transaction that re-reads and checks
 * everything against the database, then writes the assignment and its audit row
 * (action "proposal.approve" / "proposal.reject" / "assignment.cancel", object
 * "assignments/ID", the request's district).  On refusal sets MODEL_ERROR_CONFLICT with a human
 * message and writes *out_refusal (may be NULL); MODEL_ERROR_NOT_FOUND when no such assignment, or
 * when `districts` is non-NULL and the request's school is in none of them (a caller outside the
 * scope learns nothing about the assignment). */
gboolean model_store_decide(ModelStore *store, const char *id, ModelDecision decision,
                            const char *actor, const char *reason, gint64 now,
                            const char *const *districts, ModelRefusal *out_refusal,
                            GError **error);

/* One decision of a batch (model_store_decide_batch): what model_store_decide() takes,
 * and what became of it. */
typedef struct {
  const char *id;
  ModelDecision decision;
  const char *actor;
  const char *reason; /* may be NULL */
  gint64 now;
  const char *const *districts; /* may be NULL */
  gboolean ok;                  /* out: taken (durable once the batch returned TRUE) */
  ModelRefusal refusal;         /* out, when refused */
  GError *error;                /* out, when not taken: the job's own error */
} ModelDecisionJob;

/* Frees the job's error. */
void model_decision_job_clear(ModelDecisionJob *job);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ModelDecisionJob, model_decision_job_clear)

/* Takes every decision of jobs[0..n) in one write transaction, each checked in its own
 * savepoint exactly as model_store_decide() checks it, in order, so a later job sees the
 * earlier ones; a refused job is rolled back to its savepoint and leaves the others be.
 * One commit for the batch (group commit): when it returns TRUE every job with `ok` is
 * durable; when it returns FALSE (the transaction or the commit failed: `error`) none
 * is, whatever its `ok` says. */
gboolean model_store_decide_batch(ModelStore *store, ModelDecisionJob *jobs, guint n,
                                  GError **error);

/* A swap (model_store_swap): waiting proposal `id` replaced by `employee`. */
typedef struct {
  const char *id;
  const char *employee;
  const char *actor;
  const char *reason; /* may be NULL */
  gint64 now;
  const char *const *districts; /* NULL: every district */
} ModelSwap;

/* Replaces the waiting proposal swap->id by a new proposal for swap->employee on the
 * same request, day part and round, in one write transaction (ops-swap.c): the old one
 * becomes rejected by the actor, its reason "swapped for EMPLOYEE (NEW-ID)" and the
 * actor's reason, audited as "proposal.swap"; the new one, "ID-wN" (an earlier "-wN"
 * dropped from ID), stays proposed.  It must pass every re-check of an approval, with
 * the employee's waiting proposals counted alongside approved ones (day part, ISO
 * week, location); otherwise the refusal is MODEL_ERROR_CONFLICT with *out_refusal set
 * and nothing is changed.  MODEL_ERROR_NOT_FOUND as model_store_decide(); an unknown
 * employee, or the one already proposed, is MODEL_ERROR_INVALID "/employee: ...".
 * On success *out_id is the new proposal's id (transfer full). */
gboolean model_store_swap(ModelStore *store, const ModelSwap *swap, char **out_id,
                          ModelRefusal *out_refusal, GError **error);

/* The round that made each assignment: id -> round id (gint64 stored in a
 * g_new'd value) for those that have one (transfer full). */
GHashTable *model_store_assignment_rounds(ModelStore *store, GError **error);

/* ---- rounds (ops-rounds.c) ---------------------------------------------- */

typedef struct {
  gint64 id;
  char *status;        /* "running", "finished", "failed" */
  char *districts;     /* JSON array text; "[]" means every district */
  char *started_at;    /* RFC 3339 */
  char *finished_at;   /* NULL while running */
  char *started_by;    /* may be NULL */
  char *stats_json;    /* NULL until finished */
  char *unfilled_json; /* NULL until finished */
  char *error;         /* NULL unless failed */
  gint64 proposals;    /* assignments made by this round, whatever their status now */
  gboolean freed;      /* only the request slots a cancellation freed */
  gint64 continuity_m; /* charge per employee new to a request; -1: not recorded */
} ModelRound;

void model_round_free(ModelRound *round);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ModelRound, model_round_free)

/* Records a new running round over `districts` (NULL: every district), over every
 * request slot or, when `freed`, only those a cancellation freed (a request slot with
 * a cancelled assignment), with continuity charge `continuity_m` (0..100000 metres),
 * and audits "round.start" by `actor`; the round's owner is this connection's process
 * (SQLite) or session (PostgreSQL).  First fails, as interrupted, the running rounds
 * whose owner is gone; then fails with MODEL_ERROR_CONFLICT when a running round
 * shares a district. */
gboolean model_store_round_start(ModelStore *store, const char *const *districts, gboolean freed,
                                 gint64 continuity_m, const char *actor, gint64 now, gint64 *out_id,
                                 GError **error);

/* Stores a finished round in one transaction: the proposed assignments of requests of
 * schools in `districts` (NULL: all), of the freed request slots only when the round
 * was started so, are replaced by `proposals` (ModelAssignment,
 * status proposed, ids unique), each tagged with the round; the replaced ones are
 * remembered as superseded; the round gets its statistics and unfilled JSON. */
gboolean model_store_round_finish(ModelStore *store, gint64 id, const char *const *districts,
                                  const GArray *proposals, const char *stats_json,
                                  const char *unfilled_json, gint64 now, GError **error);

/* Marks a round failed with `message` (cut to 2000 characters). */
gboolean model_store_round_fail(ModelStore *store, gint64 id, const char *message, gint64 now,
                                GError **error);

/* Marks every round still "running" as failed ("interrupted") that no living process
 * runs: those that name no owner (left by older versions) and those whose owner is
 * gone (on SQLite a process of this host, boot and PID namespace that no longer runs,
 * or one of another; on PostgreSQL a session that has ended), so a server starting
 * next to a running `handen match` or another instance leaves their rounds alone.
 * model_store_round_start() fails the rounds of gone owners too, before its check. */
gboolean model_store_rounds_interrupt(ModelStore *store, gint64 now, GError **error);

/* One round; MODEL_ERROR_NOT_FOUND when there is none with `id`. */
ModelRound *model_store_round_get(ModelStore *store, gint64 id, GError **error);

/* Rounds newest first: at most `limit` with id below `before` (<= 0: from the newest),
 * without their unfilled staff-slots (unfilled_json NULL).  With `districts` non-NULL
 * only rounds all of whose districts are among them.  Returns a GPtrArray of
 * ModelRound* (transfer full), or NULL with the store's error. */
GPtrArray *model_store_rounds_list(ModelStore *store, const char *const *districts, gint64 before,
                                   guint limit, GError **error);

/* ---- reads (ops-queries.c, ops-query-rows.c) ----------------------------- */

/* Who a list is for: a school sees its own objects, an organisation its own, a
 * coordinator those in `districts` (NULL: every district).  At most one of school and
 * organisation is set; with neither, the scope is a coordinator's. */
typedef struct {
  const char *school;
  const char *organisation;
  const char *const *districts;
} ModelScope;

/* What to read: every field is a filter that is off at its initial value
 * (model_query_init).  Lists come sorted by id in byte order (SQLite's BINARY
 * collation, the order of strcmp). */
typedef struct {
  const char *id;           /* exactly this object */
  const char *const *ids;   /* only these objects (NULL-terminated); NULL: no such filter */
  const char *after;        /* ids after this one (a page's cursor) */
  guint limit;              /* at most this many objects; 0: no limit */
  const ModelScope *scope;  /* NULL: no scope (an object by id, checked by the caller) */
  const char *district;     /* schools, requests (their school's), employees, assignments */
  const char *school;       /* requests, assignments */
  const char *organisation; /* employees, locations */
  const char *request;      /* assignments */
  const char *employee;     /* assignments */
  const char *status;       /* requests, assignments: the stored word ("proposed") */
  gint active;              /* employees: -1 any, 0 inactive, 1 active */
  gint64 round;             /* assignments: > 0 only those this round made */
  ModelDate from, to;       /* assignments: dates within [from, to]; MODEL_DATE_NONE open */
  gint part;                /* assignments: -1 any, else this ModelPart */
  const char *priority;     /* assignments: their request's priority word ("high") */
} ModelQuery;

void model_query_init(ModelQuery *query);

/* Sets up a connection that serves many reads: the database file is memory-mapped
 * (up to 1 GiB) and the page cache holds up to 64 MiB, so the pages a page of results
 * touches (ids, names across several tables) are read from memory, not with a system
 * call each.  MODEL_ERROR_IO when a pragma fails. */
gboolean model_store_tune_for_reads(ModelStore *store, GError **error);

/* Each query below reads exactly the rows it returns, through indexes, in one read
 * transaction, and returns them as an indexed dataset (transfer full) whose arrays
 * are sorted by id; MODEL_ERROR_IO when the database fails or holds a value the
 * schema should have refused. */

/* Districts (id, after, limit) with their neighbours. */
ModelDataset *model_store_query_districts(ModelStore *store, const ModelQuery *query,
                                          GError **error);
/* Schools (id, after, limit, district). */
ModelDataset *model_store_query_schools(ModelStore *store, const ModelQuery *query, GError **error);
/* Organisations (id, after, limit). */
ModelDataset *model_store_query_organisations(ModelStore *store, const ModelQuery *query,
                                              GError **error);
/* Locations with their load (id, after, limit, scope: organisation or the location's
 * district, organisation). */
ModelDataset *model_store_query_locations(ModelStore *store, const ModelQuery *query,
                                          GError **error);
/* Employees with their availability (id, after, limit, scope: organisation or the
 * employee's district, organisation, district, active). */
ModelDataset *model_store_query_employees(ModelStore *store, const ModelQuery *query,
                                          GError **error);
/* Requests with their slots (id, after, limit, scope: school or the school's district,
 * school, district, status), plus the schools they belong to and the APPROVED
 * assignments on them: what a request's view shows. */
ModelDataset *model_store_query_requests(ModelStore *store, const ModelQuery *query,
                                         GError **error);
/* Assignments (id, after, limit, scope: the request's school, the employee's
 * organisation or the school's district; district, school, request, employee, status,
 * round, from, to, part, priority), plus what their views show: their requests (id and school
 * only), schools, employees (id, organisation, name and district only) and organisations. When
 * `out_rounds` is not NULL it receives the round of each returned assignment that has one, as
 * model_store_assignment_rounds() does (transfer full). */
ModelDataset *model_store_query_assignments(ModelStore *store, const ModelQuery *query,
                                            GHashTable **out_rounds, GError **error);

/* Why an assignment's employee suits its request, worked out from the data as it is
 * now (the reasons a round gives, model/json's result "why", read again): travel and
 * district from where the employee starts (their own place, else their district's
 * centroid, as model_employee_location()) to the school. */
typedef struct {
  gint64 travel_m;            /* metres; -1 when no starting place is known */
  gboolean same_district;     /* the employee's district is the school's */
  gboolean neighbour;         /* not the same, but either district lists the other */
  gboolean preferred;         /* the request prefers qualifications; the employee has all */
  ModelQualSet preferred_met; /* those of the preferred the employee has */
  gboolean knows_school;      /* another approved assignment of the employee at the school */
  gboolean continuity;        /* another proposed or approved assignment of the same
                               * employee on the same request */
} ModelAssignmentReasons;

/* The reasons of each of `assignments` (ModelAssignment; only their ids are read) that
 * is stored, in one statement: assignment id -> ModelAssignmentReasons (g_new'd)
 * (transfer full); NULL with MODEL_ERROR_IO when the database fails. */
GHashTable *model_store_assignment_reasons(ModelStore *store, const GArray *assignments,
                                           GError **error);

/* ---- audit (ops-audit.c) ------------------------------------------------ */

typedef struct {
  gint64 id;
  char *at; /* RFC 3339 */
  char *actor;
  char *action;   /* "proposal.approve", "token.create", ... (see above) */
  char *object;   /* "assignments/a-7"; may be NULL */
  char *detail;   /* may be NULL */
  char *district; /* may be NULL */
} ModelAuditEntry;

void model_audit_entry_free(ModelAuditEntry *entry);

/* Appends one audit row in its own transaction. */
gboolean model_store_audit_append(ModelStore *store, const char *actor, const char *action,
                                  const char *object, const char *detail, const char *district,
                                  gint64 now, GError **error);

/* Which audit entries a list reads.  Oldest first from id > `cursor`, or with
 * `newest` newest first from id < `cursor` (0: from the start either way). */
typedef struct {
  gint64 cursor;
  guint limit;
  gboolean newest;
  const char *const *districts; /* non-NULL: only entries in one of them */
  const char *actor;            /* non-NULL: actor contains it, ASCII case ignored */
  const char *action;           /* non-NULL: the action, or its family ("proposal"
                                 * for proposal.approve, proposal.reject, ...) */
} ModelAuditQuery;

/* Up to `query->limit` entries as `query` says.  GPtrArray of ModelAuditEntry*
 * (transfer full). */
GPtrArray *model_store_audit_list(ModelStore *store, const ModelAuditQuery *query, GError **error);

G_END_DECLS
