#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_JOB (sluice_job_get_type ())
G_DECLARE_FINAL_TYPE (SluiceJob, sluice_job, SLUICE, JOB, GObject)

/* A schedule that runs pipelines, in order, on a fabric (named; fabrics are
 * per user and live outside the project). */
SluiceJob          *sluice_job_new             (const char *name);
SluiceJob          *sluice_job_load_from_bytes (const char *name,
                                                const char *file,
                                                GBytes     *bytes,
                                                GPtrArray  *diagnostics,
                                                GError    **error);
GBytes             *sluice_job_to_bytes        (SluiceJob  *self);

const char         *sluice_job_get_name        (SluiceJob  *self);
const char         *sluice_job_get_file        (SluiceJob  *self);
const char         *sluice_job_get_description (SluiceJob  *self);
const char         *sluice_job_get_fabric      (SluiceJob  *self);
/* Quartz cron (Databricks): seconds minutes hours day-of-month month day-of-week [year] */
const char         *sluice_job_get_cron        (SluiceJob  *self);
const char         *sluice_job_get_timezone    (SluiceJob  *self);
gboolean            sluice_job_get_paused      (SluiceJob  *self);
const char * const *sluice_job_get_pipelines   (SluiceJob  *self);
/* After a pipeline is renamed: TRUE if the job ran it (and now runs @new_name). */
gboolean            sluice_job_rename_pipeline (SluiceJob  *self,
                                                const char *old_name,
                                                const char *new_name);
/* The job's cluster (a new one per run; Databricks job cluster). "cluster"
 * in the file; absent in files from before, then node type is NULL and the
 * job cannot be deployed until it is set. */
const char         *sluice_job_get_spark_version (SluiceJob *self);
const char         *sluice_job_get_node_type   (SluiceJob  *self);
guint               sluice_job_get_workers     (SluiceJob  *self);
/* Minutes of idleness before the cluster stops; 0 never. */
guint               sluice_job_get_autotermination (SluiceJob *self);
/* Retries of a failed pipeline run, and the seconds between them. */
guint               sluice_job_get_max_retries (SluiceJob  *self);
guint               sluice_job_get_retry_interval (SluiceJob *self);
/* Who is e-mailed when a run fails (never NULL; maybe empty). */
const char * const *sluice_job_get_emails      (SluiceJob  *self);
/* (nullable): the Workspace folder to deploy to; NULL is the default,
 * /Shared/sluice/PROJECT (sluice_job_dup_workspace_folder()). */
const char         *sluice_job_get_workspace_folder (SluiceJob *self);
/* (transfer full): the folder, or the default for @project_slug. */
char               *sluice_job_dup_workspace_folder (SluiceJob  *self,
                                                     const char *project_slug);
/* A project's name as it appears in Workspace paths and job tags: lower
 * case letters, digits and “_”. (transfer full) */
char               *sluice_job_slug            (const char *text);

/* Editing. Each setter emits "changed" when the value differs. The caller
 * saves (sluice_project_save_job()). */
void                sluice_job_set_description (SluiceJob  *self,
                                                const char *description);
void                sluice_job_set_fabric      (SluiceJob  *self,
                                                const char *fabric);
void                sluice_job_set_cron        (SluiceJob  *self,
                                                const char *cron);
void                sluice_job_set_timezone    (SluiceJob  *self,
                                                const char *timezone);
void                sluice_job_set_paused      (SluiceJob  *self,
                                                gboolean    paused);
void                sluice_job_set_pipelines   (SluiceJob          *self,
                                                const char * const *pipelines);
void                sluice_job_set_spark_version (SluiceJob  *self,
                                                  const char *spark_version);
void                sluice_job_set_node_type   (SluiceJob  *self,
                                                const char *node_type);
void                sluice_job_set_workers     (SluiceJob  *self,
                                                guint       workers);
void                sluice_job_set_autotermination (SluiceJob *self,
                                                    guint      minutes);
void                sluice_job_set_max_retries (SluiceJob  *self,
                                                guint       retries);
void                sluice_job_set_retry_interval (SluiceJob *self,
                                                   guint      seconds);
void                sluice_job_set_emails      (SluiceJob          *self,
                                                const char * const *emails);
void                sluice_job_set_workspace_folder (SluiceJob  *self,
                                                     const char *folder);

/* Unknown pipelines (when @pipelines, a GListModel of SluicePipeline, is
 * given), a malformed cron expression, no pipeline at all, a bad e-mail
 * address, worker count or Workspace folder. */
GPtrArray          *sluice_job_validate        (SluiceJob  *self,
                                                GListModel *pipelines);

/* NULL when valid, else why not (one sentence). */
char               *sluice_cron_check          (const char *cron);
/* The expression in plain English ("every day at 05:00"), or NULL when
 * it is not valid or too unusual to say simply. (transfer full) */
char               *sluice_cron_describe       (const char *cron);
/* NULL when @address looks like an e-mail address, else why not. */
char               *sluice_email_check         (const char *address);
/* NULL when @folder is an absolute Workspace folder, else why not. */
char               *sluice_workspace_folder_check (const char *folder);

G_END_DECLS
