#pragma once

#include <glib-object.h>

#include "sluice-engines-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_COMPUTE (sluice_compute_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCompute, sluice_compute, SLUICE, COMPUTE, GObject)

/* Something a fabric runs on: a cluster, a SQL warehouse, a Livy server, a
 * Snowflake warehouse, or this computer. @state is the engine's own word for
 * it (RUNNING, TERMINATED, STARTED…), shown as it is. */
SluiceCompute *sluice_compute_new       (const char    *id,
                                         const char    *name,
                                         const char    *state);
const char    *sluice_compute_get_id    (SluiceCompute *self);
const char    *sluice_compute_get_name  (SluiceCompute *self);
const char    *sluice_compute_get_state (SluiceCompute *self);

G_END_DECLS
