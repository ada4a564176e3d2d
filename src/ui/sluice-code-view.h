#pragma once

#include <gtksourceview/gtksource.h>

#include "sluice-core.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

typedef enum {
  SLUICE_CODE_DIALECT_PYSPARK,
  SLUICE_CODE_DIALECT_SPARK_SQL,
  SLUICE_CODE_DIALECT_SNOWFLAKE_SQL,
} SluiceCodeDialect;

#define SLUICE_TYPE_CODE_VIEW (sluice_code_view_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCodeView, sluice_code_view, SLUICE, CODE_VIEW, GtkWidget)

/* The code Sluice generates for a pipeline, read-only, in the dialect picked
 * with the switcher: PySpark (every file of the package, in path order,
 * each after a "# ── path ──" line), Spark SQL or Snowflake SQL. It is
 * regenerated shortly after the pipeline changes, only for the dialect
 * shown. What keeps a dialect from expressing the pipeline is listed above
 * the code.
 *
 * Property: dialect (guint, a SluiceCodeDialect). */
GtkWidget         *sluice_code_view_new          (void);
/* @datasets: GListModel of SluiceDataset; @resolver follows @pipeline.
 * All NULL shows nothing. */
void               sluice_code_view_set_pipeline (SluiceCodeView    *self,
                                                  SluicePipeline    *pipeline,
                                                  GListModel        *datasets,
                                                  SluiceResolver    *resolver);
void               sluice_code_view_set_dialect  (SluiceCodeView    *self,
                                                  SluiceCodeDialect  dialect);
SluiceCodeDialect  sluice_code_view_get_dialect  (SluiceCodeView    *self);
/* Regenerates now what is waiting for the debounce. */
void               sluice_code_view_flush        (SluiceCodeView    *self);
/* (transfer full): the text shown */
char              *sluice_code_view_get_text     (SluiceCodeView    *self);
/* The problems shown above the code, one per line; "" when none. */
const char        *sluice_code_view_get_problems (SluiceCodeView    *self);
/* Scrolls to the code of gem @gem_id (its CTE; a Target's statement; its
 * PySpark module) and highlights it. FALSE when the code has no part for
 * it. */
gboolean           sluice_code_view_show_gem     (SluiceCodeView    *self,
                                                  const char        *gem_id);
/* The highlighted lines (0-based, inclusive); FALSE when none. */
gboolean           sluice_code_view_get_highlight (SluiceCodeView   *self,
                                                   int              *first_line,
                                                   int              *last_line);
/* (transfer none): the source view of the dialect shown */
GtkSourceView     *sluice_code_view_get_source_view (SluiceCodeView *self);

G_END_DECLS
