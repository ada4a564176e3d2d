#pragma once

#include <gio/gio.h>

#include "sluice-dataset.h"
#include "sluice-gem-result.h"

G_BEGIN_DECLS

/* The first @limit rows of @dataset's local sample file (its path relative to
 * @project_dir), read with the dataset's format options and converted to its
 * declared schema exactly as the local engine loads them, as a result whose
 * gem id is the dataset's name: columns with their types, the rows as Spark
 * shows values (NULL as NULL), n_rows the number of rows read. Bad data fails
 * with SLUICE_ENGINE_ERROR_DATA "PATH:LINE:COL: problem"; a dataset without a
 * sample with SLUICE_ENGINE_ERROR_FAILED naming it. Reads only as much of the
 * file as @limit needs. */
SluiceGemResult *sluice_dataset_preview        (SluiceDataset        *dataset,
                                                const char           *project_dir,
                                                guint                 limit,
                                                GCancellable         *cancellable,
                                                GError              **error);
/* The same on a worker thread (the dataset is copied first, so it may be
 * edited meanwhile). */
void             sluice_dataset_preview_async  (SluiceDataset        *dataset,
                                                const char           *project_dir,
                                                guint                 limit,
                                                GCancellable         *cancellable,
                                                GAsyncReadyCallback   callback,
                                                gpointer              user_data);
SluiceGemResult *sluice_dataset_preview_finish (GAsyncResult         *result,
                                                GError              **error);

G_END_DECLS
