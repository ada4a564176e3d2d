#pragma once

#include <adwaita.h>

#include "sluice-credential-store.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_CLONE_DIALOG (sluice_clone_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCloneDialog, sluice_clone_dialog, SLUICE, CLONE_DIALOG, AdwWindow)

/* Clone from an HTTPS address, with an optional personal access token
 * (stored in the keyring for that server once the clone succeeded, so pull
 * and push find it) into a new folder. Actions "clone.clone",
 * "clone.cancel" (stops a clone in progress, or closes),
 * "clone.choose-folder". Signal: cloned (path, warning) when the folder
 * holds the clone (warning, nullable: the token could not be stored); the
 * dialog then closes. */
SluiceCloneDialog *sluice_clone_dialog_new          (GtkWindow             *parent,
                                                     SluiceCredentialStore *store);
void               sluice_clone_dialog_set_folder   (SluiceCloneDialog     *self,
                                                     const char            *parent_folder);
/* Fills the fields, as typing them would (for tests and callers that know). */
void               sluice_clone_dialog_set_fields   (SluiceCloneDialog     *self,
                                                     const char            *url,
                                                     const char            *user,
                                                     const char            *token,
                                                     const char            *folder_name);
/* (nullable): the sentence shown after a failure */
const char        *sluice_clone_dialog_get_error    (SluiceCloneDialog     *self);
gboolean           sluice_clone_dialog_get_busy     (SluiceCloneDialog     *self);

G_END_DECLS
