#pragma once

#include "sluice-engine.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_UNAVAILABLE_ENGINE (sluice_unavailable_engine_get_type ())
G_DECLARE_FINAL_TYPE (SluiceUnavailableEngine, sluice_unavailable_engine, SLUICE, UNAVAILABLE_ENGINE, GObject)

/* What a fabric of a kind this build has no engine for runs on: it can do
 * nothing, and every operation says so in words a user can act on ("The
 * Databricks engine is not available in this version."), with
 * SLUICE_ENGINE_ERROR_NOT_SUPPORTED. */
SluiceUnavailableEngine *sluice_unavailable_engine_new (SluiceFabricKind kind);

G_END_DECLS
