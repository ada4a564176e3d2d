#pragma once

#include <adwaita.h>

#include "sluice-fabric-session.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC_BUTTON (sluice_fabric_button_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricButton, sluice_fabric_button, SLUICE, FABRIC_BUTTON, AdwBin)

/* The header bar's fabric selector: the selected fabric's name and its
 * connection state (a spinner while testing, then ready, failed or not
 * available, the message as tooltip); its popover lists the fabrics and
 * opens the fabric manager (app.fabrics). */
void                 sluice_fabric_button_set_session (SluiceFabricButton  *self,
                                                       SluiceFabricSession *session);
/* For tests: what the button says (name and state). (transfer none) */
GtkLabel            *sluice_fabric_button_get_label   (SluiceFabricButton  *self);
GtkWidget           *sluice_fabric_button_get_state_icon (SluiceFabricButton *self);
GtkListBox          *sluice_fabric_button_get_list    (SluiceFabricButton  *self);

G_END_DECLS
