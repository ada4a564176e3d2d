#pragma once

#include <adwaita.h>

#include "sluice-fabric-dialog.h"
#include "sluice-fabric-row.h"
#include "sluice-fabric-session.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRICS_WINDOW (sluice_fabrics_window_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricsWindow, sluice_fabrics_window, SLUICE, FABRICS_WINDOW, AdwPreferencesWindow)

/* The fabric manager: every fabric with its last connection test, and the
 * actions fabrics.add (s: kind), fabrics.edit / fabrics.delete /
 * fabrics.test (s: fabric id), fabrics.undo-delete (the toast's Undo, which
 * restores the settings and the secrets) and fabrics.set-aside (moves an
 * unreadable fabrics.json out of the way). */
SluiceFabricsWindow *sluice_fabrics_window_new          (SluiceFabricSession *session);
/* For tests. (transfer none) (nullable) */
SluiceFabricRow     *sluice_fabrics_window_get_row      (SluiceFabricsWindow *self,
                                                         SluiceFabric        *fabric);
/* The editor that fabrics.add or fabrics.edit opened last, while it is open. */
SluiceFabricDialog  *sluice_fabrics_window_get_dialog   (SluiceFabricsWindow *self);
/* TRUE while a delete or an undo is on its way. */
gboolean             sluice_fabrics_window_is_busy      (SluiceFabricsWindow *self);
/* The last toast's title ("" before any). */
const char          *sluice_fabrics_window_get_toast_text (SluiceFabricsWindow *self);

G_END_DECLS
