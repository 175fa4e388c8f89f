/* builder.h: small datasets for the matching tests, built in memory.  Every dataset
 * starts with three districts around Almere (d1 and d2 neighbours, d3 apart) and one
 * organisation; helpers append entities and return their index.  tb_finish() indexes
 * and checks the dataset, failing the test on any problem.
 */
#pragma once

#include "match.h"

/* Dates of April 2020: week 16 is 13-19 April, week 17 from 20 April. */
#define TB_MON 13
#define TB_TUE 14
#define TB_WED 15
#define TB_NEXT_MON 20

#define TB_LAT 52.37
#define TB_LON 5.21
#define TB_NO_LOCATION 1000.0 /* as lat: use the district centroid */

ModelDataset *tb_new(void);
guint tb_school(ModelDataset *ds, const char *id, const char *district, double lat, double lon);
guint tb_employee(ModelDataset *ds, const char *id, const char *district, double lat, double lon,
                  ModelQualSet quals, gint32 max_week, gint32 max_km);
/* Adds an available day part (April 2020) to employee `e`. */
void tb_available(ModelDataset *ds, guint e, int day, ModelPart part);
guint tb_request(ModelDataset *ds, const char *id, const char *school, gint32 staff,
                 ModelPriority priority, ModelQualSet required, ModelQualSet preferred,
                 gint32 max_km);
/* Adds a needed day part (April 2020) to request `r`. */
void tb_slot(ModelDataset *ds, guint r, int day, ModelPart part);
void tb_assignment(ModelDataset *ds, const char *request, const char *employee, int day,
                   ModelPart part, ModelAssignmentStatus status);
/* Indexes and checks; the test fails with the problems listed if any. */
void tb_finish(ModelDataset *ds);

ModelSlot tb_at(int day, ModelPart part);
const char *tb_employee_id(const ModelDataset *ds, guint e);
const char *tb_request_id(const ModelDataset *ds, guint r);
/* Runs a round with default options (continuity as given); never fails. */
EngineResult *tb_run(const ModelDataset *ds, gboolean continuity);
/* The unfilled entry of `request` at (day, part); fails the test when there is none. */
const EngineUnfilled *tb_find_unfilled(const ModelDataset *ds, const EngineResult *result,
                                       const char *request, int day, ModelPart part);
/* Runs a round with `options`; the test fails if the round does. */
EngineResult *tb_run_options(const ModelDataset *ds, const EngineOptions *options);
/* "r1/e2/2020-04-13/morning" lines of the proposals, joined by ' '. */
char *tb_proposals_string(const ModelDataset *ds, const EngineResult *result);

#define VOG MODEL_QUAL_BIT(MODEL_QUAL_VOG)
#define PM MODEL_QUAL_BIT(MODEL_QUAL_PM)
#define BSO MODEL_QUAL_BIT(MODEL_QUAL_BSO)
#define FIRST_AID MODEL_QUAL_BIT(MODEL_QUAL_FIRST_AID)
#define SPECIAL MODEL_QUAL_BIT(MODEL_QUAL_SPECIAL_NEEDS)
