#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-dataset.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_INFERENCE (sluice_inference_get_type ())
G_DECLARE_FINAL_TYPE (SluiceInference, sluice_inference, SLUICE, INFERENCE, GObject)

/* A schema inferred from a sample file, by the rules the local engine loads
 * by: per column a type (int, bigint, double, decimal(p,s), boolean, date,
 * timestamp, string), nullability, and a note when content was mixed and the
 * column fell back to string. */

/* @format: "csv" or "jsonl", or NULL to choose by the file's extension.
 * @options (nullable): CSV options as in a dataset file (header, delimiter,
 * quote, escape, null_value, date_format, timestamp_format); NULL sniffs them.
 * @max_rows: 0 reads every row; otherwise stops after that many rows and says
 * so (sluice_inference_is_complete () is FALSE). Ragged rows, invalid UTF-8
 * and unterminated quotes fail with SLUICE_ENGINE_ERROR_DATA,
 * "PATH:LINE:COL: problem". */
SluiceInference *sluice_inference_run          (const char          *path,
                                                const char          *format,
                                                JsonObject          *options,
                                                guint64              max_rows,
                                                GCancellable        *cancellable,
                                                GError             **error);
/* The same on a worker thread. */
void             sluice_inference_run_async    (const char          *path,
                                                const char          *format,
                                                JsonObject          *options,
                                                guint64              max_rows,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
SluiceInference *sluice_inference_run_finish   (GAsyncResult        *result,
                                                GError             **error);

/* "csv" or "jsonl" */
const char      *sluice_inference_get_format   (SluiceInference *self);
/* (transfer none): the options used (sniffed ones filled in); empty for JSON lines */
JsonObject      *sluice_inference_get_options  (SluiceInference *self);
guint64          sluice_inference_get_n_rows   (SluiceInference *self);
/* FALSE when reading stopped at max_rows before the end of the file */
gboolean         sluice_inference_is_complete  (SluiceInference *self);
guint            sluice_inference_get_n_columns (SluiceInference *self);
const char      *sluice_inference_get_column_name (SluiceInference *self,
                                                   guint            i);
const char      *sluice_inference_get_column_type (SluiceInference *self,
                                                   guint            i);
gboolean         sluice_inference_get_column_nullable (SluiceInference *self,
                                                       guint            i);
/* (nullable): e.g. "mixed content: 'abc' on line 7 after numbers; read as string" */
const char      *sluice_inference_get_column_note (SluiceInference *self,
                                                   guint            i);

/* A new dataset NAME with this schema, format and options, @sample as its
 * (project-relative, nullable) sample path and an empty location. */
SluiceDataset   *sluice_inference_to_dataset   (SluiceInference *self,
                                                const char      *name,
                                                const char      *sample);

G_END_DECLS
