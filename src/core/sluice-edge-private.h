#pragma once

#include <json-glib/json-glib.h>

#include "sluice-edge.h"

G_BEGIN_DECLS

/* Unknown keys of an edge object, kept for newer Sluices. (nullable) */
JsonObject *_sluice_edge_get_extra (SluiceEdge *self);
void        _sluice_edge_set_extra (SluiceEdge *self,
                                    JsonObject *extra);

G_END_DECLS
