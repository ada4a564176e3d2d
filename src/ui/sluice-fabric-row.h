#pragma once

#include <adwaita.h>

#include "sluice-fabric.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC_ROW (sluice_fabric_row_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricRow, sluice_fabric_row, SLUICE, FABRIC_ROW, AdwActionRow)

/* One fabric in the fabric manager: name, kind and address, the result of
 * its last connection test inline (a spinner while it runs), and buttons
 * for the fabrics.test, fabrics.edit and fabrics.delete actions (the
 * built-in Local fabric can only be tested). */
SluiceFabricRow *sluice_fabric_row_new        (SluiceFabric    *fabric);
/* (transfer none) */
SluiceFabric    *sluice_fabric_row_get_fabric (SluiceFabricRow *self);
/* For tests: the inline result ("" before any test). */
const char      *sluice_fabric_row_get_result (SluiceFabricRow *self);
gboolean         sluice_fabric_row_is_testing (SluiceFabricRow *self);

G_END_DECLS
