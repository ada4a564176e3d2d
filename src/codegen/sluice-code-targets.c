#define G_LOG_DOMAIN "sluice-codegen"

#include "config.h"

#include "sluice-code-targets.h"
#include "sluice-sql-generator.h"

typedef struct
{
  SluicePipeline       *pipeline;
  GListModel           *datasets;   /* owned: the thread's own copy (see below) */
  SluiceResolver       *resolver;
  GPtrArray            *problems;   /* owned */
  SluicePySparkPackage *package;
} PySparkJob;

static gpointer
pyspark_thread (gpointer data)
{
  PySparkJob *job = data;

  job->package = sluice_pyspark_generate (job->pipeline, job->datasets, job->resolver, job->problems);
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
  g_autoptr(GPtrArray) sql_problems = g_ptr_array_new_with_free_func (g_free);
  PySparkJob job = { pipeline, NULL, resolver, NULL, NULL };
  GThread *thread = NULL;
  gboolean any_sql = (targets & (SLUICE_CODE_TARGET_SPARK_SQL | SLUICE_CODE_TARGET_SNOWFLAKE)) != 0;

  g_return_if_fail (out != NULL);
  g_return_if_fail (SLUICE_IS_PIPELINE (pipeline));
  g_return_if_fail (SLUICE_IS_RESOLVER (resolver));
  g_return_if_fail (problems != NULL);

  memset (out, 0, sizeof *out);
  /* The pipeline's gem array is made on first use: made here, before the
   * threads read it. */
  sluice_pipeline_peek_gem_array (pipeline);
  sluice_resolver_begin_shared (resolver);
  if (targets & SLUICE_CODE_TARGET_PYSPARK)
    {
      job.datasets = any_sql ? copy_datasets (datasets) : g_object_ref (datasets);
      job.problems = g_ptr_array_new_with_free_func (g_free);
      /* Alone, it needs no thread; and if none can be made, it is written
       * here after the SQL. */
      if (any_sql)
        thread = g_thread_try_new ("sluice-pyspark", pyspark_thread, &job, NULL);
    }
  if (targets & SLUICE_CODE_TARGET_SPARK_SQL)
    out->spark_sql = sluice_sql_generate (pipeline, datasets, resolver, SLUICE_DIALECT_SPARK, sql_problems);
  if (targets & SLUICE_CODE_TARGET_SNOWFLAKE)
    out->snowflake_sql = sluice_sql_generate (pipeline, datasets, resolver, SLUICE_DIALECT_SNOWFLAKE, sql_problems);
  if (thread != NULL)
    g_thread_join (thread);
  else if (targets & SLUICE_CODE_TARGET_PYSPARK)
    pyspark_thread (&job);
  sluice_resolver_end_shared (resolver);

  if (job.problems != NULL)
    {
      for (guint i = 0; i < job.problems->len; i++)
        g_ptr_array_add (problems, g_steal_pointer (&job.problems->pdata[i]));
      g_ptr_array_unref (job.problems);
    }
  for (guint i = 0; i < sql_problems->len; i++)
    g_ptr_array_add (problems, g_steal_pointer (&sql_problems->pdata[i]));
  g_clear_object (&job.datasets);
  out->pyspark = job.package;
}

void
sluice_code_targets_clear (SluiceCodeTargets *self)
{
  g_clear_pointer (&self->pyspark, sluice_pyspark_package_free);
  g_clear_pointer (&self->spark_sql, g_free);
  g_clear_pointer (&self->snowflake_sql, g_free);
}
