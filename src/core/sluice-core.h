/* The core layer's public API: model, file format, undo. GLib-only. */
#pragma once

#include "sluice-core-types.h"
#include "sluice-model-error.h"
#include "sluice-diagnostic.h"
#include "sluice-gem-type.h"
#include "sluice-port.h"
#include "sluice-edge.h"
#include "sluice-gem.h"
#include "sluice-undo-stack.h"
#include "sluice-pipeline.h"
#include "sluice-dataset.h"
#include "sluice-job.h"
#include "sluice-project.h"
#include "sluice-draft-store.h"
