/* sample.h: what the store tests share: building datasets in C (one appender per
 * entity, strings copied, so the dataset owns them), a sample dataset that uses every
 * field, lookups by id, and a temporary folder per test for the database file.
 * Pointers returned point into the dataset's arrays and are valid until the next
 * append to that array.
 */
#pragma once

#include "model.h"
#include "store.h"

/* A date from "YYYY-MM-DD"; asserts it is valid. */
ModelDate date_of(const char *text);
/* A rule of one day part, and a weekly pattern (MODEL_WEEKDAYS_* and MODEL_PARTS_*
 * bits). */
ModelSlotRule one_rule(const char *date, ModelPart part);
ModelSlotRule pattern_rule(const char *from, const char *to, guint8 weekdays, guint8 parts);

/* Appenders.  `neighbours` is NULL-terminated or NULL; NULL strings stay NULL. */
void add_district(ModelDataset *ds, const char *id, const char *name, double lat, double lon,
                  const char *const *neighbours);
void add_school(ModelDataset *ds, const char *id, ModelSchoolType type, const char *district,
                const char *postcode, gint32 pupils);
void add_organisation(ModelDataset *ds, const char *id, const char *lrk, const char *district);
ModelEmployee *add_employee(ModelDataset *ds, const char *id, const char *organisation,
                            const char *district);
ModelRequest *add_request(ModelDataset *ds, const char *id, const char *school);
/* Appends to any GArray of ModelAssignment; a decided status gets decided_by and
 * decided_at (2020-04-14T09:30:00Z). */
void append_assignment(GArray *assignments, const char *id, const char *request,
                       const char *employee, const char *date, ModelPart part,
                       ModelAssignmentStatus status, const char *reason);

/* A dataset that uses every field and both kinds of slot rule, in an order that is
 * not sorted by id ("e-2" before "e-10"); asserts model_dataset_check() passes, which
 * also indexes it (transfer full).  Its objects: districts stad, haven, buiten;
 * schools 24EJ00, 07NU; organisations org-2, org-1; employees e-2 (two availability
 * rules, the first a pattern), e-10; requests r-1 (children, two slot rules), r-2
 * (staff, cancelled); assignments a-2 proposed, a-1 approved (e-2, 2020-04-14
 * morning), a-3 rejected, a-4 cancelled. */
ModelDataset *full_dataset(void);

/* Lookups by id in an indexed dataset; assert the object exists. */
ModelDistrict *district(ModelDataset *ds, const char *id);
ModelSchool *school(ModelDataset *ds, const char *id);
ModelOrganisation *organisation(ModelDataset *ds, const char *id);
ModelEmployee *employee(ModelDataset *ds, const char *id);
ModelRequest *request(ModelDataset *ds, const char *id);
ModelAssignment *assignment(ModelDataset *ds, const char *id);

/* Frees *field and sets it to a copy of value. */
void replace_string(char **field, const char *value);

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
