#pragma once

#include <gtk/gtk.h>

#include "sluice-gem-result.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_RESULTS_VIEW (sluice_results_view_get_type ())
G_DECLARE_FINAL_TYPE (SluiceResultsView, sluice_results_view, SLUICE, RESULTS_VIEW, GtkBox)

/* A gem's sample in a column view: one column per output column, titled with
 * its name and type, sortable by clicking a header (numbers as numbers,
 * NULLs first), with the row count and timing above; or the gem's error. */
void             sluice_results_view_set_result (SluiceResultsView *self,
                                                 SluiceGemResult   *result);
/* (transfer none) (nullable) */
SluiceGemResult *sluice_results_view_get_result (SluiceResultsView *self);
/* (transfer none): what the view shows, after sorting; for tests */
GListModel      *sluice_results_view_get_rows   (SluiceResultsView *self);
GtkColumnView   *sluice_results_view_get_column_view (SluiceResultsView *self);

G_END_DECLS
