#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "sluice-dataset.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

typedef void (*SluiceLoadProgress) (guint64  bytes_done,
                                    guint64  bytes_total,
                                    gpointer user_data);

/* Loads @dataset's sample file (project-relative path sluice_dataset_get_sample (),
 * under @project_dir) into the table "main".<dataset name>, with one column per
 * schema column (SQLite affinity by type). Streaming: one prepared INSERT, one
 * transaction; a table already loaded from the same path, size, mtime and schema
 * is reused (bookkeeping in a table "main"."sluice_samples"); returns TRUE and sets
 * *reused. Bad data (ragged row, "abc" in an int column, invalid UTF-8, a bad
 * date, a NULL in a non-nullable column, an unterminated quote) fails with
 * SLUICE_ENGINE_ERROR_DATA and a message "PATH:LINE:COL: …" (PATH as the project
 * writes it, e.g. data/orders.csv; LINE 1-based physical line, COL 1-based
 * character column of the field's start), and leaves no half-loaded table
 * (ROLLBACK). Cancellation is checked every few thousand rows (G_IO_ERROR_CANCELLED,
 * rollback). @progress (nullable) is called from the calling thread. */
gboolean sluice_sample_load (sqlite3            *db,
                             SluiceDataset      *dataset,
                             const char         *project_dir,
                             SluiceLoadProgress  progress,
                             gpointer            user_data,
                             GCancellable       *cancellable,
                             gboolean           *reused,
                             GError            **error);

G_END_DECLS
