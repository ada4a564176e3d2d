#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-engines-types.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_GEM_RESULT (sluice_gem_result_get_type ())
G_DECLARE_FINAL_TYPE (SluiceGemResult, sluice_gem_result, SLUICE, GEM_RESULT, GObject)

/* What one gem produced in a run (or what one SQL statement returned): its
 * columns, how many rows it gave, the first rows as text, and how long it
 * took; or the error that stopped it. Immutable once built, so engines make
 * it on their worker thread and hand it to the main thread. */

/* @gem_id: NULL for a SQL statement's result. */
SluiceGemResult *sluice_gem_result_new            (const char      *gem_id);

/* Building (the engine's side; not after the result was handed on). */
void             sluice_gem_result_add_column     (SluiceGemResult *self,
                                                   const char      *name,
                                                   SluiceSqlType    type);
/* @values: one per column, each nullable (SQL NULL); copied. */
void             sluice_gem_result_add_row        (SluiceGemResult *self,
                                                   const char * const *values);
void             sluice_gem_result_set_n_rows     (SluiceGemResult *self,
                                                   gint64           n_rows);
void             sluice_gem_result_set_elapsed    (SluiceGemResult *self,
                                                   double           milliseconds);
void             sluice_gem_result_set_output     (SluiceGemResult *self,
                                                   const char      *path);
void             sluice_gem_result_take_error     (SluiceGemResult *self,
                                                   GError          *error);

/* (nullable) */
const char      *sluice_gem_result_get_gem_id     (SluiceGemResult *self);
guint            sluice_gem_result_get_n_columns  (SluiceGemResult *self);
const SluiceColumn *sluice_gem_result_get_column  (SluiceGemResult *self,
                                                   guint            column);
/* All the rows the gem gave; -1 when unknown (it failed). */
gint64           sluice_gem_result_get_n_rows     (SluiceGemResult *self);
/* The rows kept (at most the run's sample limit). */
guint            sluice_gem_result_get_n_sample_rows (SluiceGemResult *self);
/* (nullable): NULL is SQL NULL */
const char      *sluice_gem_result_get_value      (SluiceGemResult *self,
                                                   guint            row,
                                                   guint            column);
double           sluice_gem_result_get_elapsed    (SluiceGemResult *self);
/* (nullable): the file a Target wrote */
const char      *sluice_gem_result_get_output     (SluiceGemResult *self);
/* (nullable) */
const GError    *sluice_gem_result_get_error      (SluiceGemResult *self);

/* "1 row", "9561 rows": (transfer full) */
char            *sluice_format_row_count          (gint64           n_rows);

G_END_DECLS
