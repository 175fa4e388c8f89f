/* schema.c: the SQLite schema of the store as an ordered list of migrations, and
 * the setup of every SQLite connection (schema-pg.c has the same migrations, numbered
 * alike, in PostgreSQL's dialect).  Invariants: PRAGMA user_version is the number of
 * migrations applied; each migration runs in its own transaction together with the
 * user_version bump, so a database is always at exactly one version; a database
 * newer than this program is never touched.  Migrations are append-only: a released
 * one is never edited, a change is a new entry.
 */
#include <stdio.h>

#include <sqlite3.h>

#include "store-private.h"

/* g_autoptr(sqlite3_stmt) finalises on every path. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

/* Design of the schema.
 *
 * The tables mirror model/json/FORMAT.md, and every rule there that a single row can
 * express is a CHECK constraint, so the database refuses bad data even from a
 * program that bypasses model_dataset_check() (the sqlite3 shell included).  The
 * constraints are named by the human message shown when they fail: SQLite reports
 * "CHECK constraint failed: <name>", and store.c passes the name on.  Rules that
 * span rows (a pattern expands to at least one day part, an assignment's slot is
 * one of its request's slots) stay with model_dataset_check().
 *
 * Dates are TEXT 'YYYY-MM-DD' and timestamps TEXT 'YYYY-MM-DDTHH:MM:SSZ': readable
 * in the sqlite3 shell and in a backup, ordered correctly by plain text comparison,
 * and understood by SQLite's date functions, which the CHECKs use to refuse
 * 2020-02-30.  Integer day numbers would save a few bytes a row and nothing else.
 *
 * Enumerations (status, priority, school type, slot rule kind) are stored as the
 * words of the JSON format, again for readability.  Day parts are 0 (morning) and
 * 1 (afternoon), weekday and part sets the model's bit masks (Monday = bit 0,
 * morning = bit 0) and qualification sets the bit mask of ModelQual (vog = bit 0,
 * then pm, bso, kdv, first-aid, special-needs): a set is one value that is replaced
 * as a whole, which is exactly how an import treats it.  A new qualification needs
 * a migration widening the CHECK; the static assertion below guards that.
 *
 * Slot rules and neighbours are kept in the order written (a position column), so
 * an export gives back what was imported.
 *
 * ON DELETE: lists that belong to one object (availability, slots, neighbours)
 * cascade with it.  Everything else restricts: a school with requests, an
 * organisation with employees, or a request or employee with assignments cannot
 * vanish by accident, because assignments are commitments and decisions (a rejected
 * pair must never be proposed again); cancel or deactivate instead.  An
 * organisation's optional district is set to NULL when the district goes.
 */

G_STATIC_ASSERT(MODEL_N_QUALS == 6); /* the qualification CHECKs allow bits 0..5 */

/* The SQL keeps its own layout. */
/* clang-format off */

#define ID_RULE(col)                                                                     \
  " CONSTRAINT [" col " must be 1 to 64 characters of A-Z a-z 0-9 . _ : -]"                \
  " CHECK (length(" col ") BETWEEN 1 AND 64 AND " col " NOT GLOB '*[^A-Za-z0-9._:-]*')"

#define NAME_RULE(col)                                                                   \
  " CONSTRAINT [" col " must be 1 to 200 characters]"                                    \
  " CHECK (length(" col ") BETWEEN 1 AND 200)"

#define TEXT_MAX_RULE(col, max)                                                          \
  " CONSTRAINT [" col " must be at most " #max " characters]"                            \
  " CHECK (length(" col ") <= " #max ")"

#define RANGE_RULE(col, lo, hi)                                                          \
  " CONSTRAINT [" col " must be from " #lo " to " #hi "]"                                \
  " CHECK (" col " BETWEEN " #lo " AND " #hi ")"

/* date(x, '+0 days') normalises 2020-02-30 to 2020-03-01, so it equals x only for a
 * real date written exactly as YYYY-MM-DD.  NULL passes (NULL IS NULL). */
#define DATE_RULE(col)                                                                   \
  " CONSTRAINT [" col " must be a date YYYY-MM-DD from 1900 to 2999]"                     \
  " CHECK (date(" col ", '+0 days') IS " col                                             \
  " AND " col " BETWEEN '1900-01-01' AND '2999-12-31')"

#define TIME_RULE(col)                                                                   \
  " CONSTRAINT [" col " must be a UTC time YYYY-MM-DDTHH:MM:SSZ]"                         \
  " CHECK (strftime('%Y-%m-%dT%H:%M:%SZ', " col ") IS " col ")"

#define QUALS_RULE(col)                                                                  \
  " CONSTRAINT [" col " must be a set of known qualifications]"                          \
  " CHECK (" col " BETWEEN 0 AND 63)"

/* The columns and rules shared by both slot rule tables (availability, slots).  A
 * rule of one day part stores no weekdays (the model's ALL is implied). */
#define SLOT_RULE_COLUMNS                                                                \
  "  position INTEGER NOT NULL"                                                          \
  "    CONSTRAINT [position must not be negative] CHECK (position >= 0),\n"              \
  "  kind TEXT NOT NULL"                                                                 \
  "    CONSTRAINT [kind must be one or pattern] CHECK (kind IN ('one', 'pattern')),\n"   \
  "  from_date TEXT NOT NULL" DATE_RULE("from_date") ",\n"                               \
  "  to_date TEXT NOT NULL" DATE_RULE("to_date") ",\n"                                   \
  "  weekdays INTEGER,\n"                                                                \
  "  parts INTEGER NOT NULL,\n"                                                          \
  "  CONSTRAINT [a single day part has one date, one part and no weekdays]"              \
  "    CHECK (kind <> 'one' OR (from_date = to_date AND weekdays IS NULL"                \
  "                             AND parts IN (1, 2))),\n"                                \
  "  CONSTRAINT [a pattern must not end before it starts]"                               \
  "    CHECK (kind <> 'pattern' OR from_date <= to_date),\n"                             \
  "  CONSTRAINT [a pattern spans at most 366 days]"                                      \
  "    CHECK (kind <> 'pattern' OR julianday(to_date) - julianday(from_date) <= 366),\n" \
  "  CONSTRAINT [a pattern needs a non-empty set of weekdays]"                           \
  "    CHECK (kind <> 'pattern' OR weekdays BETWEEN 1 AND 127),\n"                       \
  "  CONSTRAINT [a pattern needs a non-empty set of day parts]"                          \
  "    CHECK (kind <> 'pattern' OR parts BETWEEN 1 AND 3),\n"

/* Version 1: the dataset, plus the tables the HTTP API builds on (access tokens, the
 * audit trail of decisions, matching rounds). */
static const char migration_1[] =
    "CREATE TABLE districts (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  name TEXT NOT NULL" NAME_RULE("name") ",\n"
    "  lat REAL NOT NULL" RANGE_RULE("lat", -90, 90) ",\n"
    "  lon REAL NOT NULL" RANGE_RULE("lon", -180, 180) "\n"
    ") STRICT;\n"

    "CREATE TABLE district_neighbours (\n"
    "  district_id TEXT NOT NULL REFERENCES districts (id) ON DELETE CASCADE,\n"
    "  position INTEGER NOT NULL"
    "    CONSTRAINT [position must not be negative] CHECK (position >= 0),\n"
    "  neighbour_id TEXT NOT NULL REFERENCES districts (id) ON DELETE CASCADE,\n"
    "  PRIMARY KEY (district_id, position),\n"
    "  CONSTRAINT [a district is listed as a neighbour only once]"
    "    UNIQUE (district_id, neighbour_id),\n"
    "  CONSTRAINT [a district cannot be its own neighbour]"
    "    CHECK (neighbour_id <> district_id)\n"
    ") STRICT;\n"
    "CREATE INDEX district_neighbours_neighbour ON district_neighbours (neighbour_id);\n"

    "CREATE TABLE schools (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  brin TEXT NOT NULL"
    "    CONSTRAINT [brin must be two digits and two capital letters, optionally two"
    " more digits]"
    "    CHECK (brin GLOB '[0-9][0-9][A-Z][A-Z]' OR brin GLOB '[0-9][0-9][A-Z][A-Z][0-9][0-9]'),\n"
    "  name TEXT NOT NULL" NAME_RULE("name") ",\n"
    "  type TEXT NOT NULL DEFAULT 'po'"
    "    CONSTRAINT [type must be po, so or vo] CHECK (type IN ('po', 'so', 'vo')),\n"
    "  district_id TEXT NOT NULL REFERENCES districts (id) ON DELETE RESTRICT,\n"
    "  postcode TEXT"
    "    CONSTRAINT [postcode must be 1234 AB, 1234AB or 1234]"
    "    CHECK (postcode GLOB '[0-9][0-9][0-9][0-9]'"
    "           OR postcode GLOB '[0-9][0-9][0-9][0-9][A-Za-z][A-Za-z]'"
    "           OR postcode GLOB '[0-9][0-9][0-9][0-9] [A-Za-z][A-Za-z]'),\n"
    "  lat REAL NOT NULL" RANGE_RULE("lat", -90, 90) ",\n"
    "  lon REAL NOT NULL" RANGE_RULE("lon", -180, 180) ",\n"
    "  pupils INTEGER" RANGE_RULE("pupils", 0, 100000) "\n"
    ") STRICT;\n"
    "CREATE INDEX schools_district ON schools (district_id);\n"

    "CREATE TABLE organisations (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  name TEXT NOT NULL" NAME_RULE("name") ",\n"
    "  lrk TEXT"
    "    CONSTRAINT [lrk must be nine digits]"
    "    CHECK (lrk GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),\n"
    "  district_id TEXT REFERENCES districts (id) ON DELETE SET NULL\n"
    ") STRICT;\n"
    "CREATE INDEX organisations_district ON organisations (district_id);\n"

    "CREATE TABLE employees (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,\n"
    "  name TEXT NOT NULL" NAME_RULE("name") ",\n"
    "  district_id TEXT NOT NULL REFERENCES districts (id) ON DELETE RESTRICT,\n"
    "  lat REAL" RANGE_RULE("lat", -90, 90) ",\n"
    "  lon REAL" RANGE_RULE("lon", -180, 180) ",\n"
    "  qualifications INTEGER NOT NULL DEFAULT 0" QUALS_RULE("qualifications") ",\n"
    "  max_parts_per_week INTEGER NOT NULL DEFAULT 10"
    RANGE_RULE("max_parts_per_week", 1, 14) ",\n"
    "  max_travel_km INTEGER NOT NULL DEFAULT 10" RANGE_RULE("max_travel_km", 0, 300) ",\n"
    "  active INTEGER NOT NULL DEFAULT 1"
    "    CONSTRAINT [active must be 0 or 1] CHECK (active IN (0, 1)),\n"
    "  confirmed TEXT" DATE_RULE("confirmed") ",\n"
    "  CONSTRAINT [lat and lon are given both or neither]"
    "    CHECK ((lat IS NULL) = (lon IS NULL))\n"
    ") STRICT;\n"
    "CREATE INDEX employees_organisation ON employees (organisation_id);\n"
    "CREATE INDEX employees_district ON employees (district_id);\n"

    "CREATE TABLE employee_availability (\n"
    "  employee_id TEXT NOT NULL REFERENCES employees (id) ON DELETE CASCADE,\n"
    SLOT_RULE_COLUMNS
    "  PRIMARY KEY (employee_id, position)\n"
    ") STRICT;\n"

    "CREATE TABLE requests (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  school_id TEXT NOT NULL REFERENCES schools (id) ON DELETE RESTRICT,\n"
    "  staff_needed INTEGER" RANGE_RULE("staff_needed", 1, 1000) ",\n"
    "  children_expected INTEGER" RANGE_RULE("children_expected", 1, 10000) ",\n"
    "  own_staff INTEGER" RANGE_RULE("own_staff", 0, 1000) ",\n"
    "  required INTEGER NOT NULL DEFAULT 0" QUALS_RULE("required") ",\n"
    "  preferred INTEGER NOT NULL DEFAULT 0" QUALS_RULE("preferred") ",\n"
    "  priority TEXT NOT NULL DEFAULT 'normal'"
    "    CONSTRAINT [priority must be normal or high] CHECK (priority IN ('normal', 'high')),\n"
    "  max_travel_km INTEGER NOT NULL DEFAULT 10" RANGE_RULE("max_travel_km", 0, 300) ",\n"
    "  note TEXT" TEXT_MAX_RULE("note", 2000) ",\n"
    "  status TEXT NOT NULL DEFAULT 'open'"
    "    CONSTRAINT [status must be open or cancelled] CHECK (status IN ('open', 'cancelled')),\n"
    "  CONSTRAINT [exactly one of staff_needed and children_expected is given]"
    "    CHECK ((staff_needed IS NULL) <> (children_expected IS NULL)),\n"
    "  CONSTRAINT [own_staff is given only with children_expected]"
    "    CHECK (own_staff IS NULL OR children_expected IS NOT NULL)\n"
    ") STRICT;\n"
    "CREATE INDEX requests_school ON requests (school_id);\n"

    "CREATE TABLE request_slots (\n"
    "  request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,\n"
    SLOT_RULE_COLUMNS
    "  PRIMARY KEY (request_id, position)\n"
    ") STRICT;\n"

    "CREATE TABLE assignments (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE RESTRICT,\n"
    "  employee_id TEXT NOT NULL REFERENCES employees (id) ON DELETE RESTRICT,\n"
    "  date TEXT NOT NULL" DATE_RULE("date") ",\n"
    "  part INTEGER NOT NULL"
    "    CONSTRAINT [part must be 0 (morning) or 1 (afternoon)] CHECK (part IN (0, 1)),\n"
    "  status TEXT NOT NULL"
    "    CONSTRAINT [status must be proposed, approved, rejected or cancelled]"
    "    CHECK (status IN ('proposed', 'approved', 'rejected', 'cancelled')),\n"
    "  decided_by TEXT" NAME_RULE("decided_by") ",\n"
    "  decided_at TEXT" TIME_RULE("decided_at") ",\n"
    "  reason TEXT" TEXT_MAX_RULE("reason", 2000) ",\n"
    "  CONSTRAINT [decided_by and decided_at are given exactly when not proposed]"
    "    CHECK ((status = 'proposed') = (decided_by IS NULL)"
    "           AND (status = 'proposed') = (decided_at IS NULL))\n"
    ") STRICT;\n"
    /* The rule people act on: an employee is committed to one place per day part. */
    "CREATE UNIQUE INDEX assignments_one_approved_per_slot"
    "  ON assignments (employee_id, date, part) WHERE status = 'approved';\n"
    "CREATE INDEX assignments_request ON assignments (request_id);\n"
    "CREATE INDEX assignments_employee ON assignments (employee_id, date);\n"

    /* Access tokens: only a hash of the secret is stored.  The scope columns hold ids
     * without foreign keys, so a REPLACE import that recreates the same objects keeps
     * tokens working; the API resolves the scope on every request, and a token whose
     * school or organisation is gone grants nothing. */
    "CREATE TABLE tokens (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  hash BLOB NOT NULL UNIQUE"
    "    CONSTRAINT [hash must be a digest of at least 16 bytes]"
    "    CHECK (typeof(hash) = 'blob' AND length(hash) >= 16),\n"
    "  label TEXT" TEXT_MAX_RULE("label", 200) ",\n"
    "  role TEXT NOT NULL"
    "    CONSTRAINT [role must be admin, coordinator, school or organisation]"
    "    CHECK (role IN ('admin', 'coordinator', 'school', 'organisation')),\n"
    "  district_id TEXT,\n"
    "  school_id TEXT,\n"
    "  organisation_id TEXT,\n"
    "  created_at TEXT NOT NULL" TIME_RULE("created_at") ",\n"
    "  revoked_at TEXT" TIME_RULE("revoked_at") ",\n"
    "  CONSTRAINT [a school token names its school, no other token does]"
    "    CHECK ((role = 'school') = (school_id IS NOT NULL)),\n"
    "  CONSTRAINT [an organisation token names its organisation, no other token does]"
    "    CHECK ((role = 'organisation') = (organisation_id IS NOT NULL)),\n"
    "  CONSTRAINT [only a coordinator token may be limited to a district]"
    "    CHECK (district_id IS NULL OR role = 'coordinator')\n"
    ") STRICT;\n"

    /* The audit trail: AUTOINCREMENT so an id is never reused, and rows are never
     * changed once written. */
    "CREATE TABLE audit_log (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  at TEXT NOT NULL" TIME_RULE("at") ",\n"
    "  actor TEXT NOT NULL" NAME_RULE("actor") ",\n"
    "  action TEXT NOT NULL" NAME_RULE("action") ",\n"
    "  object TEXT,\n"
    "  detail TEXT\n"
    ") STRICT;\n"
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log\n"
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n"

    /* Matching rounds: districts is a JSON array of district ids ([] for all),
     * stats_json the round's statistics as the API reports them. */
    "CREATE TABLE rounds (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  started_at TEXT NOT NULL" TIME_RULE("started_at") ",\n"
    "  finished_at TEXT" TIME_RULE("finished_at") ",\n"
    "  status TEXT NOT NULL"
    "    CONSTRAINT [status must be running, finished or failed]"
    "    CHECK (status IN ('running', 'finished', 'failed')),\n"
    "  districts TEXT NOT NULL DEFAULT '[]'"
    "    CONSTRAINT [districts must be a JSON array]"
    "    CHECK (json_valid(districts) AND json_type(districts) = 'array'),\n"
    "  stats_json TEXT"
    "    CONSTRAINT [stats_json must be JSON]"
    "    CHECK (stats_json IS NULL OR json_valid(stats_json)),\n"
    "  CONSTRAINT [a round has finished_at exactly when it is no longer running]"
    "    CHECK ((status = 'running') = (finished_at IS NULL))\n"
    ") STRICT;\n";

/* clang-format on */

/* Version 2: what the HTTP API keeps about rounds and decisions.  A proposal names
 * the round that made it (in a table of its own, so the assignments table keeps the
 * columns of the dataset format); a round keeps who started it, its unfilled staff-slots and
 * why it failed; an audit row names the district it concerns (NULL for changes that
 * concern no district, e.g. tokens), so a coordinator limited to some districts reads
 * only theirs.  A proposal replaced by a newer round is remembered, so approving it
 * answers "superseded" rather than "not found".  Two triggers keep the rules of an
 * approval in the database, whoever writes: a request slot never gets more approved
 * staff than it needs (the need computed as model_request_staff_needed() does with
 * the default of MODEL_DEFAULT_CHILDREN_PER_STAFF children per staff member), and a
 * cancelled request gets no new approval. */
G_STATIC_ASSERT(MODEL_DEFAULT_CHILDREN_PER_STAFF == 10); /* the trigger's need below */

/* clang-format off */
static const char migration_2[] =
    "CREATE TABLE assignment_rounds (\n"
    "  assignment_id TEXT NOT NULL PRIMARY KEY"
    "    REFERENCES assignments (id) ON DELETE CASCADE ON UPDATE CASCADE,\n"
    "  round_id INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE\n"
    ") STRICT;\n"
    "CREATE INDEX assignment_rounds_round ON assignment_rounds (round_id);\n"
    "ALTER TABLE rounds ADD COLUMN started_by TEXT" TEXT_MAX_RULE("started_by", 200) ";\n"
    "ALTER TABLE rounds ADD COLUMN unfilled_json TEXT"
    "  CONSTRAINT [unfilled_json must be a JSON array]"
    "  CHECK (unfilled_json IS NULL OR (json_valid(unfilled_json)"
    "         AND json_type(unfilled_json) = 'array'));\n"
    "ALTER TABLE rounds ADD COLUMN error TEXT" TEXT_MAX_RULE("error", 2000) ";\n"
    "ALTER TABLE audit_log ADD COLUMN district TEXT;\n"
    "CREATE INDEX audit_log_district ON audit_log (district, id);\n"

    "CREATE TABLE superseded_proposals (\n"
    "  id TEXT NOT NULL PRIMARY KEY,\n"
    "  request_id TEXT NOT NULL,\n"
    "  round_id INTEGER,\n"
    "  superseded_by INTEGER NOT NULL REFERENCES rounds (id) ON DELETE CASCADE\n"
    ") STRICT;\n"

    "CREATE TRIGGER assignments_slot_not_full\n"
    "BEFORE UPDATE OF status ON assignments\n"
    "WHEN NEW.status = 'approved' AND OLD.status <> 'approved'\n"
    "BEGIN\n"
    "  SELECT RAISE(ABORT, 'the request slot already has all the staff it needs')\n"
    "  WHERE (SELECT count(*) FROM assignments a WHERE a.request_id = NEW.request_id\n"
    "         AND a.date = NEW.date AND a.part = NEW.part AND a.status = 'approved')\n"
    "     >= (SELECT coalesce(r.staff_needed,\n"
    "                         max(0, (r.children_expected + 9) / 10 - coalesce(r.own_staff, 0)))\n"
    "         FROM requests r WHERE r.id = NEW.request_id);\n"
    "  SELECT RAISE(ABORT, 'the request is cancelled')\n"
    "  WHERE (SELECT status FROM requests WHERE id = NEW.request_id) = 'cancelled';\n"
    "END;\n";
/* clang-format on */

/* Version 3: indexes for the API's targeted reads.  A list page is chosen from an
 * index and read in id order: the assignments on a request by status, covering the
 * id, so a district's proposals are found through its schools and requests without
 * reading a row (this index also serves every lookup by request, so the narrower one
 * of version 1 goes); every assignment with a status in id order (a coordinator's
 * proposals of all districts); employees of a district or an organisation and
 * requests of a school already have theirs. */
/* clang-format off */
static const char migration_3[] =
    "DROP INDEX assignments_request;\n"
    "CREATE INDEX assignments_request_status ON assignments (request_id, status, id);\n"
    "CREATE INDEX assignments_status ON assignments (status, id);\n";
/* clang-format on */

/* Version 4: a round takes every request slot of its districts ("all"), or only the
 * slots a cancellation freed ("freed"), the re-match after illness or a no-show. */
/* clang-format off */
static const char migration_4[] =
    "ALTER TABLE rounds ADD COLUMN slots TEXT NOT NULL DEFAULT 'all'\n"
    "  CONSTRAINT rounds_slots CHECK (slots IN ('all', 'freed'));\n";
/* clang-format on */

/* Version 5: whom to tell.  A school and an organisation have a contact (name,
 * e-mail address, telephone number), an employee an e-mail address and a telephone
 * number, each optional.  The CHECKs keep what a mail header or a dial needs: no
 * white space or line breaks in an address, which has one '@' and a dot after it. */
#define EMAIL_RULE(col)                                                                            \
  " CONSTRAINT [" col " must be an e-mail address of at most 254 characters]"                      \
  " CHECK (length(" col ") <= 254 AND " col " GLOB '?*@?*.?*' AND " col " NOT GLOB '*@*@*'"        \
  " AND " col " NOT GLOB '*[^!-~]*')"
#define PHONE_RULE(col)                                                                            \
  " CONSTRAINT [" col " must be a telephone number of at most 30 characters]"                      \
  " CHECK (length(" col ") <= 30 AND " col " NOT GLOB '*[^0-9 +()-]*')"
/* clang-format off */
static const char migration_5[] =
    "ALTER TABLE schools ADD COLUMN contact_name TEXT" NAME_RULE("contact_name") ";\n"
    "ALTER TABLE schools ADD COLUMN contact_email TEXT" EMAIL_RULE("contact_email") ";\n"
    "ALTER TABLE schools ADD COLUMN contact_phone TEXT" PHONE_RULE("contact_phone") ";\n"
    "ALTER TABLE organisations ADD COLUMN contact_name TEXT" NAME_RULE("contact_name") ";\n"
    "ALTER TABLE organisations ADD COLUMN contact_email TEXT" EMAIL_RULE("contact_email") ";\n"
    "ALTER TABLE organisations ADD COLUMN contact_phone TEXT" PHONE_RULE("contact_phone") ";\n"
    "ALTER TABLE employees ADD COLUMN email TEXT" EMAIL_RULE("email") ";\n"
    "ALTER TABLE employees ADD COLUMN phone TEXT" PHONE_RULE("phone") ";\n";
/* clang-format on */

/* Version 6: the outbox.  Every event someone must hear of (an approval, a
 * cancellation, a finished round, ...) is a row here, written in the same transaction
 * as the change itself, one per recipient, so a change is never stored without its
 * message nor a message without its change.  `facts` holds what the message tells, as
 * JSON read at the moment of the change, so a retry sends exactly the same text.  The
 * delivery worker of `handen serve` sets sent_at only after the mail server accepted
 * the message; until then next_at says when to try again (backoff, or the hour a
 * recipient's limit frees up) and last_error why the last try failed. */
/* clang-format off */
static const char migration_6[] =
    "CREATE TABLE outbox (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  created_at TEXT NOT NULL" TIME_RULE("created_at") ",\n"
    "  kind TEXT NOT NULL"
    "    CONSTRAINT [kind must be 1 to 40 characters of a-z and -]"
    "    CHECK (length(kind) BETWEEN 1 AND 40 AND kind NOT GLOB '*[^a-z-]*'),\n"
    "  audience TEXT NOT NULL"
    "    CONSTRAINT [audience must be school, organisation, employee or coordinator]"
    "    CHECK (audience IN ('school', 'organisation', 'employee', 'coordinator')),\n"
    "  recipient TEXT NOT NULL" EMAIL_RULE("recipient") ",\n"
    "  recipient_name TEXT" TEXT_MAX_RULE("recipient_name", 200) ",\n"
    "  facts TEXT NOT NULL"
    "    CONSTRAINT [facts must be a JSON object]"
    "    CHECK (json_valid(facts) AND json_type(facts) = 'object'),\n"
    "  attempts INTEGER NOT NULL DEFAULT 0"
    "    CONSTRAINT [attempts must not be negative] CHECK (attempts >= 0),\n"
    "  next_at TEXT NOT NULL" TIME_RULE("next_at") ",\n"
    "  sent_at TEXT" TIME_RULE("sent_at") ",\n"
    "  last_error TEXT" TEXT_MAX_RULE("last_error", 2000) "\n"
    ") STRICT;\n"
    "CREATE INDEX outbox_due ON outbox (next_at, id) WHERE sent_at IS NULL;\n"
    "CREATE INDEX outbox_recipient_sent ON outbox (recipient, sent_at) WHERE sent_at IS NOT NULL;\n";
/* clang-format on */

/* Version 7: a token may expire, and remembers when it was last used (to the minute:
 * the API writes it at most once a minute per token). */
/* clang-format off */
static const char migration_7[] =
    "ALTER TABLE tokens ADD COLUMN expires_at TEXT" TIME_RULE("expires_at") ";\n"
    "ALTER TABLE tokens ADD COLUMN last_used_at TEXT" TIME_RULE("last_used_at") ";\n";
/* clang-format on */

/* Version 8: invitations.  The coordinator invites a school or an organisation by
 * e-mail; the mail (an outbox row of the same transaction) carries a one-time code,
 * of which only the hash is kept here.  Exchanging the code for a token sets
 * accepted_at and token_id together, once. */
/* clang-format off */
static const char migration_8[] =
    "CREATE TABLE invitations (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  code_hash BLOB NOT NULL UNIQUE"
    "    CONSTRAINT [code_hash must be a digest of at least 16 bytes]"
    "    CHECK (typeof(code_hash) = 'blob' AND length(code_hash) >= 16),\n"
    "  role TEXT NOT NULL"
    "    CONSTRAINT [role must be school or organisation]"
    "    CHECK (role IN ('school', 'organisation')),\n"
    "  school_id TEXT,\n"
    "  organisation_id TEXT,\n"
    "  email TEXT NOT NULL" EMAIL_RULE("email") ",\n"
    "  created_by TEXT NOT NULL" NAME_RULE("created_by") ",\n"
    "  created_at TEXT NOT NULL" TIME_RULE("created_at") ",\n"
    "  expires_at TEXT NOT NULL" TIME_RULE("expires_at") ",\n"
    "  accepted_at TEXT" TIME_RULE("accepted_at") ",\n"
    "  token_id INTEGER REFERENCES tokens (id),\n"
    "  CONSTRAINT [a school invitation names its school, an organisation's its organisation]"
    "    CHECK ((role = 'school') = (school_id IS NOT NULL)"
    "           AND (role = 'organisation') = (organisation_id IS NOT NULL)),\n"
    "  CONSTRAINT [an invitation is accepted exactly when it has its token]"
    "    CHECK ((accepted_at IS NULL) = (token_id IS NULL))\n"
    ") STRICT;\n";
/* clang-format on */

/* Version 9: calendar subscriptions.  A secret URL per feed (a school's, an
 * employee's) that calendar apps fetch without a token; only the secret's hash is
 * kept.  `owner` is the scope that made it ("school:31DJ00", "organisation:org-01",
 * "coordinator"): its tokens list and revoke it. */
/* clang-format off */
static const char migration_9[] =
    "CREATE TABLE subscriptions (\n"
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "  secret_hash BLOB NOT NULL UNIQUE"
    "    CONSTRAINT [secret_hash must be a digest of at least 16 bytes]"
    "    CHECK (typeof(secret_hash) = 'blob' AND length(secret_hash) >= 16),\n"
    "  feed TEXT NOT NULL"
    "    CONSTRAINT [feed must be school or employee] CHECK (feed IN ('school', 'employee')),\n"
    "  target TEXT NOT NULL" ID_RULE("target") ",\n"
    "  owner TEXT NOT NULL" NAME_RULE("owner") ",\n"
    "  created_at TEXT NOT NULL" TIME_RULE("created_at") ",\n"
    "  revoked_at TEXT" TIME_RULE("revoked_at") "\n"
    ") STRICT;\n"
    "CREATE INDEX subscriptions_owner ON subscriptions (owner, id);\n";

/* Version 10: childcare locations (H7).  An organisation's locations, each with the
 * figures it gives per day part (its own children expected and staff present, or the
 * staff it can lend), and the location an employee works at (NULL: not limited).  A
 * location with employees cannot vanish; its figures go with it. */
/* clang-format off */
static const char migration_10[] =
    "CREATE TABLE locations (\n"
    "  id TEXT NOT NULL PRIMARY KEY" ID_RULE("id") ",\n"
    "  organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE RESTRICT,\n"
    "  name TEXT NOT NULL" NAME_RULE("name") ",\n"
    "  lrk TEXT"
    "    CONSTRAINT [lrk must be nine digits]"
    "    CHECK (lrk GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),\n"
    "  district_id TEXT REFERENCES districts (id) ON DELETE SET NULL,\n"
    "  lat REAL NOT NULL" RANGE_RULE("lat", -90, 90) ",\n"
    "  lon REAL NOT NULL" RANGE_RULE("lon", -180, 180) "\n"
    ") STRICT;\n"
    "CREATE INDEX locations_organisation ON locations (organisation_id);\n"

    "CREATE TABLE location_load (\n"
    "  location_id TEXT NOT NULL REFERENCES locations (id) ON DELETE CASCADE,\n"
    "  children_expected INTEGER" RANGE_RULE("children_expected", 0, 10000) ",\n"
    "  staff_present INTEGER" RANGE_RULE("staff_present", 0, 1000) ",\n"
    "  max_lend INTEGER" RANGE_RULE("max_lend", 0, 1000) ",\n"
    SLOT_RULE_COLUMNS
    "  CONSTRAINT [children_expected and staff_present are given both or neither]"
    "    CHECK ((children_expected IS NULL) = (staff_present IS NULL)),\n"
    "  CONSTRAINT [a load gives children_expected and staff_present, or max_lend]"
    "    CHECK (staff_present IS NOT NULL OR max_lend IS NOT NULL),\n"
    "  PRIMARY KEY (location_id, position)\n"
    ") STRICT;\n"

    "ALTER TABLE employees ADD COLUMN location_id TEXT"
    "  REFERENCES locations (id) ON DELETE RESTRICT;\n"
    "CREATE INDEX employees_location ON employees (location_id);\n";
/* clang-format on */

/* Version 11: the continuity charge a round was run with, in metres per employee new to
 * a request (0: travel first); NULL for rounds from before the option. */
/* clang-format off */
static const char migration_11[] =
    "ALTER TABLE rounds ADD COLUMN continuity_m INTEGER"
    RANGE_RULE("continuity_m", 0, 100000) ";\n";
/* clang-format on */

/* Version 12: a running round names the session that runs it (owner; see driver.h),
 * so an instance starting up fails only the rounds of instances that are gone.  On
 * SQLite it stays NULL. */
/* clang-format off */
static const char migration_12[] =
    "ALTER TABLE rounds ADD COLUMN owner TEXT" TEXT_MAX_RULE("owner", 200) ";\n";
/* clang-format on */

/* Version 13: a district's outline, the ring the coordinator's map draws, as JSON text
 * [[lat, lon], ...] (rows.c); NULL when the dataset has none. */
/* clang-format off */
static const char migration_13[] =
    "ALTER TABLE districts ADD COLUMN outline TEXT"
    "  CONSTRAINT [outline must be a JSON array of 3 to 5000 points]"
    "  CHECK (outline IS NULL OR (json_valid(outline) AND json_type(outline) = 'array'"
    "         AND json_array_length(outline) BETWEEN 3 AND 5000));\n";
/* clang-format on */

/* Version 14: the approved assignments of a request's day part, counted by every
 * approval's check and again by the slot-full trigger, found in the index alone, not by
 * visiting each approved assignment of the request (the status is in it too, so that
 * SQLite needs no row of the table to count). */
static const char migration_14[] =
    "CREATE INDEX assignments_approved_in_slot ON assignments (request_id, date, part, status)"
    " WHERE status = 'approved';\n";

/* Migration i (0-based) takes a database from user_version i to i + 1. */
static const char *const migrations[] = {
    migration_1, migration_2, migration_3,  migration_4,  migration_5,  migration_6,  migration_7,
    migration_8, migration_9, migration_10, migration_11, migration_12, migration_13, migration_14,
};

void store_sqlite_io_error(GError **error, sqlite3 *db, const char *path, const char *what) {
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s: %s", path, what, sqlite3_errmsg(db));
}

int model_store_schema_version(void) {
  return (int)G_N_ELEMENTS(migrations);
}

gboolean store_schema_read_version(sqlite3 *db, const char *path, int *out_version,
                                   GError **error) {
  g_autoptr(sqlite3_stmt) stmt = NULL;
  if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK) {
    store_sqlite_io_error(error, db, path, "cannot read the schema version");
    return FALSE;
  }
  if (sqlite3_step(stmt) != SQLITE_ROW) {
    store_sqlite_io_error(error, db, path, "cannot read the schema version");
    return FALSE;
  }
  *out_version = sqlite3_column_int(stmt, 0);
  return TRUE;
}

/* Runs a pragma that answers one text row (journal_mode) and checks the answer. */
static gboolean pragma_expect(sqlite3 *db, const char *path, const char *sql,
                              const char *const *accepted, GError **error) {
  g_autoptr(sqlite3_stmt) stmt = NULL;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step(stmt) != SQLITE_ROW) {
    store_sqlite_io_error(error, db, path, sql);
    return FALSE;
  }
  const char *answer = (const char *)sqlite3_column_text(stmt, 0);
  for (gsize i = 0; answer != NULL && accepted[i] != NULL; i++)
    if (g_ascii_strcasecmp(answer, accepted[i]) == 0)
      return TRUE;
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: %s answered \"%s\"", path, sql,
              answer != NULL ? answer : "nothing");
  return FALSE;
}

static gboolean exec_fixed(sqlite3 *db, const char *path, const char *sql, GError **error) {
  if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
    store_sqlite_io_error(error, db, path, sql);
    return FALSE;
  }
  return TRUE;
}

static void rollback_quietly(sqlite3 *db) {
  if (!sqlite3_get_autocommit(db))
    (void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean refuse_newer(int version, const char *path, GError **error) {
  if (version <= model_store_schema_version())
    return TRUE;
  g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO,
              "%s: schema version %d is newer than this program (%d)", path, version,
              model_store_schema_version());
  return FALSE;
}

/* Applies one migration, if the database still needs it, in its own transaction.
 * The version is read again under the write lock, so two programs opening the same
 * new file at once cannot both apply it.  Sets *out_done when nothing is left. */
static gboolean migrate_step(sqlite3 *db, const char *path, gboolean *out_done, GError **error) {
  if (!exec_fixed(db, path, "BEGIN IMMEDIATE", error))
    return FALSE;
  int version = 0;
  if (!store_schema_read_version(db, path, &version, error) ||
      !refuse_newer(version, path, error)) {
    rollback_quietly(db);
    return FALSE;
  }
  if (version == model_store_schema_version()) {
    *out_done = TRUE;
    return exec_fixed(db, path, "COMMIT", error);
  }
  if (version < 0) {
    rollback_quietly(db);
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: schema version %d is not valid", path,
                version);
    return FALSE;
  }
  if (sqlite3_exec(db, migrations[version], NULL, NULL, NULL) != SQLITE_OK) {
    g_autofree char *what = g_strdup_printf("migration to schema version %d", version + 1);
    store_sqlite_io_error(error, db, path, what);
    rollback_quietly(db);
    return FALSE;
  }
  /* PRAGMA takes no bound parameters; the number is ours, not input. */
  char bump[48];
  g_snprintf(bump, sizeof bump, "PRAGMA user_version = %d", version + 1);
  if (!exec_fixed(db, path, bump, error)) {
    rollback_quietly(db);
    return FALSE;
  }
  if (!exec_fixed(db, path, "COMMIT", error)) {
    rollback_quietly(db);
    return FALSE;
  }
  *out_done = FALSE;
  return TRUE;
}

gboolean store_schema_setup(sqlite3 *db, const char *path, GError **error) {
  /* Wait up to five seconds for another writer (the CLI next to the server) instead
   * of failing at once with SQLITE_BUSY. */
  if (sqlite3_busy_timeout(db, 5000) != SQLITE_OK) {
    store_sqlite_io_error(error, db, path, "cannot set the busy timeout");
    return FALSE;
  }
  /* Refuse a newer file before changing anything about it, journal mode included. */
  int version = 0;
  if (!store_schema_read_version(db, path, &version, error) || !refuse_newer(version, path, error))
    return FALSE;

  static const char *const on[] = {"1", NULL};
  static const char *const wal[] = {"wal", "memory", NULL};
  /* Foreign keys are off by default in SQLite and must be switched on per
   * connection; reading the pragma back proves this build enforces them. */
  if (!exec_fixed(db, path, "PRAGMA foreign_keys = ON", error) ||
      !pragma_expect(db, path, "PRAGMA foreign_keys", on, error))
    return FALSE;
  /* WAL: readers (the API serving GETs) never block the writer and vice versa. */
  if (!pragma_expect(db, path, "PRAGMA journal_mode = WAL", wal, error))
    return FALSE;
  /* synchronous = FULL syncs the WAL on every commit.  NORMAL would be safe against
   * corruption but may lose the last commits on power loss, and an approval is a
   * commitment people act on: a school is told someone comes, an employee plans the
   * day.  A decision that was reported as stored must survive a crash; the cost is
   * one fsync per write transaction, and writes here are few. */
  if (!exec_fixed(db, path, "PRAGMA synchronous = FULL", error))
    return FALSE;

  /* A file at this version needs no migration, and its write lock is not taken just to
   * see that again: a connection opened while another one writes (a server's new
   * thread during a stream of approvals) would wait for the lock in the busy handler's
   * sleeps.  A file behind is migrated under the lock, which settles a race between
   * two processes opening it. */
  if (version == model_store_schema_version())
    return TRUE;
  gboolean done = FALSE;
  while (!done)
    if (!migrate_step(db, path, &done, error))
      return FALSE;
  return TRUE;
}
