/* builder.h: small datasets for the checker and greedy tests, built with the model API,
 * plus a seeded random dataset.  Entities are added by id; every dataset a builder
 * returns is indexed (model_dataset_index) and passes model_dataset_check.
 */
#pragma once

#include "match.h"
#include "model.h"

G_BEGIN_DECLS

/* Dates used throughout: ISO week 2020-W16 runs from Monday 13 to Sunday 19 April. */
#define TB_MON_13 (model_date_from_ymd(2020, 4, 13))
#define TB_TUE_14 (model_date_from_ymd(2020, 4, 14))
#define TB_WED_15 (model_date_from_ymd(2020, 4, 15))
#define TB_THU_16 (model_date_from_ymd(2020, 4, 16))
#define TB_FRI_17 (model_date_from_ymd(2020, 4, 17))
#define TB_MON_20 (model_date_from_ymd(2020, 4, 20))
#define TB_FRI_24 (model_date_from_ymd(2020, 4, 24))

/* A dataset with districts d-1 (52.37, 5.22) and d-2 (52.40, 5.22), neighbours of
 * each other, a third d-3 far away (53.20, 6.56), and organisation o-1. */
ModelDataset *tb_dataset_new(void);

void tb_add_district(ModelDataset *dataset, const char *id, double lat, double lon);
void tb_add_neighbours(ModelDataset *dataset, const char *a, const char *b);
void tb_add_school(ModelDataset *dataset, const char *id, const char *district, double lat,
                   double lon);
/* Active, quals vog + pm, 10 parts per week, 10 km, located at (lat, lon), available
 * on work days of weeks 16 and 17 in both parts (one pattern rule). */
void tb_add_employee(ModelDataset *dataset, const char *id, const char *district, double lat,
                     double lon);
/* Staff 1, open, normal priority, 10 km, no slot rules yet. */
void tb_add_request(ModelDataset *dataset, const char *id, const char *school);
void tb_add_assignment(ModelDataset *dataset, const char *id, const char *request,
                       const char *employee, ModelDate date, ModelPart part,
                       ModelAssignmentStatus status);

/* The entity with `id` (asserted to exist); valid until its array next grows. */
ModelEmployee *tb_employee(ModelDataset *dataset, const char *id);
ModelRequest *tb_request(ModelDataset *dataset, const char *id);

/* Replaces an employee's availability by one pattern. */
void tb_set_availability(ModelDataset *dataset, const char *employee, ModelDate from, ModelDate to,
                         guint8 weekdays, guint8 parts);
/* Appends one explicit slot to a request. */
void tb_add_request_slot(ModelDataset *dataset, const char *request, ModelDate date,
                         ModelPart part);
/* Appends a pattern to a request. */
void tb_add_request_pattern(ModelDataset *dataset, const char *request, ModelDate from,
                            ModelDate to, guint8 weekdays, guint8 parts);

/* Re-indexes and asserts that the dataset passes model_dataset_check. */
void tb_finish(ModelDataset *dataset);

/* A proposal by ids (travel and why left 0). */
EngineProposal tb_proposal(const ModelDataset *dataset, const char *request, const char *employee,
                           ModelDate date, ModelPart part);

/* Messages of a violation list joined by '\n' (transfer full), for exact comparison. */
char *tb_violations_text(const GPtrArray *violations);
/* Proposals as "request employee date part travel_m why" lines (transfer full). */
char *tb_proposals_text(const ModelDataset *dataset, const GArray *proposals);

/* A random city: a few districts, schools, employees and requests around Almere with
 * approved, rejected and cancelled assignments, drawn from `seed`. */
ModelDataset *tb_random_dataset(guint32 seed);

G_END_DECLS
