#pragma once

#include <glib-object.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PORT (sluice_port_get_type ())
G_DECLARE_FINAL_TYPE (SluicePort, sluice_port, SLUICE, PORT, GObject)

/* A named input or output of a gem. Ports carry tables; their schemas are
 * computed by the compiler and never stored. */
SluicePort          *sluice_port_new           (SluicePortDirection direction,
                                                const char         *name,
                                                guint               index);
SluicePortDirection  sluice_port_get_direction (SluicePort *self);
const char          *sluice_port_get_name      (SluicePort *self);
guint                sluice_port_get_index     (SluicePort *self);

/* Port names: a letter or underscore, then letters, digits, underscores. */
gboolean             sluice_port_name_is_valid (const char *name);

G_END_DECLS
