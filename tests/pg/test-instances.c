/* test-instances.c: two `handen serve` processes on one PostgreSQL database keep every
 * guarantee one process gives.  Pairs of proposals that cannot both be approved (the
 * same employee, request and day part under two ids) are approved at the same moment
 * through both instances by many clients: of each pair exactly one wins and the other
 * is answered 409 with its reason.  Halfway, one instance is killed with SIGKILL and
 * started again.  Afterwards every acknowledged approval is stored, no employee is
 * booked twice, and the engine's checker passes the approvals.  Also: a round that a
 * living session runs refuses an overlapping one through the other instance, and
 * survives an instance's restart, while a round of a session that is gone is failed;
 * an instance's response cache answers what the other instance just committed; and an
 * instance whose database sessions were dropped opens them again.
 * Runs under tests/pg/with-pg.sh only.
 */
#include <json-c/json.h>
#include <libpq-fe.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "durability.h"
#include "store-target.h"

/* Pairs of conflicting proposals raced through the two instances. */
#define PAIRS 48
/* Readers that keep both instances' caches busy meanwhile. */
#define READERS 4

typedef struct {
  char *id[2]; /* the round's proposal, and its copy under another id */
  guint status[2];
} Pair;

typedef struct {
  DurStore *store;
  GMutex lock;
  HttpServer *servers[2]; /* instance 1 is replaced when restarted */
  guint16 ports[2];       /* under lock: 0 while instance 1 restarts */
  Pair pairs[PAIRS];
  gint done[2];  /* pairs each racer has finished (atomic) */
  gint stop;     /* readers stop when set (atomic) */
  gint reads_ok; /* successful reads (atomic) */
} Race;

static guint16 port_of(Race *race, int instance) {
  g_mutex_lock(&race->lock);
  guint16 port = race->ports[instance];
  g_mutex_unlock(&race->lock);
  return port;
}

static void set_server(Race *race, int instance, HttpServer *server) {
  g_mutex_lock(&race->lock);
  race->servers[instance] = server;
  race->ports[instance] = server != NULL ? server->port : 0;
  g_mutex_unlock(&race->lock);
}

static HttpServer *start_instance(Race *race) {
  g_autoptr(GError) error = NULL;
  HttpServer *server = http_server_start(race->store->db_path, NULL, &error);
  g_assert_no_error(error);
  return server;
}

/* Kills instance 1 with SIGKILL (no chance to finish anything) and starts it again. */
static void kill_and_restart(Race *race) {
  HttpServer *old = race->servers[1];
  set_server(race, 1, NULL);
  g_assert_cmpint(kill(old->pid, SIGKILL), ==, 0);
  int status = 0;
  g_assert_cmpint(waitpid(old->pid, &status, 0), ==, old->pid);
  g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  g_spawn_close_pid(old->pid);
  g_free(old);
  set_server(race, 1, start_instance(race));
}

typedef struct {
  Race *race;
  int side; /* 0 approves each pair's first id through instance 0, 1 the copy through 1 */
} Racer;

static gpointer racer_run(gpointer data) {
  Racer *r = data;
  Race *race = r->race;
  g_autoptr(HttpClient) client = NULL;
  for (guint i = 0; i < PAIRS; i++) {
    if (client == NULL)
      client = dur_connect(port_of(race, r->side));
    Pair *pair = &race->pairs[i];
    g_autofree char *target = g_strdup_printf("/v1/proposals/%s/approve", pair->id[r->side]);
    json_object *json = NULL;
    guint status = client != NULL
                       ? dur_call(client, race->store->coordinator, "POST", target, NULL, &json)
                       : 0;
    if (status == 409) {
      /* The loser is told why. */
      json_object *error = json_object_object_get(json, "error");
      const char *message = dur_json_string(error, "message");
      g_assert_nonnull(message);
      g_assert_cmpuint(strlen(message), >, 0);
    }
    json_object_put(json);
    pair->status[r->side] = status;
    if (status == 0) {
      /* The instance is gone (killed): this outcome is unknown.  Wait until it is back
       * (a minute at most) before the next pair, so the race goes on through both. */
      g_clear_pointer(&client, http_client_free);
      for (int tries = 0; client == NULL && tries < 3000; tries++) {
        guint16 port = port_of(race, r->side);
        if (port == 0 || (client = dur_connect(port)) == NULL)
          g_usleep(20 * 1000);
      }
    }
    g_atomic_int_inc(&race->done[r->side]);
  }
  return NULL;
}

static gpointer reader_run(gpointer data) {
  Race *race = data;
  for (guint n = 0; !g_atomic_int_get(&race->stop); n++) {
    g_autoptr(HttpClient) client = dur_connect(port_of(race, n % 2));
    if (client == NULL) {
      g_usleep(50 * 1000);
      continue;
    }
    const char *target = n % 3 == 0 ? "/v1/summary" : "/v1/proposals?status=approved&limit=50";
    if (dur_call(client, race->store->coordinator, "GET", target, NULL, NULL) == 200)
      g_atomic_int_inc(&race->reads_ok);
  }
  return NULL;
}

/* Text of the first row of `sql` on the store (transfer full). */
static char *sql_text(Race *race, const char *sql) {
  return store_target_pg_text(race->store->db_path, sql);
}

/* Chooses PAIRS proposals of distinct employees and distinct request slots (so one
 * pair's approval never blocks another's) and copies each under a new id. */
static void make_pairs(Race *race) {
  g_autofree char *rows = sql_text(
      race, "SELECT string_agg(id || ' ' || employee_id || ' ' || request_id || '/' || date ||"
            " '/' || part, ',' ORDER BY id) FROM assignments WHERE status = 'proposed'");
  g_assert_nonnull(rows);
  g_auto(GStrv) lines = g_strsplit(rows, ",", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  guint n = 0;
  for (guint i = 0; lines[i] != NULL && n < PAIRS; i++) {
    g_auto(GStrv) fields = g_strsplit(lines[i], " ", 3);
    g_autofree char *employee = g_strconcat("e ", fields[1], NULL);
    g_autofree char *slot = g_strconcat("s ", fields[2], NULL);
    if (g_hash_table_contains(seen, employee) || g_hash_table_contains(seen, slot))
      continue;
    g_hash_table_add(seen, g_steal_pointer(&employee));
    g_hash_table_add(seen, g_steal_pointer(&slot));
    Pair *pair = &race->pairs[n];
    pair->id[0] = g_strdup(fields[0]);
    pair->id[1] = g_strdup_printf("x-%u", n);
    g_autofree char *copy = g_strdup_printf(
        "INSERT INTO assignments (id, request_id, employee_id, date, part, status)"
        " SELECT '%s', request_id, employee_id, date, part, 'proposed' FROM assignments"
        " WHERE id = '%s'",
        pair->id[1], pair->id[0]);
    g_assert_cmpint(store_target_pg_exec(race->store->db_path, copy, NULL), ==, STORE_TARGET_OK);
    n++;
  }
  g_assert_cmpuint(n, ==, PAIRS);
}

static char *status_of(Race *race, const char *id) {
  g_autofree char *sql = g_strdup_printf("SELECT status FROM assignments WHERE id = '%s'", id);
  return sql_text(race, sql);
}

/* After the race: one winner per pair, every acknowledged approval stored, every
 * refused one not. */
static void check_pairs(Race *race) {
  guint both_answered = 0;
  for (guint i = 0; i < PAIRS; i++) {
    Pair *pair = &race->pairs[i];
    guint approved = 0;
    for (int side = 0; side < 2; side++) {
      g_autofree char *status = status_of(race, pair->id[side]);
      approved += g_strcmp0(status, "approved") == 0;
      if (pair->status[side] == 200 && g_strcmp0(status, "approved") != 0)
        g_error("lost: %s was acknowledged but is %s", pair->id[side], status);
      if (pair->status[side] == 409)
        g_assert_cmpstr(status, ==, "proposed");
      g_assert_true(pair->status[side] == 200 || pair->status[side] == 409 ||
                    pair->status[side] == 0);
    }
    g_assert_cmpuint(approved, <=, 1);
    if (pair->status[0] != 0 && pair->status[1] != 0) {
      both_answered++;
      g_assert_cmpuint((pair->status[0] == 200) + (pair->status[1] == 200), ==, 1);
    }
  }
  guint wins[2] = {0, 0};
  for (guint i = 0; i < PAIRS; i++)
    for (int side = 0; side < 2; side++)
      wins[side] += race->pairs[i].status[side] == 200;
  g_test_message("%u of %u pairs answered on both sides; won through instance 0: %u, 1: %u",
                 both_answered, PAIRS, wins[0], wins[1]);
  /* Only the requests in flight when the instance died go unanswered. */
  g_assert_cmpuint(both_answered, >=, PAIRS - 2);
}

static void assert_no_double_booking(Race *race) {
  g_autofree char *twice =
      sql_text(race, "SELECT string_agg(employee_id || ' ' || date || ' ' || part, ', ') FROM"
                     " (SELECT employee_id, date, part FROM assignments WHERE status = 'approved'"
                     "  GROUP BY employee_id, date, part HAVING count(*) > 1) t");
  g_assert_null(twice);
  g_autofree char *overfull =
      sql_text(race, "SELECT string_agg(g.request_id || ' ' || g.date, ', ') FROM"
                     " (SELECT request_id, date, part, count(*) AS n FROM assignments"
                     "  WHERE status = 'approved' GROUP BY request_id, date, part) g"
                     " JOIN requests r ON r.id = g.request_id WHERE g.n > coalesce("
                     "  r.staff_needed, greatest(0, (r.children_expected + 9) / 10"
                     "  - coalesce(r.own_staff, 0)))");
  g_assert_null(overfull);
}

/* The approved ids instance `instance` answers (transfer full). */
static char *approved_through(Race *race, int instance) {
  g_autoptr(HttpClient) client = dur_connect(port_of(race, instance));
  g_assert_nonnull(client);
  json_object *json = NULL;
  g_assert_cmpuint(dur_call(client, race->store->coordinator, "GET",
                            "/v1/proposals?status=approved&limit=500", NULL, &json),
                   ==, 200);
  char *text = g_strdup(json_object_to_json_string(json_object_object_get(json, "items")));
  json_object_put(json);
  return text;
}

/* What instance 1 has cached is replaced the moment instance 0 commits. */
static void check_cache(Race *race, const char *spare) {
  g_autofree char *before = approved_through(race, 1);
  g_autofree char *cached = approved_through(race, 1);
  g_assert_cmpstr(cached, ==, before);
  g_assert_null(strstr(before, spare));
  g_autoptr(HttpClient) client = dur_connect(port_of(race, 0));
  g_autofree char *target = g_strdup_printf("/v1/proposals/%s/approve", spare);
  g_assert_cmpuint(dur_call(client, race->store->coordinator, "POST", target, NULL, NULL), ==, 200);
  g_autofree char *after = approved_through(race, 1);
  g_assert_nonnull(strstr(after, spare));
}

/* A round "run" by a session of this test (as another instance's would be). */
static PGconn *hold_round(Race *race) {
  PGconn *conn = PQconnectdb(race->store->db_path);
  g_assert_cmpint(PQstatus(conn), ==, CONNECTION_OK);
  PGresult *result = PQexec(
      conn, "INSERT INTO rounds (started_at, status, districts, started_by, owner)"
            " VALUES ('2020-04-13T08:00:00Z', 'running', '[\"duin\"]', 'elsewhere',"
            " (SELECT pid || '@' || CAST(extract(epoch FROM backend_start) * 1000000 AS bigint)"
            "  FROM pg_stat_activity WHERE pid = pg_backend_pid()))");
  g_assert_cmpint(PQresultStatus(result), ==, PGRES_COMMAND_OK);
  PQclear(result);
  return conn;
}

static guint start_round(Race *race, int instance, json_object **out_json) {
  g_autoptr(HttpClient) client = dur_connect(port_of(race, instance));
  return dur_call(client, race->store->coordinator, "POST", "/v1/rounds",
                  "{\"districts\": [\"duin\", \"haven\"]}", out_json);
}

static void test_two_instances(void) {
  if (!store_target_is_pg()) {
    g_test_skip("runs under tests/pg/with-pg.sh");
    return;
  }
  Race race = {0};
  g_mutex_init(&race.lock);
  race.store = dur_store_new();
  set_server(&race, 0, start_instance(&race));
  set_server(&race, 1, start_instance(&race));
  {
    g_autoptr(HttpClient) client = dur_connect(port_of(&race, 0));
    dur_run_round(client, race.store->coordinator);
  }
  make_pairs(&race);
  g_autofree char *spare = sql_text(
      &race, "SELECT min(a.id) FROM assignments a WHERE a.status = 'proposed' AND a.id LIKE 'p%'"
             " AND NOT EXISTS (SELECT 1 FROM assignments b WHERE b.employee_id = a.employee_id"
             " AND b.id <> a.id AND b.id LIKE 'x-%')");
  g_assert_nonnull(spare);
  check_cache(&race, spare);

  /* A round runs in another living session: an overlapping one is refused through
   * either instance. */
  PGconn *elsewhere = hold_round(&race);
  json_object *json = NULL;
  g_assert_cmpuint(start_round(&race, 1, &json), ==, 409);
  g_assert_nonnull(strstr(json_object_to_json_string(json), "still running"));
  json_object_put(json);

  GThread *threads[2 + READERS];
  Racer racers[2] = {{&race, 0}, {&race, 1}};
  for (int i = 0; i < 2; i++)
    threads[i] = g_thread_new("racer", racer_run, &racers[i]);
  for (int i = 0; i < READERS; i++)
    threads[2 + i] = g_thread_new("reader", reader_run, &race);
  while (g_atomic_int_get(&race.done[1]) < PAIRS / 2)
    g_usleep(5 * 1000);
  kill_and_restart(&race);
  for (int i = 0; i < 2; i++)
    g_thread_join(threads[i]);
  g_atomic_int_set(&race.stop, 1);
  for (int i = 0; i < READERS; i++)
    g_thread_join(threads[2 + i]);
  g_assert_cmpint(g_atomic_int_get(&race.reads_ok), >, 0);

  check_pairs(&race);
  assert_no_double_booking(&race);
  g_assert_cmpuint(dur_assert_approvals_sound(race.store->db_path), >=, PAIRS);

  /* The restart left the living session's round alone; once that session is gone, the
   * next instance to start fails it, and rounds run again. */
  g_autofree char *kept =
      sql_text(&race, "SELECT status FROM rounds WHERE started_by = 'elsewhere'");
  g_assert_cmpstr(kept, ==, "running");
  g_autofree char *gone = g_strdup_printf("SELECT count(*) FROM pg_stat_activity WHERE pid = %d",
                                          PQbackendPID(elsewhere));
  PQfinish(elsewhere);
  for (int tries = 0; store_target_pg_int(race.store->db_path, gone) > 0; tries++) {
    g_assert_cmpint(tries, <, 500);
    g_usleep(10 * 1000);
  }
  g_assert_cmpint(http_server_stop(race.servers[0]), ==, 0);
  set_server(&race, 0, start_instance(&race));
  g_autofree char *failed = sql_text(&race, "SELECT status || ': ' || error FROM rounds"
                                            " WHERE started_by = 'elsewhere'");
  g_assert_cmpstr(failed, ==, "failed: interrupted: the server stopped while the round ran");
  g_assert_cmpuint(start_round(&race, 1, NULL), ==, 202);

  /* The database drops every session of the instances (a restart, a failover): each
   * instance opens its connections again; only the request that found one lost fails. */
  g_assert_cmpint(store_target_pg_exec(race.store->db_path,
                                       "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                       " WHERE pid <> pg_backend_pid() AND datname ="
                                       " current_database()",
                                       NULL),
                  ==, STORE_TARGET_OK);
  for (int instance = 0; instance < 2; instance++) {
    guint status = 0;
    for (int tries = 0; tries < 3 && status != 200; tries++) {
      g_autoptr(HttpClient) client = dur_connect(port_of(&race, instance));
      status = dur_call(client, race.store->coordinator, "GET", "/v1/summary", NULL, NULL);
    }
    g_assert_cmpuint(status, ==, 200);
  }

  for (int i = 0; i < 2; i++)
    g_assert_cmpint(http_server_stop(race.servers[i]), ==, 0);
  for (guint i = 0; i < PAIRS; i++) {
    g_free(race.pairs[i].id[0]);
    g_free(race.pairs[i].id[1]);
  }
  dur_store_free(race.store);
  g_mutex_clear(&race.lock);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/pg/two-instances", test_two_instances);
  return g_test_run();
}
