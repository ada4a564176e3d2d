#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-core.h"

G_BEGIN_DECLS

/* A job as Databricks Jobs API 2.1 settings (the body of jobs/create, the
 * new_settings of jobs/reset): one spark_python_task per pipeline, in
 * order (each depends on the one before), all on one job cluster, with the
 * job's schedule, retries and failure e-mails, max_concurrent_runs 1 and
 * the tag SLUICE_JOB_TAG = "PROJECT/NAME" by which a deploy finds the job
 * again. Everything comes from the project: what is missing (no node type,
 * no PySpark code target) is a problem appended to @problems (strings),
 * and then the result is NULL. Deterministic: same project, same bytes.
 * (transfer full) */
JsonNode   *sluice_job_request_build        (SluiceProject *project,
                                             SluiceJob     *job,
                                             GPtrArray     *problems);

#define SLUICE_JOB_TAG "sluice_job"

/* "retail_analytics/nightly_refresh" (transfer full) */
char       *sluice_job_request_tag          (SluiceProject *project,
                                             SluiceJob     *job);
/* The Workspace folder the job deploys to. (transfer full) */
char       *sluice_job_request_folder       (SluiceProject *project,
                                             SluiceJob     *job);
/* Where a generated file of a pipeline's package lands in the Workspace:
 * @rel is relative to code/pyspark/ ("orders/orders/pipeline.py").
 * (transfer full) */
char       *sluice_job_request_workspace_path (const char  *folder,
                                               const char  *rel);

/* The job's generated file: "code/jobs/NAME.json" → its text (canonical
 * JSON), or NULL with @problems appended. (transfer full) */
GHashTable *sluice_code_files_for_job       (SluiceProject *project,
                                             SluiceJob     *job,
                                             GPtrArray     *problems);

/* Whether @path (a file under code/jobs/) is a job request Sluice wrote:
 * JSON whose tags carry SLUICE_JOB_TAG. */
gboolean    sluice_code_file_is_job_request (const char    *path);

/* Settings compared as Databricks keeps them: object members in any
 * order, empty arrays and objects the same as absent. (transfer full):
 * the names of the top-level members of @wanted (or of @current, when only
 * it has them) that differ, sorted; empty when the job is up to date. */
GStrv       sluice_job_settings_diff        (JsonNode      *wanted,
                                             JsonNode      *current);

G_END_DECLS
