#pragma once

#include <adwaita.h>

#include "sluice-engine.h"
#include "sluice-fabric-session.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_APPLICATION (sluice_application_get_type ())
G_DECLARE_FINAL_TYPE (SluiceApplication, sluice_application, SLUICE, APPLICATION, AdwApplication)

SluiceApplication *sluice_application_new          (void);
/* (transfer none) (nullable): the app's settings, NULL when the schema is
 * not installed (running from a build folder without GSETTINGS_SCHEMA_DIR). */
GSettings         *sluice_application_get_settings (SluiceApplication *self);
/* (transfer none): the Local fabric's engine, shared by the windows */
SluiceEngine      *sluice_application_get_local_engine (SluiceApplication *self);
/* (transfer none): the user's fabrics, the keyring, the selected fabric */
SluiceFabricSession *sluice_application_get_fabric_session (SluiceApplication *self);
void               sluice_application_ensure_vcs        (void);
/* Moves @path to the front of the recent projects. */
void               sluice_application_add_recent   (SluiceApplication *self,
                                                    const char        *path);

G_END_DECLS
