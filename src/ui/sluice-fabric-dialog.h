#pragma once

#include <adwaita.h>

#include "sluice-fabric-session.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC_DIALOG (sluice_fabric_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricDialog, sluice_fabric_dialog, SLUICE, FABRIC_DIALOG, AdwWindow)

/* Adds or edits one fabric: its name, the settings of its kind (rows made
 * from sluice_fabric_kind_get_fields()), and its secrets. A secret row is a
 * password entry that is never filled in: a stored secret shows as "Stored
 * in the keyring" with a Replace button. Save (fabric.save) checks, writes
 * fabrics.json, stores the secrets, and closes; a problem shows inline.
 * Signal: saved (SluiceFabric). */

/* @fabric: the fabric to edit (the dialog edits a copy), or a new one. */
SluiceFabricDialog *sluice_fabric_dialog_new     (SluiceFabricSession *session,
                                                  SluiceFabric        *fabric);
/* For tests: the row of a field ("name", "url", "token"…), and the
 * inline problem ("" when none). (transfer none) (nullable) */
GtkWidget          *sluice_fabric_dialog_get_row   (SluiceFabricDialog  *self,
                                                    const char          *key);
/* The "stored in the keyring" row of a secret field. */
GtkWidget          *sluice_fabric_dialog_get_stored_row (SluiceFabricDialog *self,
                                                         const char         *key);
const char         *sluice_fabric_dialog_get_problem (SluiceFabricDialog *self);
/* TRUE while the keyring is asked which secrets are stored, or a save runs. */
gboolean            sluice_fabric_dialog_is_busy     (SluiceFabricDialog *self);

G_END_DECLS
