#pragma once

#include <adwaita.h>

#include "sluice-fabric-session.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FABRIC_BANNER (sluice_fabric_banner_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFabricBanner, sluice_fabric_banner, SLUICE, FABRIC_BANNER, AdwBin)

/* A strip under the header bar (AdwBanner is libadwaita 1.3) that says what
 * stands between the user and their fabrics: no keyring (no D-Bus session,
 * locked, refused), or a fabrics.json that could not be read. Hidden when
 * all is well. Sluice keeps working on the Local fabric either way. */
void      sluice_fabric_banner_set_session   (SluiceFabricBanner  *self,
                                              SluiceFabricSession *session);
gboolean  sluice_fabric_banner_is_revealed   (SluiceFabricBanner  *self);
/* For tests: the messages shown ("" when none). */
const char *sluice_fabric_banner_get_keyring_text (SluiceFabricBanner *self);
const char *sluice_fabric_banner_get_file_text    (SluiceFabricBanner *self);

G_END_DECLS
