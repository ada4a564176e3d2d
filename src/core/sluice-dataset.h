#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_DATASET (sluice_dataset_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDataset, sluice_dataset, SLUICE, DATASET, GObject)

/* A named table: its format and options, where it lives for Spark/Snowflake
 * (location), an optional local sample file for the Local fabric, and its
 * declared schema. The name is the file's stem. */
SluiceDataset *sluice_dataset_new             (const char    *name);
SluiceDataset *sluice_dataset_load_from_bytes (const char    *name,
                                               const char    *file,
                                               GBytes        *bytes,
                                               GPtrArray     *diagnostics,
                                               GError       **error);
GBytes        *sluice_dataset_to_bytes        (SluiceDataset *self);

const char    *sluice_dataset_get_name        (SluiceDataset *self);
const char    *sluice_dataset_get_file        (SluiceDataset *self);
const char    *sluice_dataset_get_description (SluiceDataset *self);
/* csv, jsonl, parquet, delta, table, snowflake_table */
const char    *sluice_dataset_get_format      (SluiceDataset *self);
const char    *sluice_dataset_get_location    (SluiceDataset *self);
/* (nullable): project-relative path of the local sample file */
const char    *sluice_dataset_get_sample      (SluiceDataset *self);
/* (transfer none): format options (CSV header, delimiter, …) */
JsonObject    *sluice_dataset_get_options     (SluiceDataset *self);
guint          sluice_dataset_get_n_columns   (SluiceDataset *self);
const char    *sluice_dataset_get_column_name (SluiceDataset *self,
                                               guint          i);
/* string, int, bigint, double, decimal(p,s), boolean, date, timestamp */
const char    *sluice_dataset_get_column_type (SluiceDataset *self,
                                               guint          i);
gboolean       sluice_dataset_get_column_nullable (SluiceDataset *self,
                                                   guint          i);
const char    *sluice_dataset_get_column_description (SluiceDataset *self,
                                                      guint          i);
/* Editing. Each setter emits "changed" (no arguments) when the value differs;
 * a dataset is saved through sluice_project_save_dataset (). */
void           sluice_dataset_set_description (SluiceDataset *self,
                                               const char    *description);
void           sluice_dataset_set_format      (SluiceDataset *self,
                                               const char    *format);
void           sluice_dataset_set_location    (SluiceDataset *self,
                                               const char    *location);
void           sluice_dataset_set_sample      (SluiceDataset *self,
                                               const char    *sample);
/* Takes a deep copy of @options. */
void           sluice_dataset_set_options     (SluiceDataset *self,
                                               JsonObject    *options);
/* Replaces the whole schema with @n columns (one "changed"). */
void           sluice_dataset_set_columns     (SluiceDataset       *self,
                                               guint                n,
                                               const char * const  *names,
                                               const char * const  *types,
                                               const gboolean      *nullable,
                                               const char * const  *descriptions);
void           sluice_dataset_set_column_name (SluiceDataset *self,
                                               guint          i,
                                               const char    *name);
void           sluice_dataset_set_column_type (SluiceDataset *self,
                                               guint          i,
                                               const char    *type);
void           sluice_dataset_set_column_nullable (SluiceDataset *self,
                                                   guint          i,
                                                   gboolean       nullable);
void           sluice_dataset_set_column_description (SluiceDataset *self,
                                                      guint          i,
                                                      const char    *description);

/* Problems the file itself can show: unknown format, bad column types,
 * duplicate columns, a sample file that does not exist under @project_dir. */
GPtrArray     *sluice_dataset_validate        (SluiceDataset *self,
                                               GFile         *project_dir);

/* The column types Sluice knows; decimal takes (precision, scale). */
gboolean       sluice_column_type_is_valid    (const char    *type);
extern const char * const sluice_dataset_formats[];

G_END_DECLS
