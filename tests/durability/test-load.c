/* test-load.c: `handen serve` under load across graceful restarts.  Many clients on
 * loopback (a bounded number of answered requests each, and an overall deadline) mix reads,
 * new requests, availability, approvals and rejections that collide on purpose, and
 * rounds, while the server is stopped with SIGTERM and started again on the same port
 * several times.  Afterwards: no 5xx answer and no failed connection except across a
 * restart, every acknowledged write stored and served, no double booking, the store
 * intact and its approvals passing the engine's checker.  Each client also reads back its
 * own last request and availability, which must be served exactly as acknowledged.
 *
 * A failure is attributed to a restart by generations: the main thread makes the
 * generation odd before it stops the server and even again once the new one serves;
 * a client notes the generation when it connects, and a lost connection or a 5xx on a
 * connection from an odd generation, or from one that has since changed, belongs to
 * a restart.  Everything else is a failure of the server.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "durability.h"

#define CLIENTS 32
#define REQUESTS_PER_CLIENT 400
#define DEADLINE_SECONDS 12
#define RESTARTS 3
#define MAX_STATUS 600 /* status counters 0..599; 0 counts failed connections */
#define SEED 20200323u /* choices only: the interleaving is the scheduler's */

typedef struct {
  DurStore *store;
  DurLedger *ledger;
  guint16 port;
  gint generation;  /* atomic: even while a server is up, odd while it restarts */
  gint answered;    /* atomic: requests answered so far, all clients */
  gint64 deadline;  /* monotonic microseconds, not counting the restarts: */
  gint downtime_ms; /* atomic: how long the restarts took so far */
  GMutex lock;
  GPtrArray *errors; /* char*: answers that must never happen */
} Load;

typedef enum {
  ROLE_SCHOOL,
  ROLE_ORGANISATION,
  ROLE_COORDINATOR,
} Role;

typedef struct {
  Load *load;
  guint index;
  Role role;
  GRand *rand;
  HttpClient *client;
  gint connected_generation;
  GPtrArray *proposals;         /* char*: ids from the last list of proposals */
  char *last_request;           /* the id of the last acknowledged request, or NULL */
  char *last_request_value;     /* its "staff|slots" */
  char *availability;           /* the employee's availability as last acknowledged */
  gboolean availability_unsure; /* a later write's answer was lost */
  guint seq;
  guint statuses[MAX_STATUS];
  guint restart_failures; /* lost connections and 5xx across a restart */
  guint answered;         /* this client's requests the server answered */
  guint server_errors;    /* 5xx answers */
  GHashTable *refusals;   /* error code of a refused decision -> count */
} Client;

/* At most 50 messages are kept. */
#define record_error(load, ...) dur_record_error(&(load)->lock, (load)->errors, 50, __VA_ARGS__)

static gboolean across_restart(Client *c) {
  return c->connected_generation % 2 == 1 ||
         g_atomic_int_get(&c->load->generation) != c->connected_generation;
}

/* One request on the client's connection (connecting first when needed).  Returns
 * the status, 0 when the connection failed; counts it, and records as an error a
 * failure that no restart explains. */
static guint call(Client *c, const char *auth, const char *method, const char *target,
                  const char *body, json_object **out_json) {
  if (out_json != NULL)
    *out_json = NULL;
  if (c->client == NULL) {
    c->connected_generation = g_atomic_int_get(&c->load->generation);
    c->client = dur_connect(c->load->port);
  }
  guint status = c->client != NULL ? dur_call(c->client, auth, method, target, body, out_json) : 0;
  c->statuses[MIN(status, MAX_STATUS - 1)]++; /* no status is that high */
  if (status != 0) {
    c->answered++;
    g_atomic_int_inc(&c->load->answered);
  }
  if (status == 0 || status >= 500) {
    if (status >= 500)
      c->server_errors++;
    if (across_restart(c))
      c->restart_failures++;
    else
      record_error(c->load, "%s %s: %s outside a restart", method, target,
                   status == 0 ? "connection failed" : "5xx");
    if (out_json != NULL)
      g_clear_pointer(out_json, json_object_put);
  }
  if (status == 0) {
    g_clear_pointer(&c->client, http_client_free);
    g_usleep(20 * 1000); /* the server may be restarting: do not spin */
  }
  return status;
}

/* Checks an answer that is neither a lost connection nor a 5xx (those are judged by
 * call()): it must be `ok` or `refused` (0: none). */
static void expect(Client *c, guint status, guint ok, guint refused, const char *what) {
  if (status == 0 || status >= 500 || status == ok || (refused != 0 && status == refused))
    return;
  record_error(c->load, "%s answered %u", what, status);
}

/* A write's outcome for the ledger. */
static DurOutcome outcome(guint status, guint ok) {
  return status == ok                   ? DUR_OUTCOME_ACKED
         : status == 0 || status >= 500 ? DUR_OUTCOME_UNKNOWN
                                        : DUR_OUTCOME_REFUSED;
}

static void school_step(Client *c) {
  const char *auth = c->load->store->school;
  int choice = g_rand_int_range(c->rand, 0, 4);
  if (choice < 2) {
    g_autofree char *id = g_strdup_printf("lq-%u-%u", c->index, c->seq++);
    g_autofree char *value = NULL;
    g_autofree char *body = dur_random_request(c->rand, id, &value);
    guint status = call(c, auth, "POST", "/v1/requests", body, NULL);
    expect(c, status, 201, 0, "POST /v1/requests");
    dur_ledger_add(c->load->ledger, DUR_WRITE_REQUEST, id, value, outcome(status, 201), 1);
    if (status == 201) {
      g_free(c->last_request);
      c->last_request = g_steal_pointer(&id);
      g_free(c->last_request_value);
      c->last_request_value = g_steal_pointer(&value);
    }
  } else if (choice == 2) {
    expect(c, call(c, auth, "GET", "/v1/requests?limit=50", NULL, NULL), 200, 0, "list requests");
  } else {
    /* Read your own write: the request as acknowledged, on any connection. */
    g_autofree char *target =
        g_strdup_printf("/v1/requests/%s", c->last_request ? c->last_request : "r-002");
    json_object *json = NULL;
    guint status = call(c, auth, "GET", target, NULL, &json);
    expect(c, status, 200, 0, target);
    if (status == 200 && c->last_request != NULL) {
      g_autofree char *slots = dur_slots_canonical(json_object_object_get(json, "slots"));
      g_autofree char *served = g_strdup_printf(
          "%d|%s", json_object_get_int(json_object_object_get(json, "staff_needed")), slots);
      if (!g_str_equal(served, c->last_request_value))
        record_error(c->load, "%s served [%s] after [%s] was acknowledged", target, served,
                     c->last_request_value);
    }
    json_object_put(json);
  }
}

static void organisation_step(Client *c) {
  const char *auth = c->load->store->organisation;
  g_autofree char *employee = g_strdup_printf("lo-e-%u", c->index);
  int choice = g_rand_int_range(c->rand, 0, 10);
  if (choice < 4) {
    g_autofree char *canonical = NULL;
    g_autofree char *slots = dur_random_availability(c->rand, &canonical);
    g_autofree char *target = g_strdup_printf("/v1/employees/%s/availability", employee);
    guint status = call(c, auth, "PUT", target, slots, NULL);
    expect(c, status, 200, 0, "PUT availability");
    dur_ledger_add(c->load->ledger, DUR_WRITE_AVAILABILITY, employee, canonical,
                   outcome(status, 200), 1);
    if (status == 200) {
      g_free(c->availability);
      c->availability = g_steal_pointer(&canonical);
      c->availability_unsure = FALSE;
    } else if (outcome(status, 200) == DUR_OUTCOME_UNKNOWN) {
      c->availability_unsure = TRUE;
    }
  } else if (choice < 7) {
    expect(c, call(c, auth, "GET", "/v1/employees?limit=100", NULL, NULL), 200, 0,
           "list employees");
  } else {
    /* Read your own write: this client is the only one that changes this employee. */
    g_autofree char *target = g_strdup_printf("/v1/employees/%s", employee);
    json_object *json = NULL;
    guint status = call(c, auth, "GET", target, NULL, &json);
    expect(c, status, 200, 0, target);
    if (status == 200 && !c->availability_unsure) {
      g_autofree char *served = dur_slots_canonical(json_object_object_get(json, "availability"));
      if (!g_str_equal(served, c->availability))
        record_error(c->load, "%s served availability [%s] after [%s] was acknowledged", target,
                     served, c->availability);
    }
    json_object_put(json);
  }
}

/* Replaces the client's list of proposals by the first page of those still
 * proposed: every coordinator reads the same page, so they collide. */
static void refresh_proposals(Client *c) {
  json_object *json = NULL;
  guint status = call(c, c->load->store->coordinator, "GET",
                      "/v1/proposals?status=proposed&limit=100", NULL, &json);
  expect(c, status, 200, 0, "list proposals");
  if (status != 200) {
    json_object_put(json);
    return;
  }
  g_ptr_array_set_size(c->proposals, 0);
  json_object *items = json_object_object_get(json, "items");
  for (size_t i = 0; i < json_object_array_length(items); i++) {
    const char *id = dur_json_string(json_object_array_get_idx(items, i), "id");
    if (id != NULL)
      g_ptr_array_add(c->proposals, g_strdup(id));
  }
  json_object_put(json);
}

static void decide(Client *c, gboolean approve) {
  if (c->proposals->len == 0) {
    refresh_proposals(c);
    return;
  }
  guint pick = (guint)g_rand_int_range(c->rand, 0, (gint32)c->proposals->len);
  g_autofree char *id = g_strdup(g_ptr_array_index(c->proposals, pick));
  g_ptr_array_remove_index_fast(c->proposals, pick);
  g_autofree char *target =
      g_strdup_printf("/v1/proposals/%s/%s", id, approve ? "approve" : "reject");
  json_object *json = NULL;
  guint status = call(c, c->load->store->coordinator, "POST", target,
                      approve ? NULL : "{\"reason\": \"past niet\"}", &json);
  expect(c, status, 200, 409, target);
  const char *code =
      status == 409 ? dur_json_string(json_object_object_get(json, "error"), "code") : NULL;
  if (code != NULL) {
    gpointer count = g_hash_table_lookup(c->refusals, code);
    g_hash_table_insert(c->refusals, g_strdup(code), GUINT_TO_POINTER(GPOINTER_TO_UINT(count) + 1));
    /* A newer round replaced the list: the rest of it would be refused the same way,
     * so the next decision reads the new one (on a slow machine a client would
     * otherwise spend its whole time on stale proposals). */
    if (g_str_equal(code, "superseded"))
      g_ptr_array_set_size(c->proposals, 0);
  }
  json_object_put(json);
  dur_ledger_add(c->load->ledger, approve ? DUR_WRITE_APPROVE : DUR_WRITE_REJECT, id, NULL,
                 outcome(status, 200), 1);
}

static void coordinator_step(Client *c) {
  const char *auth = c->load->store->coordinator;
  int choice = g_rand_int_range(c->rand, 0, 20);
  if (choice < 8) {
    decide(c, TRUE);
  } else if (choice < 10) {
    decide(c, FALSE);
  } else if (choice < 11) {
    json_object *json = NULL;
    guint status = call(c, auth, "POST", "/v1/rounds", NULL, &json);
    expect(c, status, 202, 409, "POST /v1/rounds");
    if (status == 202) {
      g_autofree char *id = g_strdup_printf(
          "%" G_GINT64_FORMAT, json_object_get_int64(json_object_object_get(json, "id")));
      dur_ledger_add(c->load->ledger, DUR_WRITE_ROUND, id, NULL, DUR_OUTCOME_ACKED, 1);
    }
    json_object_put(json);
  } else if (choice < 15) {
    refresh_proposals(c);
  } else if (choice < 18) {
    expect(c, call(c, auth, "GET", "/v1/assignments?limit=100", NULL, NULL), 200, 0,
           "list assignments");
  } else {
    expect(c, call(c, auth, "GET", "/v1/schools?limit=100", NULL, NULL), 200, 0, "list schools");
  }
}

/* The deadline pushed back by the time the server was restarting, so the clients get
 * DEADLINE_SECONDS of a serving server however slowly it stops and starts (under the
 * sanitizers, leak checking at exit alone takes seconds on a busy machine). */
static gint64 deadline_now(Load *load) {
  return load->deadline + (gint64)g_atomic_int_get(&load->downtime_ms) * 1000;
}

static gpointer client_main(gpointer data) {
  Client *c = data;
  /* A request lost while the server restarts does not count: a client makes its
   * REQUESTS_PER_CLIENT answered ones (or stops at the deadline) however long the
   * restarts take on a slow machine. */
  while (c->answered < REQUESTS_PER_CLIENT && g_get_monotonic_time() < deadline_now(c->load)) {
    switch (c->role) {
    case ROLE_SCHOOL:
      school_step(c);
      break;
    case ROLE_ORGANISATION:
      organisation_step(c);
      break;
    case ROLE_COORDINATOR:
    default:
      coordinator_step(c);
      break;
    }
  }
  g_clear_pointer(&c->client, http_client_free);
  return NULL;
}

/* ---- the server ---------------------------------------------------------- */

/* A port that was free a moment ago. */
static guint16 pick_port(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  g_assert_cmpint(fd, >=, 0);
  struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = 0};
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  g_assert_cmpint(bind(fd, (struct sockaddr *)&address, sizeof address), ==, 0);
  socklen_t length = sizeof address;
  g_assert_cmpint(getsockname(fd, (struct sockaddr *)&address, &length), ==, 0);
  close(fd);
  return ntohs(address.sin_port);
}

/* Starts the server on the load's port, retrying while the port is still held by
 * the server that just stopped (or, briefly, by anyone else). */
static HttpServer *start_server(Load *load) {
  g_autofree char *port = g_strdup_printf("%u", load->port);
  const char *const extra[] = {"--port", port, NULL};
  for (int attempt = 0;; attempt++) {
    g_autoptr(GError) error = NULL;
    HttpServer *server = http_server_start(load->store->db_path, extra, &error);
    if (server != NULL) {
      g_assert_cmpuint(server->port, ==, load->port);
      return server;
    }
    if (attempt == 100)
      g_error("the server does not start on port %u: %s", load->port, error->message);
    g_usleep(50 * 1000);
  }
}

static void stop_server(HttpServer *server) {
  int status = http_server_stop(server);
  g_assert_true(WIFEXITED(status));
  g_assert_cmpint(WEXITSTATUS(status), ==, 0);
}

/* Before the clients: proposals to decide, and an employee per organisation client. */
static void prepare(Load *load) {
  g_autoptr(HttpClient) client = dur_connect(load->port);
  g_assert_nonnull(client);
  dur_run_round(client, load->store->coordinator);
  for (guint i = ROLE_ORGANISATION; i < CLIENTS; i += 4) {
    g_autofree char *id = g_strdup_printf("lo-e-%u", i);
    g_autofree char *name = g_strdup_printf("Last %u", i);
    dur_create_employee(client, load->store->organisation, id, name);
    dur_ledger_add(load->ledger, DUR_WRITE_AVAILABILITY, id, "2020-10-05/morning",
                   DUR_OUTCOME_ACKED, 1);
  }
}

/* Waits until the clients have had `fraction` of their requests answered or that fraction
 * of the time has passed, whichever comes first. */
static void wait_for_progress(Load *load, gint64 start, double fraction) {
  gint target = (gint)(fraction * CLIENTS * REQUESTS_PER_CLIENT);
  gint64 until = start + (gint64)(fraction * (double)(load->deadline - start));
  while (g_atomic_int_get(&load->answered) < target &&
         g_get_monotonic_time() < until + (gint64)g_atomic_int_get(&load->downtime_ms) * 1000)
    g_usleep(5 * 1000);
}

static gint compare_strings(gconstpointer a, gconstpointer b, gpointer data) {
  (void)data;
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void report(Load *load, Client *clients, guint restarts, guint checked) {
  guint statuses[MAX_STATUS] = {0};
  guint restart_failures = 0, server_errors = 0, total = 0;
  for (guint i = 0; i < CLIENTS; i++) {
    for (guint s = 0; s < MAX_STATUS; s++)
      statuses[s] += clients[i].statuses[s];
    restart_failures += clients[i].restart_failures;
    server_errors += clients[i].server_errors;
  }
  GString *by_status = g_string_new(NULL);
  for (guint s = 1; s < MAX_STATUS; s++) {
    total += statuses[s];
    if (statuses[s] > 0)
      g_string_append_printf(by_status, " %u: %u", s, statuses[s]);
  }
  g_test_message("%u clients, %u restarts: %u requests answered (%s), %u connections lost, "
                 "%u 5xx; %u failures across a restart, %u elsewhere; %u acknowledged writes "
                 "checked",
                 CLIENTS, restarts, total, by_status->str, statuses[0], server_errors,
                 restart_failures, load->errors->len, checked);
  g_string_free(by_status, TRUE);
  g_autoptr(GHashTable) refusals = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < CLIENTS; i++) {
    GHashTableIter iter;
    gpointer code, count;
    g_hash_table_iter_init(&iter, clients[i].refusals);
    while (g_hash_table_iter_next(&iter, &code, &count)) {
      guint sum = GPOINTER_TO_UINT(g_hash_table_lookup(refusals, code)) + GPOINTER_TO_UINT(count);
      g_hash_table_insert(refusals, code, GUINT_TO_POINTER(sum));
    }
  }
  guint n_codes = 0;
  g_autofree gpointer *codes = g_hash_table_get_keys_as_array(refusals, &n_codes);
  g_qsort_with_data(codes, (gint)n_codes, sizeof(gpointer), compare_strings, NULL);
  GString *by_code = g_string_new(NULL);
  for (guint i = 0; i < n_codes; i++)
    g_string_append_printf(by_code, " %s: %u", (const char *)codes[i],
                           GPOINTER_TO_UINT(g_hash_table_lookup(refusals, codes[i])));
  g_test_message("decisions refused with 409 by reason:%s", by_code->str);
  g_string_free(by_code, TRUE);
  static const char *const names[] = {"requests", "availability", "approvals", "rejections",
                                      "rounds"};
  G_STATIC_ASSERT(G_N_ELEMENTS(names) == DUR_N_WRITE_KINDS);
  for (int k = 0; k < DUR_N_WRITE_KINDS; k++)
    g_test_message("%s: %u acknowledged, %u refused, %u without an answer", names[k],
                   dur_ledger_count(load->ledger, (DurWriteKind)k, DUR_OUTCOME_ACKED),
                   dur_ledger_count(load->ledger, (DurWriteKind)k, DUR_OUTCOME_REFUSED),
                   dur_ledger_count(load->ledger, (DurWriteKind)k, DUR_OUTCOME_UNKNOWN));
}

static void test_load_restarts(void) {
  g_autoptr(DurStore) store = dur_store_new();
  g_autoptr(DurLedger) ledger = dur_ledger_new();
  Load load = {.store = store,
               .ledger = ledger,
               .port = pick_port(),
               .errors = g_ptr_array_new_with_free_func(g_free)};
  g_mutex_init(&load.lock);
  HttpServer *server = start_server(&load);
  prepare(&load);

  g_autoptr(GRand) rand = g_rand_new_with_seed(SEED);
  static Client clients[CLIENTS];
  GThread *threads[CLIENTS];
  gint64 start = g_get_monotonic_time();
  load.deadline = start + (gint64)DEADLINE_SECONDS * G_USEC_PER_SEC;
  for (guint i = 0; i < CLIENTS; i++) {
    static const Role roles[] = {ROLE_SCHOOL, ROLE_ORGANISATION, ROLE_COORDINATOR,
                                 ROLE_COORDINATOR};
    clients[i] = (Client){.load = &load,
                          .index = i,
                          .role = roles[i % 4],
                          .rand = g_rand_new_with_seed(g_rand_int(rand)),
                          .availability = g_strdup("2020-10-05/morning"),
                          .proposals = g_ptr_array_new_with_free_func(g_free),
                          .refusals = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
    threads[i] = g_thread_new("client", client_main, &clients[i]);
  }
  for (guint r = 1; r <= RESTARTS; r++) {
    wait_for_progress(&load, start, (double)r / (RESTARTS + 1));
    g_atomic_int_inc(&load.generation);
    gint64 down = g_get_monotonic_time();
    stop_server(server);
    server = start_server(&load);
    g_atomic_int_add(&load.downtime_ms, (gint)((g_get_monotonic_time() - down) / 1000));
    g_atomic_int_inc(&load.generation);
  }
  for (guint i = 0; i < CLIENTS; i++) {
    g_thread_join(threads[i]);
    g_rand_free(clients[i].rand);
    g_ptr_array_unref(clients[i].proposals);
    g_free(clients[i].last_request);
    g_free(clients[i].last_request_value);
    g_free(clients[i].availability);
  }

  /* Every acknowledged request and availability served by the last server, then
   * everything in the file once it has stopped. */
  guint failures = 0;
  {
    g_autoptr(HttpClient) client = dur_connect(load.port);
    g_assert_nonnull(client);
    dur_ledger_verify_api(ledger, client, store->school, store->organisation, 1, &failures);
  }
  stop_server(server);
  guint checked = dur_ledger_verify_sql(ledger, store->db_path, &failures);
  g_assert_cmpuint(failures, ==, 0);
  dur_assert_integrity(store->db_path);
  dur_assert_no_double_booking(store->db_path);
  guint approvals = dur_assert_approvals_sound(store->db_path);
  report(&load, clients, RESTARTS, checked);
  for (guint i = 0; i < CLIENTS; i++)
    g_hash_table_unref(clients[i].refusals);
  g_test_message("%u approvals sound", approvals);
  dur_assert_no_errors(load.errors);
  g_assert_cmpuint(dur_ledger_count(ledger, DUR_WRITE_APPROVE, DUR_OUTCOME_ACKED), >, 0);
  g_assert_cmpuint(dur_ledger_count(ledger, DUR_WRITE_REQUEST, DUR_OUTCOME_ACKED), >, 0);
  g_ptr_array_unref(load.errors);
  g_mutex_clear(&load.lock);
}

int main(int argc, char **argv) {
  g_test_init(&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func("/durability/load/restarts", test_load_restarts);
  return g_test_run();
}
