#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* A pipeline's generated files, as the project lays them out: for each code
 * target of sluice.json, code/pyspark/NAME/… (the package),
 * code/sql/spark/NAME.sql and code/sql/snowflake/NAME.sql.
 *
 * (transfer full): project-relative path → text; or NULL, with @problems
 * (strings) appended, when a target cannot express the pipeline: then none
 * of its code should be written. @resolver: (nullable) one that follows the
 * pipeline, or NULL for a fresh one. */
GHashTable *sluice_code_files_for_pipeline (SluiceProject  *project,
                                            SluicePipeline *pipeline,
                                            SluiceResolver *resolver,
                                            GPtrArray      *problems);

/* Whether the file at @path was written by Sluice (its first line says so),
 * so that it may be replaced or removed; a user's own file never is. */
gboolean    sluice_code_file_is_generated  (const char     *path);

/* Which generated files were edited by hand since Sluice wrote them, so
 * that a save can ask before overwriting them. @last_written: what Sluice
 * wrote last, as sluice_code_files_for_pipeline() gives it for the
 * pipeline as it was last saved (generation is deterministic, so that is
 * the text Sluice left there). A file listed there whose text on disk is
 * different is hand-edited; a missing file is not (Sluice just writes it
 * again). Plain data in, so it may run on a worker thread.
 * (transfer full): project-relative paths, sorted. */
GPtrArray  *sluice_code_find_hand_edited   (const char     *project_dir,
                                            GHashTable     *last_written);

/* Appends to @stale (paths relative to @root) the files Sluice wrote under
 * the folder @rel that @files (project-relative paths) does not have. */
void        sluice_code_collect_stale      (const char     *root,
                                            const char     *rel,
                                            GHashTable     *files,
                                            GPtrArray      *stale);

/* Writes @files (from sluice_code_files_for_pipeline) under @project_dir,
 * each atomically and only when its text changed, and removes the files
 * Sluice once wrote for @pipeline_name that @files no longer has (modules of
 * removed gems). Plain data in, so it may run on a worker thread. */
gboolean    sluice_code_write_pipeline     (const char     *project_dir,
                                            const char     *pipeline_name,
                                            GHashTable     *files,
                                            guint          *written,
                                            guint          *removed,
                                            GError        **error);

/* Removes the files Sluice generated for @pipeline_name (its package under
 * code/pyspark/ and its two SQL files; never a user's own file) and the
 * folders left empty, for a pipeline being deleted. (transfer full):
 * project-relative path → the text removed, so that sluice_code_write_pipeline()
 * can put them back on undo; or NULL with @error set (when one cannot be
 * read, none is removed). Plain data in, so it may run on a worker thread. */
GHashTable *sluice_code_remove_pipeline    (const char     *project_dir,
                                            const char     *pipeline_name,
                                            GError        **error);

/* Writes the job's request (@files from sluice_code_files_for_job) as
 * code/jobs/NAME.json when its text changed; with @files NULL (the job
 * cannot be deployed as it is) removes the one Sluice wrote before, so
 * code/ never holds a request that no longer matches the job. Plain data
 * in, so it may run on a worker thread. */
gboolean    sluice_code_write_job          (const char     *project_dir,
                                            const char     *job_name,
                                            GHashTable     *files,
                                            GError        **error);

G_END_DECLS
