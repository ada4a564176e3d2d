#pragma once

#include <adwaita.h>

#include "sluice-core.h"
#include "sluice-databricks-jobs.h"
#include "sluice-fabric-session.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_JOB_VIEW (sluice_job_view_get_type ())
G_DECLARE_FINAL_TYPE (SluiceJobView, sluice_job_view, SLUICE, JOB_VIEW, GtkBox)

/* The editor of one job of @project: its pipelines in order (added from
 * the project's, removed, moved), the schedule (Quartz cron with a plain
 * English reading, time zone with completion, paused), the Databricks
 * fabric and cluster, retries and failure e-mails. Each edit is saved at
 * once, with the job's generated request (code/jobs/NAME.json).
 *
 * Deploy (job.deploy) uploads the pipelines' code and shows the plan —
 * create, update (with the fields that change) or unchanged — in a dialog
 * whose Apply does it; Run Now (job.run-now) starts a run; the runs list
 * (job.refresh-runs) refreshes itself every 10 s while a run is active.
 * The fabric's token comes from the keyring of @session.
 *
 * Actions: job.add-pipeline, job.remove-pipeline (i), job.move-up (i),
 * job.move-down (i), job.deploy, job.run-now, job.refresh-runs.
 * Property busy (read-only): talking to the workspace. */
GtkWidget     *sluice_job_view_new          (SluiceProject       *project,
                                             SluiceJob           *job,
                                             SluiceFabricSession *session);
SluiceJob     *sluice_job_view_get_job      (SluiceJobView       *self);
gboolean       sluice_job_view_get_busy     (SluiceJobView       *self);
/* Applies text fields being edited, now. */
void           sluice_job_view_flush        (SluiceJobView       *self);
/* (nullable): the last problem or outcome shown (one sentence) */
const char    *sluice_job_view_get_status   (SluiceJobView       *self);
/* (nullable): the job's problems, one a line, as shown */
const char    *sluice_job_view_get_problems (SluiceJobView       *self);
/* (transfer none): the plain-English reading of the cron field, or why
 * it is not valid */
const char    *sluice_job_view_get_cron_preview (SluiceJobView   *self);
/* (transfer none): GListModel of SluiceJobRun, newest first */
GListModel    *sluice_job_view_get_runs     (SluiceJobView       *self);
/* The workspace's id of the job, once found or deployed; 0 before. */
gint64         sluice_job_view_get_job_id   (SluiceJobView       *self);
/* (transfer none) (nullable): the plan dialog while it is shown */
AdwMessageDialog *sluice_job_view_get_plan_dialog (SluiceJobView *self);

G_END_DECLS
