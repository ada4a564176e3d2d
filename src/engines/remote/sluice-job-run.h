#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SLUICE_TYPE_JOB_RUN (sluice_job_run_get_type ())
G_DECLARE_FINAL_TYPE (SluiceJobRun, sluice_job_run, SLUICE, JOB_RUN, GObject)

/* One run of a Databricks job as jobs/runs/list shows it (ENGINE-APIS.md
 * §1.7): immutable, a new list replaces the old one. */

/* (transfer full) (nullable): NULL when @run lacks a run_id or its
 * state's life_cycle_state. */
SluiceJobRun *sluice_job_run_new_from_json       (JsonObject   *run);

gint64        sluice_job_run_get_id              (SluiceJobRun *self);
/* epoch milliseconds; 0 when not started / not ended */
gint64        sluice_job_run_get_start_time      (SluiceJobRun *self);
gint64        sluice_job_run_get_end_time        (SluiceJobRun *self);
/* milliseconds: setup + execution + cleanup, or end − start */
gint64        sluice_job_run_get_duration        (SluiceJobRun *self);
const char   *sluice_job_run_get_life_cycle_state (SluiceJobRun *self);
/* (nullable): only once terminal */
const char   *sluice_job_run_get_result_state    (SluiceJobRun *self);
const char   *sluice_job_run_get_state_message   (SluiceJobRun *self);
/* "ONE_TIME", "PERIODIC", "RETRY"… (nullable) */
const char   *sluice_job_run_get_trigger         (SluiceJobRun *self);
/* (nullable) */
const char   *sluice_job_run_get_url             (SluiceJobRun *self);
/* Not yet TERMINATED, SKIPPED or INTERNAL_ERROR. */
gboolean      sluice_job_run_is_active           (SluiceJobRun *self);

/* A JSON member holding an int64 id: read as a 64-bit integer, never
 * through a double (ids pass 2^53). FALSE when absent or not an integer. */
gboolean      sluice_json_get_id                 (JsonObject   *object,
                                                  const char   *member,
                                                  gint64       *id);

G_END_DECLS
