/* sample.h: what the store tests share besides the dataset builders of builder.h: a
 * sample dataset that uses every field, and a temporary folder per test for the
 * database file.
 */
#pragma once

#include "builder.h"
#include "store.h"

/* A dataset that uses every field and both kinds of slot rule, in an order that is
 * not sorted by id ("e-2" before "e-10"); asserts model_dataset_check() passes, which
 * also indexes it (transfer full).  Its objects: districts stad, haven (the one with an
 * outline), buiten;
 * schools 24EJ00, 07NU; organisations org-2, org-1; employees e-2 (two availability
 * rules, the first a pattern), e-10; requests r-1 (children, two slot rules), r-2
 * (staff, cancelled); assignments a-2 proposed, a-1 approved (e-2, 2020-04-14
 * morning), a-3 rejected, a-4 cancelled. */
ModelDataset *full_dataset(void);

/* A new temporary folder from `template` ("handen-store-XXXXXX") and the path of a
 * database file "handen.db" in it (both transfer full); asserts success. */
void sample_dir_new(const char *template, char **out_dir, char **out_path);
/* Deletes every file in `dir` (the database and its -wal and -shm files) and the
 * folder itself; asserts that each goes. */
void sample_dir_remove(const char *dir);

/* A store on a fresh file in its own temporary folder, the fixture most store tests
 * start from (g_test_add(path, SampleStore, data, sample_store_setup, test,
 * sample_store_teardown)). */
typedef struct {
  char *dir;
  char *path;
  ModelStore *store;
} SampleStore;

/* Creates the folder and opens an empty store in it; asserts success. */
void sample_store_setup(SampleStore *s, gconstpointer data);
/* Frees the store (which asserts that no statement is left) and removes the folder. */
void sample_store_teardown(SampleStore *s, gconstpointer data);
