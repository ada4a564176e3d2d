#define G_LOG_DOMAIN "sluice-codegen"

#include "config.h"

#include "sluice-code-targets.h"
#include "sluice-sql-generator.h"

/* One target, written on a thread of its own or on the caller's. */
typedef struct
{
  SluiceCodeTargetFlags  target;
  SluicePipeline        *pipeline;
  GListModel            *datasets;   /* owned: the job's own copy (see below) */
  SluiceResolver        *resolver;
  GPtrArray             *problems;   /* owned */
  gpointer               code;       /* owned: a SluicePySparkPackage or the SQL text */
  GThread               *thread;     /* nullable: written on the caller's */
} Job;

/* How many threads may share the work: the processors, or for tests and
 * benchmarks SLUICE_CODEGEN_THREADS. */
static guint
n_threads (void)
{
  const char *forced = g_getenv ("SLUICE_CODEGEN_THREADS");
  guint64 n;

  if (forced && g_ascii_string_to_unsigned (forced, 10, 1, 64, &n, NULL))
    return n;
  return g_get_num_processors ();
}

static gpointer
run_job (gpointer data)
{
  Job *job = data;

  if (job->target == SLUICE_CODE_TARGET_PYSPARK)
    job->code = sluice_pyspark_generate (job->pipeline, job->datasets, job->resolver, job->problems);
  else
    job->code = sluice_sql_generate (job->pipeline, job->datasets, job->resolver,
                                     job->target == SLUICE_CODE_TARGET_SPARK_SQL ? SLUICE_DIALECT_SPARK
                                                                                 : SLUICE_DIALECT_SNOWFLAKE,
                                     job->problems);
  return NULL;
}

/* A list store caches where its last lookup was: two threads asking one
 * store would race on that. The items themselves are only read. */
static GListModel *
copy_datasets (GListModel *datasets)
{
  GListStore *copy = g_list_store_new (SLUICE_TYPE_DATASET);

  for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (datasets, i);
      g_list_store_append (copy, d);
    }
  return G_LIST_MODEL (copy);
}

void
sluice_code_targets_generate (SluiceCodeTargets     *out,
                              SluicePipeline        *pipeline,
                              GListModel            *datasets,
                              SluiceResolver        *resolver,
                              SluiceCodeTargetFlags  targets,
                              GPtrArray             *problems)
{
  /* In the order their problems are reported. */
  const SluiceCodeTargetFlags order[] = {
    SLUICE_CODE_TARGET_PYSPARK, SLUICE_CODE_TARGET_SPARK_SQL, SLUICE_CODE_TARGET_SNOWFLAKE,
  };
  Job jobs[G_N_ELEMENTS (order)];
  guint n = 0, threads;

  g_return_if_fail (out != NULL);
  g_return_if_fail (SLUICE_IS_PIPELINE (pipeline));
  g_return_if_fail (SLUICE_IS_RESOLVER (resolver));
  g_return_if_fail (problems != NULL);

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (targets & order[i])
      jobs[n++] = (Job) { order[i], pipeline, NULL, resolver, g_ptr_array_new_with_free_func (g_free), NULL, NULL };
  if (n == 0)
    return;

  /* The pipeline's gem array is made on first use: made here, before the
   * threads read it; and every gem resolved, so that the threads' questions
   * are answered under the resolver's read lock. */
  sluice_pipeline_peek_gem_array (pipeline);
  sluice_resolver_begin_shared (resolver);
  /* PySpark on a thread of its own, and with three cores or more each SQL
   * dialect too; the rest here. On two cores, three threads sharing them
   * would finish later than PySpark against both SQL dialects (they are
   * of a size). The last job, and any whose thread cannot be made, run on
   * this thread. */
  threads = n_threads ();
  for (guint i = 0; i < n; i++)
    {
      gboolean own = i + 1 < n && threads > 1 && (jobs[i].target == SLUICE_CODE_TARGET_PYSPARK || threads >= 3);

      /* A copy only where threads will share the work. */
      jobs[i].datasets = n > 1 && threads > 1 ? copy_datasets (datasets) : g_object_ref (datasets);
      if (own)
        jobs[i].thread = g_thread_try_new ("sluice-codegen", run_job, &jobs[i], NULL);
    }
  for (guint i = 0; i < n; i++)
    if (jobs[i].thread == NULL)
      run_job (&jobs[i]);
  for (guint i = 0; i < n; i++)
    if (jobs[i].thread != NULL)
      g_thread_join (jobs[i].thread);
  sluice_resolver_end_shared (resolver);

  for (guint i = 0; i < n; i++)
    {
      for (guint k = 0; k < jobs[i].problems->len; k++)
        g_ptr_array_add (problems, g_steal_pointer (&jobs[i].problems->pdata[k]));
      g_ptr_array_unref (jobs[i].problems);
      g_object_unref (jobs[i].datasets);
      if (jobs[i].target == SLUICE_CODE_TARGET_PYSPARK)
        out->pyspark = jobs[i].code;
      else if (jobs[i].target == SLUICE_CODE_TARGET_SPARK_SQL)
        out->spark_sql = jobs[i].code;
      else
        out->snowflake_sql = jobs[i].code;
    }
}

void
sluice_code_targets_clear (SluiceCodeTargets *self)
{
  g_clear_pointer (&self->pyspark, sluice_pyspark_package_free);
  g_clear_pointer (&self->spark_sql, g_free);
  g_clear_pointer (&self->snowflake_sql, g_free);
}
