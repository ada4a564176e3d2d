#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-core.h"
#include "sluice-engines-types.h"
#include "sluice-http-client.h"
#include "sluice-job-run.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_DATABRICKS_JOBS (sluice_databricks_jobs_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDatabricksJobs, sluice_databricks_jobs, SLUICE, DATABRICKS_JOBS, GObject)

/* A project's job on a Databricks workspace (ENGINE-APIS.md §1.6, §1.7):
 * deploy uploads the job's pipelines' generated packages (Workspace import,
 * FILE, overwrite) and plans what jobs/create or jobs/reset would change;
 * apply does it; run now starts a run with an idempotency token; the runs
 * list shows the job's runs. Every request goes through @client. */

typedef enum {
  SLUICE_JOB_PLAN_CREATE,     /* no job of ours on the workspace */
  SLUICE_JOB_PLAN_UPDATE,     /* there is one, with other settings */
  SLUICE_JOB_PLAN_UNCHANGED,  /* there is one, up to date */
} SluiceJobPlanAction;

typedef struct
{
  SluiceJobPlanAction  action;
  gint64               job_id;     /* UPDATE, UNCHANGED */
  char                *tag;        /* "project/job": tags.sluice_job */
  char                *name;       /* the job's name on the workspace */
  JsonNode            *settings;   /* what jobs/create or jobs/reset sends */
  GStrv                changed;    /* UPDATE: top-level fields that differ, sorted */
  guint                n_uploaded; /* files imported into the Workspace */
  char                *folder;     /* the Workspace folder */
} SluiceJobPlan;

void           sluice_job_plan_free (SluiceJobPlan *plan);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceJobPlan, sluice_job_plan_free)

/* @fabric: a Databricks fabric (its name is in messages); @token: its
 * access token, set on @client. */
SluiceDatabricksJobs *sluice_databricks_jobs_new (SluiceFabric     *fabric,
                                                  const char       *token,
                                                  SluiceHttpClient *client);

/* Uploads every file under code/pyspark/PIPELINE/ of the job's pipelines
 * as they are on disk (byte for byte) to FOLDER/PIPELINE/…, then finds the
 * job by its tag and compares. Fails with SLUICE_ENGINE_ERROR_PIPELINE
 * when the job cannot be deployed as it is (the message names
 * jobs/NAME.json) or a package was never generated. */
void           sluice_databricks_jobs_deploy_async   (SluiceDatabricksJobs *self,
                                                      SluiceProject        *project,
                                                      SluiceJob            *job,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* (transfer full) */
SluiceJobPlan *sluice_databricks_jobs_deploy_finish  (SluiceDatabricksJobs *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Creates or resets the job as @plan says. A create whose answer was lost
 * looks for the job by its tag before creating again, so there is exactly
 * one. Gives the job id. */
void           sluice_databricks_jobs_apply_async    (SluiceDatabricksJobs *self,
                                                      SluiceJobPlan        *plan,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64         sluice_databricks_jobs_apply_finish   (SluiceDatabricksJobs *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* The id of the job tagged @tag (named @name, where it is looked for
 * first), or 0 when there is none. */
void           sluice_databricks_jobs_find_async     (SluiceDatabricksJobs *self,
                                                      const char           *tag,
                                                      const char           *name,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64         sluice_databricks_jobs_find_finish    (SluiceDatabricksJobs *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* jobs/run-now with @idempotency_token (one per user action, the same on
 * every retry of it: the workspace then starts one run). Gives the run id. */
void           sluice_databricks_jobs_run_now_async  (SluiceDatabricksJobs *self,
                                                      gint64                job_id,
                                                      const char           *idempotency_token,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64         sluice_databricks_jobs_run_now_finish (SluiceDatabricksJobs *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* The job's latest runs (at most 25), newest first. (transfer full): a
 * GListModel of SluiceJobRun */
void           sluice_databricks_jobs_list_runs_async  (SluiceDatabricksJobs *self,
                                                        gint64                job_id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GListModel    *sluice_databricks_jobs_list_runs_finish (SluiceDatabricksJobs *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
