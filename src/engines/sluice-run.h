#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-engines-types.h"
#include "sluice-gem-result.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_RUN (sluice_run_get_type ())
G_DECLARE_FINAL_TYPE (SluiceRun, sluice_run, SLUICE, RUN, GObject)

/* One run of a pipeline, whole or up to one gem: what was asked, and what
 * has come back so far. An engine fills it in on the main thread as gems
 * finish, so views bind to it while the run goes on: "state" and "fraction"
 * notify, "gem-state-changed" tells which gem moved, and the results list
 * grows by one SluiceGemResult per finished gem. */

#define SLUICE_RUN_DEFAULT_SAMPLE_LIMIT 1000

/* @until_gem: (nullable) run only what this gem needs, and it */
SluiceRun      *sluice_run_new               (SluiceProject   *project,
                                              SluicePipeline  *pipeline,
                                              const char      *until_gem,
                                              guint            sample_limit);

SluiceProject  *sluice_run_get_project       (SluiceRun       *self);
SluicePipeline *sluice_run_get_pipeline      (SluiceRun       *self);
const char     *sluice_run_get_until_gem     (SluiceRun       *self);
guint           sluice_run_get_sample_limit  (SluiceRun       *self);

SluiceRunState  sluice_run_get_state         (SluiceRun       *self);
/* 0..1 */
double          sluice_run_get_fraction      (SluiceRun       *self);
/* (nullable): what the engine is doing now, for the status line
 * ("Starting cluster “etl” (PENDING)…"); "message" notifies. */
const char     *sluice_run_get_message       (SluiceRun       *self);
/* (transfer none): SluiceGemResult in the order the gems finished */
GListModel     *sluice_run_get_results       (SluiceRun       *self);
/* (transfer none) (nullable) */
SluiceGemResult *sluice_run_find_result      (SluiceRun       *self,
                                              const char      *gem_id);
SluiceGemState  sluice_run_get_gem_state     (SluiceRun       *self,
                                              const char      *gem_id);
/* (transfer none): the gems this run covers, in the order they run */
const char * const *sluice_run_get_gems      (SluiceRun       *self);
/* (transfer none): SluiceDiagnostic that kept the run from starting */
GListModel     *sluice_run_get_problems      (SluiceRun       *self);

/* The engine's side, on the main thread. */
void            sluice_run_begin             (SluiceRun       *self,
                                              const char * const *gems);
void            sluice_run_set_gem_state     (SluiceRun       *self,
                                              const char      *gem_id,
                                              SluiceGemState   state);
void            sluice_run_add_result        (SluiceRun       *self,
                                              SluiceGemResult *result);
void            sluice_run_set_fraction      (SluiceRun       *self,
                                              double           fraction);
void            sluice_run_set_message       (SluiceRun       *self,
                                              const char      *message);
void            sluice_run_add_problem       (SluiceRun       *self,
                                              SluiceDiagnostic *problem);
void            sluice_run_finish            (SluiceRun       *self,
                                              SluiceRunState   state);

G_END_DECLS
