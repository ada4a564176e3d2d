/* sluice-local-plan.h: what the local engine's worker thread runs, built on
 * the main thread from the model so that the worker sees only plain data. */
#pragma once

#include "sluice-core.h"
#include "sluice-resolver.h"
#include "sluice-run.h"

G_BEGIN_DECLS

typedef struct
{
  char          *gem_id;
  char          *sql;           /* Target: NULL */
  GArray        *columns;       /* SluiceColumn (names owned): what the resolver says it gives */
  SluiceDataset *dataset;       /* Source only: the sample to load first (immutable once loaded) */
  /* Target only */
  char          *input_gem;
  char          *output_path;   /* absolute */
  char          *output_format; /* "csv" or "jsonl" */
  JsonObject    *output_options;
} SluiceLocalStep;

typedef struct
{
  char          *project_dir;   /* absolute */
  guint          n_datasets;    /* samples to load, each once */
  GArray        *steps;         /* SluiceLocalStep, in run order */
  guint          sample_limit;
} SluiceLocalPlan;

/* Builds the plan of @run, or fails with SLUICE_ENGINE_ERROR_PIPELINE after
 * adding every problem that keeps it from running to the run. */
SluiceLocalPlan *sluice_local_plan_new  (SluiceRun        *run,
                                         GError          **error);
void             sluice_local_plan_free (SluiceLocalPlan  *plan);
/* (transfer full): the gem ids, in run order */
GStrv            sluice_local_plan_gems (SluiceLocalPlan  *plan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceLocalPlan, sluice_local_plan_free)

G_END_DECLS
