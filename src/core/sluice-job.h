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
/* Unknown pipelines (when @pipelines, a GListModel of SluicePipeline, is
 * given), a malformed cron expression, no pipeline at all. */
GPtrArray          *sluice_job_validate        (SluiceJob  *self,
                                                GListModel *pipelines);

/* NULL when valid, else why not (one sentence). */
char               *sluice_cron_check          (const char *cron);

G_END_DECLS
