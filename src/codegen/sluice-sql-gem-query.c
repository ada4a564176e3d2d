#define G_LOG_DOMAIN "sluice-sql-generator"

#include "config.h"

#include "sluice-codegen-private.h"
#include "sluice-sql-generator.h"
#include "sluice-sql-writer.h"

/* What the remote SQL engines (Databricks SQL, Snowflake) run for each gem
 * of an interactive run: the gems in the order the generated file computes
 * them, and per gem the file's own chain of CTEs ending in a SELECT of that
 * gem, so a sample shows exactly what the generated code computes. */

GStrv
sluice_sql_run_order (SluicePipeline *pipeline,
                      const char     *until_gem)
{
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);

  chain = _sluice_codegen_order (pipeline, until_gem, TRUE);
  for (guint i = 0; i < chain->len; i++)
    g_strv_builder_add (b, sluice_gem_get_id (g_ptr_array_index (chain, i)));
  return g_strv_builder_end (b);
}

char *
sluice_sql_generate_select (SluicePipeline *pipeline,
                            GListModel     *datasets,
                            SluiceResolver *resolver,
                            SluiceDialect   dialect,
                            const char     *gem_id,
                            GPtrArray      *problems)
{
  SluiceSqlGen g = { pipeline, datasets, resolver, dialect, problems, NULL, NULL, NULL };
  SluiceGem *gem;
  g_autoptr(GPtrArray) chain = NULL;
  guint before;
  GString *out;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  before = problems->len;
  gem = sluice_pipeline_find_gem (pipeline, gem_id);
  g_return_val_if_fail (gem != NULL, NULL);

  /* A Target shows what flows into it. */
  if (g_str_equal (sluice_gem_get_type_name (gem), "Target"))
    {
      GPtrArray *in = sluice_pipeline_peek_edges_of (pipeline, gem_id, SLUICE_PORT_INPUT);
      if (in == NULL || in->len == 0)
        return NULL;
      gem = sluice_pipeline_find_gem (pipeline, sluice_edge_get_from_gem (g_ptr_array_index (in, 0)));
      if (gem == NULL)
        return NULL;
    }
  chain = _sluice_codegen_order (pipeline, sluice_gem_get_id (gem), TRUE);
  out = g_string_new (NULL);
  for (guint k = 0; k < chain->len; k++)
    {
      _sluice_append (out, k == 0 ? "WITH " : ",\n");
      _sluice_sql_write_cte (&g, out, g_ptr_array_index (chain, k));
    }
  _sluice_append (out, "\nSELECT * FROM ");
  sluice_sql_append_identifier (out, dialect, sluice_gem_get_id (gem));
  _sluice_sql_gen_clear (&g);
  if (problems->len > before)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}
