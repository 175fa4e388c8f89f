/* services.c: what every handler shares: one store connection per thread (SQLite
 * connections are used by one thread at a time) and the matching rounds, each run in
 * its own worker thread.  Invariants: two running rounds never share a district (the
 * second is refused, 409), so two rounds never replace the same proposals; a round
 * works on one snapshot loaded in one read transaction and stores its proposals and
 * its status in one write transaction, so neither the engine nor a reader ever sees
 * a half-changed dataset; api_services_free() waits for every round and closes every
 * connection.  Request threads take their turn to write through one mutex, so under
 * load they queue in order instead of polling SQLite's write lock with sleeps; their
 * decisions go further: the waiting ones are taken together in one transaction with
 * one commit (group commit), each in its own savepoint, and each request is answered
 * only after the commit that made its decision durable.
 */
#include "handlers.h"

#include <string.h>

#include "round.h"
#include "store-outbox.h"
#include "store-tokens.h"

/* One thread's connections.  The thread is referenced so its GThread cannot be freed
 * and its address reused by another thread while the entry exists.  `auth` is a
 * second, plain SQLite connection (no memory map, SQLite's default page cache) for the
 * token lookup alone; opened on first use, and never for PostgreSQL (see
 * api_services_auth_store()). */
typedef struct {
  GThread *thread;
  ModelStore *store;
  ModelStore *auth;
} Connection;

/* One round in a worker thread. */
typedef struct {
  ApiServices *services;
  gint64 id;
  GStrv districts;       /* NULL: every district */
  EngineOptions options; /* what the round was asked for; its districts are `districts` */
  GThread *thread;
  gboolean finished; /* set by the worker as its last act; the thread is joined later */
} Round;

struct ApiServices {
  char *db_path;
  GMutex lock;            /* guards connections and rounds */
  GMutex write_lock;      /* held by a request thread around a write transaction */
  GCond round_finished;   /* signalled when a worker sets `finished` */
  GPtrArray *connections; /* Connection* */
  GPtrArray *rounds;      /* Round*, running or finished but not yet joined */
  gboolean today_fixed;   /* `today` set by api_services_set_today() */
  ModelDate today;
  guint stale_after_days;   /* rounds leave out availability unconfirmed this long; 0: none */
  char *coordinator_mail;   /* set on every connection; NULL: none */
  char *public_url;         /* without a trailing "/"; NULL: not known */
  guint mail_limit;         /* per recipient per hour; 0: no delivery worker */
  GHashTable *token_uses;   /* token id -> last use, not yet written (gint64* both); lock */
  gint64 oldest_use;        /* when the first of them was noted */
  GHashTable *feed_fetches; /* subscription id -> GArray of gint64 fetch times; lock */
  GMutex decide_lock;       /* guards the three below */
  GCond decided;            /* broadcast when a batch of decisions is done */
  GPtrArray *decide_queue;  /* Decision* waiting for a batch */
  gint stopping;            /* atomic: set by api_services_free(); running rounds cut
                               their what-ifs short (EngineOptions.stop) */
  gboolean deciding;        /* a thread is taking a batch */
  ModelStore *decider;      /* the batches' own connection, opened by the first; used
                               only by the thread taking a batch (deciding) */
};

/* A decision waiting in api_services_decide(). */
typedef struct {
  ModelDecisionJob *job;
  ApiDecided *decided; /* filled for a job taken */
  gboolean done;
  GError *batch_error; /* the batch failed as a whole */
} Decision;

/* The most decisions in one transaction: bounds how long the first of them waits for
 * the commit. */
#define MAX_BATCH 256

gint64 api_services_now(void) {
  return g_get_real_time() / G_USEC_PER_SEC;
}

static void connection_free(Connection *connection) {
  model_store_free(connection->auth);
  model_store_free(connection->store);
  g_thread_unref(connection->thread);
  g_free(connection);
}

static void round_free(Round *round) {
  g_strfreev(round->districts);
  g_free(round);
}

ApiServices *api_services_new(const char *db_path, GError **error) {
  g_return_val_if_fail(db_path != NULL, NULL);
  g_autoptr(ModelStore) store = model_store_open(db_path, error);
  /* Nothing runs yet: a round still "running" was left by a process that stopped. */
  if (store == NULL || !model_store_rounds_interrupt(store, api_services_now(), error))
    return NULL;
  ApiServices *services = g_new0(ApiServices, 1);
  services->db_path = g_strdup(db_path);
  g_mutex_init(&services->lock);
  g_mutex_init(&services->write_lock);
  g_cond_init(&services->round_finished);
  g_mutex_init(&services->decide_lock);
  g_cond_init(&services->decided);
  services->decide_queue = g_ptr_array_new();
  services->connections = g_ptr_array_new_with_free_func((GDestroyNotify)connection_free);
  services->rounds = g_ptr_array_new_with_free_func((GDestroyNotify)round_free);
  services->token_uses = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
  services->feed_fetches =
      g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)g_array_unref);
  return services;
}

void api_services_free(ApiServices *services) {
  if (services == NULL)
    return;
  /* A stopping server waits for its rounds' plans, not for their what-ifs. */
  g_atomic_int_set(&services->stopping, 1);
  api_services_wait_rounds(services);
  api_services_flush_token_uses(services);
  g_hash_table_unref(services->token_uses);
  g_hash_table_unref(services->feed_fetches);
  g_ptr_array_unref(services->rounds);
  g_ptr_array_unref(services->connections);
  g_cond_clear(&services->round_finished);
  g_ptr_array_unref(services->decide_queue);
  model_store_free(services->decider);
  g_cond_clear(&services->decided);
  g_mutex_clear(&services->decide_lock);
  g_mutex_clear(&services->lock);
  g_mutex_clear(&services->write_lock);
  g_free(services->db_path);
  g_free(services->coordinator_mail);
  g_free(services->public_url);
  g_free(services);
}

/* A new connection to the store, set up as every request thread's is. */
static ModelStore *open_connection(ApiServices *services, GError **error) {
  ModelStore *store = model_store_open(services->db_path, error);
  if (store == NULL)
    return NULL;
  if (!model_store_tune_for_reads(store, error)) {
    model_store_free(store);
    return NULL;
  }
  model_store_set_coordinator_mail(store, services->coordinator_mail);
  return store;
}

/* The calling thread's entry, opened with its main connection on first use. */
static Connection *thread_connection(ApiServices *services, GError **error) {
  GThread *self = g_thread_self();
  g_mutex_lock(&services->lock);
  for (guint i = 0; i < services->connections->len; i++) {
    Connection *connection = g_ptr_array_index(services->connections, i);
    if (connection->thread == self) {
      g_mutex_unlock(&services->lock);
      return connection;
    }
  }
  g_mutex_unlock(&services->lock);
  /* Opened outside the lock: opening may wait for a migration in another process. */
  ModelStore *store = open_connection(services, error);
  if (store == NULL)
    return NULL;
  Connection *connection = g_new0(Connection, 1);
  connection->thread = g_thread_ref(self);
  connection->store = store;
  g_mutex_lock(&services->lock);
  g_ptr_array_add(services->connections, connection);
  g_mutex_unlock(&services->lock);
  return connection;
}

ModelStore *api_services_store(ApiServices *services, GError **error) {
  g_return_val_if_fail(services != NULL, NULL);
  Connection *connection = thread_connection(services, error);
  return connection != NULL ? connection->store : NULL;
}

/* Only the owning thread reads or sets its entry's `auth`, so no lock is needed. */
ModelStore *api_services_auth_store(ApiServices *services, GError **error) {
  g_return_val_if_fail(services != NULL, NULL);
  Connection *connection = thread_connection(services, error);
  if (connection == NULL)
    return NULL;
  if (model_store_is_postgresql(services->db_path))
    return connection->store;
  if (connection->auth == NULL)
    connection->auth = model_store_open(services->db_path, error);
  return connection->auth;
}

/* The connection every batch of decisions runs on, whichever thread takes it: its
 * pages stay cached from one batch to the next, since only another writer's commit
 * makes SQLite drop them.  Called by the thread taking a batch, without decide_lock. */
static ModelStore *decider_store(ApiServices *services, GError **error) {
  if (services->decider == NULL)
    services->decider = open_connection(services, error);
  return services->decider;
}

/* What a batch's decided assignments read back to (ApiDecided.shared). */
typedef struct {
  ModelDataset *dataset;
  GHashTable *rounds;
  GHashTable *reasons;
} DecidedRead;

static void decided_read_clear(gpointer data) {
  DecidedRead *read = data;
  g_clear_pointer(&read->dataset, model_dataset_free);
  g_clear_pointer(&read->rounds, g_hash_table_unref);
  g_clear_pointer(&read->reasons, g_hash_table_unref);
}

void api_decided_clear(ApiDecided *decided) {
  if (decided->shared != NULL)
    g_atomic_rc_box_release_full(decided->shared, decided_read_clear);
  *decided = (ApiDecided){NULL, NULL, NULL, NULL};
}

/* Reads back the assignments of `jobs` that were taken, in one query, or returns NULL
 * when there are none or a read fails (the handlers then read theirs themselves). */
static DecidedRead *read_decided(ModelStore *store, const ModelDecisionJob *jobs, guint n) {
  g_autofree const char **ids = g_new(const char *, n + 1);
  guint taken = 0;
  for (guint i = 0; i < n; i++)
    if (jobs[i].ok)
      ids[taken++] = jobs[i].id;
  ids[taken] = NULL;
  if (taken == 0)
    return NULL;
  ModelQuery query;
  model_query_init(&query);
  query.ids = ids;
  DecidedRead *read = g_atomic_rc_box_new0(DecidedRead);
  read->dataset = model_store_query_assignments(store, &query, &read->rounds, NULL);
  if (read->dataset != NULL)
    read->reasons = model_store_assignment_reasons(store, read->dataset->assignments, NULL);
  if (read->reasons == NULL) {
    g_atomic_rc_box_release_full(read, decided_read_clear);
    return NULL;
  }
  return read;
}

/* Takes the queued decisions (at most MAX_BATCH, oldest first) in one batch on the
 * batches' connection, then reads back those taken, all in one query.  Called with
 * decide_lock held and `deciding` set; returns with it held, the batch's decisions
 * marked done. */
static void take_batch(ApiServices *services) {
  guint n = MIN(services->decide_queue->len, MAX_BATCH);
  g_autofree Decision **batch = g_new(Decision *, n + 1);
  memcpy(batch, services->decide_queue->pdata, sizeof(Decision *) * n);
  g_ptr_array_remove_range(services->decide_queue, 0, n);
  g_mutex_unlock(&services->decide_lock);
  g_autofree ModelDecisionJob *jobs = g_new(ModelDecisionJob, n + 1);
  for (guint i = 0; i < n; i++)
    jobs[i] = *batch[i]->job;
  g_autoptr(GError) error = NULL;
  ModelStore *store = decider_store(services, &error);
  api_services_lock_writes(services);
  gboolean ok = store != NULL && model_store_decide_batch(store, jobs, n, &error);
  api_services_unlock_writes(services);
  DecidedRead *read = ok ? read_decided(store, jobs, n) : NULL;
  g_mutex_lock(&services->decide_lock);
  for (guint i = 0; i < n; i++) {
    *batch[i]->job = jobs[i];
    if (read != NULL && jobs[i].ok)
      *batch[i]->decided =
          (ApiDecided){read->dataset, read->rounds, read->reasons, g_atomic_rc_box_acquire(read)};
    if (!ok) {
      batch[i]->job->ok = FALSE;
      batch[i]->batch_error = g_error_copy(error);
    }
    batch[i]->done = TRUE;
  }
  if (read != NULL)
    g_atomic_rc_box_release_full(read, decided_read_clear);
}

gboolean api_services_decide(ApiServices *services, ModelDecisionJob *job, ApiDecided *out_decided,
                             GError **error) {
  g_return_val_if_fail(services != NULL && job != NULL && out_decided != NULL, FALSE);
  *out_decided = (ApiDecided){NULL, NULL, NULL, NULL};
  Decision self = {job, out_decided, FALSE, NULL};
  g_mutex_lock(&services->decide_lock);
  g_ptr_array_add(services->decide_queue, &self);
  while (!self.done) {
    if (services->deciding) {
      g_cond_wait(&services->decided, &services->decide_lock);
      continue;
    }
    services->deciding = TRUE;
    take_batch(services);
    services->deciding = FALSE;
    g_cond_broadcast(&services->decided);
  }
  g_mutex_unlock(&services->decide_lock);
  if (self.batch_error != NULL) {
    g_propagate_error(error, self.batch_error);
    return FALSE;
  }
  return TRUE;
}

void api_services_lock_writes(ApiServices *services) {
  g_mutex_lock(&services->write_lock);
}

void api_services_unlock_writes(ApiServices *services) {
  g_mutex_unlock(&services->write_lock);
}

/* Closes the calling thread's connection, if any (a round worker, before it ends). */
static void release_store(ApiServices *services) {
  GThread *self = g_thread_self();
  g_mutex_lock(&services->lock);
  for (guint i = 0; i < services->connections->len; i++)
    if (((Connection *)g_ptr_array_index(services->connections, i))->thread == self) {
      g_ptr_array_remove_index_fast(services->connections, i);
      break;
    }
  g_mutex_unlock(&services->lock);
}

/* ---- rounds ------------------------------------------------------------- */

static gpointer round_worker(gpointer data) {
  Round *round = data;
  ApiServices *services = round->services;
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_services_store(services, &error);
  EngineOptions options = round->options;
  options.districts = (const char *const *)round->districts;
  options.confirmed_since =
      api_round_confirmed_since(api_services_today(services), services->stale_after_days);
  options.stop = &services->stopping;
  /* A failed round is marked failed with its reason by api_round_run(). */
  if (store == NULL || !api_round_run(store, round->id, &options, api_services_now(), NULL, &error))
    g_message("round %" G_GINT64_FORMAT " failed: %s", round->id, error->message);
  release_store(services);
  g_mutex_lock(&services->lock);
  round->finished = TRUE;
  g_cond_broadcast(&services->round_finished);
  g_mutex_unlock(&services->lock);
  return NULL;
}

/* Joins and drops finished rounds.  Called with the lock held; a finished worker
 * takes the lock no more, so joining cannot deadlock. */
static void reap_rounds(ApiServices *services) {
  for (guint i = 0; i < services->rounds->len;) {
    Round *round = g_ptr_array_index(services->rounds, i);
    if (!round->finished) {
      i++;
      continue;
    }
    g_thread_join(round->thread);
    g_ptr_array_remove_index(services->rounds, i);
  }
}

gboolean api_services_round_start(ApiServices *services, const EngineOptions *asked,
                                  const char *actor, gint64 *out_id, GError **error) {
  g_return_val_if_fail(services != NULL && asked != NULL && out_id != NULL, FALSE);
  ModelStore *store = api_services_store(services, error);
  if (store == NULL)
    return FALSE;
  /* The store refuses a round that overlaps a running one (in this process or
   * another); the lock keeps the list of workers in step with the rounds table. */
  g_mutex_lock(&services->lock);
  reap_rounds(services);
  gint64 id = 0;
  GError *local = NULL;
  if (!api_round_begin(store, asked, actor, api_services_now(), &id, &local)) {
    g_mutex_unlock(&services->lock);
    if (g_error_matches(local, MODEL_ERROR, MODEL_ERROR_CONFLICT)) {
      g_set_error_literal(error, API_ERROR, API_ERROR_CONFLICT, local->message);
      g_error_free(local);
    } else {
      g_propagate_error(error, local);
    }
    return FALSE;
  }
  Round *round = g_new0(Round, 1);
  round->services = services;
  round->id = id;
  round->districts = asked->districts != NULL ? g_strdupv((char **)asked->districts) : NULL;
  round->options = *asked;
  round->options.districts = NULL;
  g_autofree char *name = g_strdup_printf("round-%" G_GINT64_FORMAT, id);
  round->thread = g_thread_new(name, round_worker, round);
  g_ptr_array_add(services->rounds, round);
  g_mutex_unlock(&services->lock);
  *out_id = id;
  return TRUE;
}

void api_services_wait_rounds(ApiServices *services) {
  g_return_if_fail(services != NULL);
  g_mutex_lock(&services->lock);
  for (;;) {
    gboolean running = FALSE;
    for (guint i = 0; i < services->rounds->len; i++)
      running = running || !((Round *)g_ptr_array_index(services->rounds, i))->finished;
    if (!running)
      break;
    g_cond_wait(&services->round_finished, &services->lock);
  }
  reap_rounds(services);
  g_mutex_unlock(&services->lock);
}

void api_services_set_today(ApiServices *services, ModelDate today) {
  g_return_if_fail(services != NULL);
  services->today = today;
  services->today_fixed = TRUE;
}

void api_services_set_stale_after_days(ApiServices *services, guint days) {
  g_return_if_fail(services != NULL);
  services->stale_after_days = days;
}

guint api_services_stale_after_days(const ApiServices *services) {
  g_return_val_if_fail(services != NULL, 0);
  return services->stale_after_days;
}

void api_services_set_public_url(ApiServices *services, const char *public_url) {
  g_return_if_fail(services != NULL);
  g_free(services->public_url);
  services->public_url = NULL;
  if (public_url != NULL) {
    gsize n = strlen(public_url);
    while (n > 0 && public_url[n - 1] == '/')
      n--;
    services->public_url = g_strndup(public_url, n);
  }
}

const char *api_services_public_url(const ApiServices *services) {
  g_return_val_if_fail(services != NULL, NULL);
  return services->public_url;
}

void api_services_set_mail(ApiServices *services, const char *coordinator_mail,
                           guint limit_per_hour) {
  g_return_if_fail(services != NULL);
  g_free(services->coordinator_mail);
  services->coordinator_mail = g_strdup(coordinator_mail);
  services->mail_limit = limit_per_hour;
}

guint api_services_mail_limit(const ApiServices *services) {
  g_return_val_if_fail(services != NULL, 0);
  return services->mail_limit;
}

/* ---- token uses ------------------------------------------------------------ */

#define TOKEN_USE_GRAIN 60     /* seconds: a use this close to the stored one is not noted */
#define TOKEN_USE_MAX_WAIT 600 /* seconds a noted use waits for a write at most */

void api_services_note_token_use(ApiServices *services, gint64 id, gint64 stored, gint64 now) {
  g_return_if_fail(services != NULL);
  if (stored >= 0 && now - stored < TOKEN_USE_GRAIN)
    return;
  g_mutex_lock(&services->lock);
  if (g_hash_table_size(services->token_uses) == 0)
    services->oldest_use = now;
  gint64 *key = g_new(gint64, 1), *value = g_new(gint64, 1);
  *key = id;
  *value = now;
  g_hash_table_replace(services->token_uses, key, value);
  gboolean due = now - services->oldest_use >= TOKEN_USE_MAX_WAIT;
  g_mutex_unlock(&services->lock);
  if (due)
    api_services_flush_token_uses(services);
}

void api_services_flush_token_uses(ApiServices *services) {
  g_return_if_fail(services != NULL);
  g_mutex_lock(&services->lock);
  guint n = g_hash_table_size(services->token_uses);
  g_autofree gint64 *ids = g_new(gint64, MAX(n, 1)), *times = g_new(gint64, MAX(n, 1));
  GHashTableIter iter;
  gpointer key, value;
  g_hash_table_iter_init(&iter, services->token_uses);
  for (guint i = 0; g_hash_table_iter_next(&iter, &key, &value); i++) {
    ids[i] = *(gint64 *)key;
    times[i] = *(gint64 *)value;
  }
  g_hash_table_remove_all(services->token_uses);
  g_mutex_unlock(&services->lock);
  if (n == 0)
    return;
  g_autoptr(GError) error = NULL;
  ModelStore *store = api_services_store(services, &error);
  api_services_lock_writes(services);
  if (store == NULL || !model_store_tokens_touch(store, ids, times, n, &error))
    g_message("cannot note when tokens were last used: %s", error->message);
  api_services_unlock_writes(services);
}

gboolean api_services_feed_allowed(ApiServices *services, gint64 id, gint64 now) {
  g_return_val_if_fail(services != NULL, FALSE);
  g_mutex_lock(&services->lock);
  GArray *times = g_hash_table_lookup(services->feed_fetches, &id);
  if (times == NULL) {
    gint64 *key = g_new(gint64, 1);
    *key = id;
    times = g_array_new(FALSE, FALSE, sizeof(gint64));
    g_hash_table_insert(services->feed_fetches, key, times);
  }
  /* Keep only the fetches of the last minute: at most the limit, so memory is bounded
   * per subscription. */
  guint keep = 0;
  for (guint i = 0; i < times->len; i++)
    if (now - g_array_index(times, gint64, i) < 60)
      g_array_index(times, gint64, keep++) = g_array_index(times, gint64, i);
  g_array_set_size(times, keep);
  gboolean allowed = times->len < API_FEED_FETCHES_PER_MINUTE;
  if (allowed)
    g_array_append_val(times, now);
  g_mutex_unlock(&services->lock);
  return allowed;
}

ModelDate api_services_today(const ApiServices *services) {
  g_return_val_if_fail(services != NULL, MODEL_DATE_NONE);
  if (services->today_fixed)
    return services->today;
  g_autoptr(GDateTime) now = g_date_time_new_now_local();
  return model_date_from_ymd(g_date_time_get_year(now), g_date_time_get_month(now),
                             g_date_time_get_day_of_month(now));
}
