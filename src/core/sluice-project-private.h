#pragma once

#include "sluice-project.h"

G_BEGIN_DECLS

/* The canonical text of sluice.json. */
GBytes *_sluice_project_manifest_to_bytes (SluiceProject *self);

G_END_DECLS
