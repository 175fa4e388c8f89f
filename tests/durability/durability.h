/* durability.h: what the crash and load tests share: a store imported from the Almere
 * fixtures with one token per role, JSON calls over the loopback client, a ledger of
 * every write and what its answer said, and the checks of a store after a crash (every
 * acknowledged write present, integrity_check, the engine's checker on the approvals).
 * Ownership: _new results are freed with their _free; strings returned are yours.
 */
#pragma once

#include <json-c/json.h>
#include <sqlite3.h>

#include "http-client.h"

G_BEGIN_DECLS

/* A temporary store imported from $HANDEN_FIXTURES/almere.json with `handen import`,
 * and tokens made with `handen token create`, as "Authorization: Bearer ..." lines. */
typedef struct {
  char *dir;
  char *db_path;
  char *coordinator;  /* every district */
  char *school;       /* school 31DJ00 */
  char *organisation; /* organisation org-01 */
} DurStore;

DurStore *dur_store_new(void);
/* NULL-safe; removes the store and its directory. */
void dur_store_free(DurStore *store);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DurStore, dur_store_free)

/* The school of the school token and the district of the organisation's employees. */
#define DUR_SCHOOL "31DJ00"
#define DUR_DISTRICT "duin"

/* Connects to 127.0.0.1:port with TCP_NODELAY (NULL on failure): the client writes a
 * request's head and body separately, and without it Nagle's algorithm holds the body
 * back until the server's delayed acknowledgement, some 40 ms later. */
HttpClient *dur_connect(guint16 port);

/* Sends one request with the header line `auth` (or NULL) and a JSON body (or NULL).
 * Returns the status, or 0 when the connection failed (sent or not: the outcome is
 * unknown).  *out_json (when not NULL) is the parsed body, or NULL. */
guint dur_call(HttpClient *client, const char *auth, const char *method, const char *target,
               const char *body, json_object **out_json);

/* The string member `key` of `object`, or NULL. */
const char *dur_json_string(json_object *object, const char *key);

/* The ids of the proposals still proposed, at most `limit` (transfer full). */
GPtrArray *dur_proposed_ids(HttpClient *client, const char *auth, guint limit);

/* Starts a round over every district and waits until it is no longer running;
 * returns its id.  Asserts the answers. */
gint64 dur_run_round(HttpClient *client, const char *auth);

/* A list of `count` distinct day parts, in date order, on the work days from `first`
 * (a Monday, "YYYY-MM-DD") for `weeks` weeks: as a JSON array of {date, part} and in
 * the canonical text form "date/part,..." (both transfer full). */
void dur_random_slots(GRand *rand, const char *first, guint weeks, guint count, char **out_json,
                      char **out_canonical);

/* A request body with `id`, 1 or 2 staff and 1 to 3 day parts in the two weeks from
 * 2020-04-13 (transfer full), and in *out_value what the ledger keeps of it:
 * "STAFF|canonical slots". */
char *dur_random_request(GRand *rand, const char *id, char **out_value);
/* An availability list of 1 to 4 day parts in three weeks of October 2020, when no
 * request needs anyone, so no round proposes its employee: as JSON (transfer full)
 * and in canonical form in *out_canonical. */
char *dur_random_availability(GRand *rand, char **out_canonical);

/* Creates employee `id` named `name` in DUR_DISTRICT with a VOG, available on
 * 2020-10-05 morning only (when no request needs anyone), through the API as
 * `organisation`; asserts 201. */
void dur_create_employee(HttpClient *client, const char *organisation, const char *id,
                         const char *name);

/* The canonical text of a JSON array of {date, part} (transfer full). */
char *dur_slots_canonical(json_object *array);

/* ---- the ledger of writes ----------------------------------------------- */

typedef enum {
  DUR_WRITE_REQUEST,      /* POST /v1/requests: id, value "staff|slots" */
  DUR_WRITE_AVAILABILITY, /* PUT availability (and the employee's creation): id, slots */
  DUR_WRITE_APPROVE,      /* POST /v1/proposals/{id}/approve */
  DUR_WRITE_REJECT,       /* POST /v1/proposals/{id}/reject */
  DUR_WRITE_ROUND,        /* POST /v1/rounds: id is the round number */
  DUR_N_WRITE_KINDS
} DurWriteKind;

typedef enum {
  DUR_OUTCOME_ACKED,   /* a 2xx answer: it must be stored */
  DUR_OUTCOME_REFUSED, /* a 4xx answer: it must not have changed anything */
  DUR_OUTCOME_UNKNOWN, /* no answer: the connection failed */
} DurOutcome;

typedef struct DurLedger DurLedger;

DurLedger *dur_ledger_new(void);
void dur_ledger_free(DurLedger *ledger); /* NULL-safe */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(DurLedger, dur_ledger_free)

/* Records a write (thread-safe).  `epoch` groups writes (a kill cycle) for
 * dur_ledger_verify_api. */
void dur_ledger_add(DurLedger *ledger, DurWriteKind kind, const char *id, const char *value,
                    DurOutcome outcome, guint epoch);

/* How many writes of `kind` had `outcome`. */
guint dur_ledger_count(DurLedger *ledger, DurWriteKind kind, DurOutcome outcome);

/* Checks in the database file that every acknowledged write is there: a request with
 * its staff and slots, an employee's availability equal to the last acknowledged PUT
 * or to one sent after it whose answer was lost, a decision with its status, a round
 * that is no longer running.  Returns the number of writes checked; each failure is
 * reported with g_test_message and counted in *out_failures. */
guint dur_ledger_verify_sql(DurLedger *ledger, const char *db_path, guint *out_failures);

/* The same through the API for requests and availability recorded in `epoch`. */
guint dur_ledger_verify_api(DurLedger *ledger, HttpClient *client, const char *school_auth,
                            const char *organisation_auth, guint epoch, guint *out_failures);

/* ---- errors seen by concurrent threads ------------------------------------ */

/* Formats a message and adds it to `errors` under `lock`, unless `errors` already holds
 * `max_kept` (the message is then dropped). */
void dur_record_error(GMutex *lock, GPtrArray *errors, guint max_kept, const char *format, ...)
    G_GNUC_PRINTF(4, 5);

/* Logs every message of `errors` with g_test_message, then asserts there is none. */
void dur_assert_no_errors(const GPtrArray *errors);

/* ---- the store itself --------------------------------------------------- */

/* PRAGMA integrity_check answers "ok" and PRAGMA foreign_key_check nothing. */
void dur_assert_integrity(const char *db_path);

/* Exports the store with `handen export`, decodes it (which checks every dataset rule,
 * at most one approval per employee and day part included) and checks the approved
 * assignments with engine_check (see durability.c for how); asserts no violation.
 * Returns the number of approved assignments checked. */
guint dur_assert_approvals_sound(const char *db_path);

/* Asserts that no employee is approved twice in one day part and no request slot
 * has more approved staff than it needs, by SQL over the raw tables. */
void dur_assert_no_double_booking(const char *db_path);

G_END_DECLS
