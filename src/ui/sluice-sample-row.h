#pragma once

#include <glib-object.h>

#include "sluice-gem-result.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_SAMPLE_ROW (sluice_sample_row_get_type ())
G_DECLARE_FINAL_TYPE (SluiceSampleRow, sluice_sample_row, SLUICE, SAMPLE_ROW, GObject)

/* One row of a gem's sample, as an item of the results view's list model. */
SluiceSampleRow *sluice_sample_row_new       (SluiceGemResult *result,
                                              guint            row);
/* (nullable): NULL is SQL NULL */
const char      *sluice_sample_row_get_value (SluiceSampleRow *self,
                                              guint            column);
guint            sluice_sample_row_get_index (SluiceSampleRow *self);

G_END_DECLS
