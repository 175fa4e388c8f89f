/* backup.c: a consistent copy of a live store through SQLite's online backup API.
 *
 * The copy is one sqlite3_backup_step() over every page, which runs inside one read
 * transaction on the source: the copy is the database as it was at one moment.  In
 * WAL mode writers (a running `handen serve`) go on meanwhile and are neither blocked
 * nor seen, and the copy never restarts because of them, as a page-by-page copy would
 * on every write.  The price is that checkpoints cannot pass that moment until the
 * copy is done, which is harmless for a file of this size.
 *
 * Invariants: the target path only ever holds a complete, checked copy: the pages are
 * written to a temporary file beside it (mode 0600: the store holds personal data and
 * token hashes), checked with PRAGMA integrity_check, synced, and only then renamed
 * into place.  On any failure the temporary files are removed and the target is left
 * as it was; an existing target is replaced only when the caller says so.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "store-private.h"

/* g_autoptr(sqlite3_stmt) finalises on every path. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC(sqlite3_stmt, sqlite3_finalize)

/* How long the source connection waits for a lock inside each try, how often a busy
 * or locked source is tried again before the backup gives up, and the pause in
 * between (milliseconds).  In WAL mode a reader waits only for a checkpoint or a
 * recovery, so these are rarely used at all. */
#define BACKUP_BUSY_TIMEOUT_MS 5000
#define BACKUP_BUSY_TRIES 20
#define BACKUP_BUSY_PAUSE_MS 50

/* Removes the temporary copy and whatever SQLite left beside it. */
static void remove_temporary(const char *temporary) {
  static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
  for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
    g_autofree char *path = g_strconcat(temporary, suffixes[i], NULL);
    (void)g_unlink(path);
  }
}

/* Whether `target` names the store's own file (a replacement would destroy it). */
static gboolean is_store_file(const char *path, const struct stat *target) {
  struct stat source;
  return g_stat(path, &source) == 0 && source.st_dev == target->st_dev &&
         source.st_ino == target->st_ino;
}

/* Opens the store at `path` for the copy: an existing file, not created, not migrated
 * and not set up (a backup copies the file as it is and takes no write lock, so it
 * runs beside a writer however long that writer's transaction lasts). */
static sqlite3 *open_source(const char *path, GError **error) {
  sqlite3 *db = NULL;
  int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_busy_timeout(db, BACKUP_BUSY_TIMEOUT_MS);
  if (rc != SQLITE_OK) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot open the database: %s", path,
                db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close(db);
    return NULL;
  }
  return db;
}

/* Copies every page of the store `source` (at `path`) into the open, empty database
 * `copy`. */
static gboolean copy_pages(sqlite3 *source, const char *path, sqlite3 *copy, const char *target,
                           GError **error) {
  sqlite3_backup *backup = sqlite3_backup_init(copy, "main", source, "main");
  if (backup == NULL) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot start the backup: %s", target,
                sqlite3_errmsg(copy));
    return FALSE;
  }
  int rc = SQLITE_OK;
  for (int tries = 0; tries < BACKUP_BUSY_TRIES; tries++) {
    rc = sqlite3_backup_step(backup, -1);
    if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
      break;
    sqlite3_sleep(BACKUP_BUSY_PAUSE_MS);
  }
  /* finish releases the source's read transaction on every path; its result repeats
   * the step's error, or reports one of its own after a DONE. */
  int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE || finish != SQLITE_OK) {
    int failure = rc != SQLITE_DONE ? rc : finish;
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot copy %s: %s", target, path,
                sqlite3_errstr(failure));
    return FALSE;
  }
  return TRUE;
}

/* Runs PRAGMA integrity_check on the copy; its first row is "ok" or the first fault. */
static gboolean check_copy(sqlite3 *copy, const char *target, GError **error) {
  g_autoptr(sqlite3_stmt) stmt = NULL;
  if (sqlite3_prepare_v2(copy, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step(stmt) != SQLITE_ROW) {
    store_sqlite_io_error(error, copy, target, "cannot check the copy");
    return FALSE;
  }
  const char *verdict = (const char *)sqlite3_column_text(stmt, 0);
  if (g_strcmp0(verdict, "ok") != 0) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: the copy is damaged: %s", target,
                verdict != NULL ? verdict : "no verdict");
    return FALSE;
  }
  return TRUE;
}

/* Copies the store at `path` into the empty file `temporary`, checks the copy and
 * closes both. */
static gboolean write_copy(const char *path, const char *temporary, const char *target,
                           GError **error) {
  sqlite3 *source = open_source(path, error);
  if (source == NULL)
    return FALSE;
  sqlite3 *copy = NULL;
  int rc = sqlite3_open_v2(
      temporary, &copy, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);
  gboolean ok = rc == SQLITE_OK;
  if (!ok)
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot create the copy: %s", target,
                copy != NULL ? sqlite3_errmsg(copy) : sqlite3_errstr(rc));
  /* synchronous = FULL on the copy: its pages are on disk when the copy commits,
   * before the rename makes it the target. */
  if (ok && sqlite3_exec(copy, "PRAGMA synchronous = FULL", NULL, NULL, NULL) != SQLITE_OK) {
    store_sqlite_io_error(error, copy, target, "cannot set up the copy");
    ok = FALSE;
  }
  ok = ok && copy_pages(source, path, copy, target, error) && check_copy(copy, target, error);
  if (copy != NULL && sqlite3_close(copy) != SQLITE_OK && ok) {
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot close the copy", target);
    ok = FALSE;
  }
  /* Every statement on the source was the backup's, finished above. */
  int rc_source = sqlite3_close(source);
  g_assert(rc_source == SQLITE_OK);
  return ok;
}

/* Makes the finished copy the target: rename over it when `overwrite`, else a rename
 * that fails when the target exists (RENAME_NOREPLACE, or a hard link where the file
 * system has no such rename), so two backups never overwrite each other. */
static gboolean put_in_place(const char *temporary, const char *target, gboolean overwrite,
                             GError **error) {
  int rc = 0;
  if (overwrite) {
    rc = rename(temporary, target);
  } else {
    rc = renameat2(AT_FDCWD, temporary, AT_FDCWD, target, RENAME_NOREPLACE);
    if (rc != 0 && (errno == EINVAL || errno == ENOSYS)) {
      rc = link(temporary, target);
      if (rc == 0)
        (void)g_unlink(temporary);
    }
  }
  if (rc != 0) {
    int saved = errno;
    g_set_error(error, MODEL_ERROR, saved == EEXIST ? MODEL_ERROR_CONFLICT : MODEL_ERROR_IO,
                "%s: %s", target, saved == EEXIST ? "already exists" : g_strerror(saved));
    return FALSE;
  }
  /* Sync the folder, so that the rename itself survives a crash.  Some file systems
   * refuse fsync on a folder (EINVAL); the copy is in place all the same. */
  g_autofree char *folder = g_path_get_dirname(target);
  int fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    if (fsync(fd) != 0 && errno != EINVAL) {
      int saved = errno;
      close(fd);
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot sync the folder: %s", target,
                  g_strerror(saved));
      return FALSE;
    }
    close(fd);
  }
  return TRUE;
}

gboolean model_store_backup(const char *path, const char *target, gboolean overwrite,
                            GError **error) {
  g_return_val_if_fail(path != NULL, FALSE);
  g_return_val_if_fail(target != NULL && target[0] != '\0', FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  /* A PostgreSQL store is the server's to back up: pg_dump takes one consistent
   * snapshot of everything (schema, functions, identities included) while the instances
   * keep serving, pg_restore puts it back on any server, and streaming replication or
   * archiving gives point-in-time recovery.  A copy of handen's own making would be a
   * weaker pg_dump that no operator's tooling knows how to restore. */
  if (model_store_is_postgresql(path)) {
    g_autofree char *shown = store_target_display(path);
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_INVALID,
                "%s: a PostgreSQL store is backed up with PostgreSQL's own tools, not by handen:"
                " run pg_dump --format=custom --file=%s with the same connection settings (one"
                " consistent snapshot, taken while handen serves; pg_restore puts it back), or"
                " rely on the server's replication and WAL archiving",
                shown, target);
    return FALSE;
  }

  struct stat existing;
  if (g_lstat(target, &existing) == 0) {
    if (!overwrite) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "%s: already exists", target);
      return FALSE;
    }
    if (S_ISDIR(existing.st_mode)) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: is a folder", target);
      return FALSE;
    }
    if (is_store_file(path, &existing)) {
      g_set_error(error, MODEL_ERROR, MODEL_ERROR_CONFLICT, "%s: is the store itself", target);
      return FALSE;
    }
  }

  g_autofree char *temporary = g_strconcat(target, ".tmp-XXXXXX", NULL);
  int fd = g_mkstemp_full(temporary, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0) {
    int saved = errno;
    g_set_error(error, MODEL_ERROR, MODEL_ERROR_IO, "%s: cannot create a file there: %s", target,
                g_strerror(saved));
    return FALSE;
  }
  close(fd);
  if (!write_copy(path, temporary, target, error) ||
      !put_in_place(temporary, target, overwrite, error)) {
    remove_temporary(temporary);
    return FALSE;
  }
  return TRUE;
}
