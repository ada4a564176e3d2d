#pragma once

#include <glib-object.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_EDGE (sluice_edge_get_type ())
G_DECLARE_FINAL_TYPE (SluiceEdge, sluice_edge, SLUICE, EDGE, GObject)

/* A wire from one gem's output port to another gem's input port. Immutable:
 * re-wiring removes one edge and adds another. */
SluiceEdge *sluice_edge_new           (const char *from_gem,
                                       const char *from_port,
                                       const char *to_gem,
                                       const char *to_port);
const char *sluice_edge_get_from_gem  (SluiceEdge *self);
const char *sluice_edge_get_from_port (SluiceEdge *self);
const char *sluice_edge_get_to_gem    (SluiceEdge *self);
const char *sluice_edge_get_to_port   (SluiceEdge *self);
gboolean    sluice_edge_equal         (SluiceEdge *a,
                                       SluiceEdge *b);
/* "from_gem.port → to_gem.port", for messages */
char       *sluice_edge_describe      (SluiceEdge *self);

G_END_DECLS
