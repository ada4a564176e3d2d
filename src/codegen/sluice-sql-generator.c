#define G_LOG_DOMAIN "sluice-sql-generator"

#include "config.h"

#include <string.h>

#include "sluice-codegen-private.h"
#include "sluice-sql-generator.h"
#include "sluice-sql-writer.h"

/* The statements: per Target, its chain of CTEs in dependency order. Each
 * gem's SQL is in sluice-sql-generator-gems.c. */

void
_sluice_sql_write_cte (SluiceSqlGen *g,
                       GString      *out,
                       SluiceGem    *gem)
{
  g->gem = gem;
  sluice_sql_append_identifier (out, g->dialect, sluice_gem_get_id (gem));
  _sluice_append (out, " AS (\n  -- ");
  _sluice_codegen_append_comment (out, sluice_gem_get_label (gem));
  _sluice_append (out, " (");
  _sluice_append (out, sluice_gem_get_type_name (gem));
  _sluice_append (out, ")\n  ");
  _sluice_sql_write_body (g, out);
  _sluice_append (out, "\n)");
}

void
_sluice_sql_write_file_head (SluiceSqlGen *g,
                             GString      *out)
{
  g_string_append_printf (out, "-- %s for the pipeline %s, written by Sluice from %s.\n"
                               "-- Edit the pipeline, not this file: Sluice rewrites it on save.\n",
                          sluice_dialect_name (g->dialect), sluice_pipeline_get_name (g->pipeline),
                          sluice_pipeline_get_file (g->pipeline));
}

/* @pieces (nullable): CTEs written ahead, with their problems. */
static void
write_ctes (SluiceSqlGen      *g,
            GString           *out,
            GPtrArray         *chain,
            SluiceCodePieceFn  pieces,
            gpointer           data)
{
  SluiceCodeSlot slot = g->dialect == SLUICE_DIALECT_SPARK ? SLUICE_CODE_SLOT_SPARK : SLUICE_CODE_SLOT_SNOWFLAKE;

  for (guint k = 0; k < chain->len; k++)
    {
      SluiceGem *gem = g_ptr_array_index (chain, k);
      SluiceCodePiece piece;

      if (k == 0)
        _sluice_append (out, "WITH ");
      if (pieces && pieces (data, slot, k, gem, &piece))
        {
          _sluice_append_len (out, piece.text, piece.len);
          for (guint i = 0; i < piece.n_problems; i++)
            g_ptr_array_add (g->problems, g_strdup (piece.problems[i]));
        }
      else
        _sluice_sql_write_cte (g, out, gem);
      _sluice_append (out, k + 1 < chain->len ? ",\n" : "\n");
    }
}

char *
sluice_sql_generate_query (SluicePipeline *pipeline,
                           GListModel     *datasets,
                           SluiceResolver *resolver,
                           const char     *gem_id,
                           GPtrArray      *problems)
{
  SluiceSqlGen g = { pipeline, datasets, resolver, SLUICE_DIALECT_SQLITE, problems, NULL, NULL, NULL };
  SluiceGem *gem = sluice_pipeline_find_gem (pipeline, gem_id);
  g_autoptr(GPtrArray) chain = NULL;
  guint before = problems->len;
  GString *out;

  g_return_val_if_fail (gem != NULL, NULL);

  /* A Target shows what flows into it. */
  if (g_str_equal (sluice_gem_get_type_name (gem), "Target"))
    {
      GPtrArray *in = sluice_pipeline_peek_edges_of (pipeline, gem_id, SLUICE_PORT_INPUT);
      if (in == NULL)
        return NULL;
      gem = sluice_pipeline_find_gem (pipeline, sluice_edge_get_from_gem (g_ptr_array_index (in, 0)));
      if (gem == NULL)
        return NULL;
    }
  chain = _sluice_codegen_order (pipeline, sluice_gem_get_id (gem), TRUE);
  out = g_string_new (NULL);
  write_ctes (&g, out, chain, NULL, NULL);
  _sluice_append (out, "SELECT * FROM ");
  sluice_sql_append_identifier (out, g.dialect, sluice_gem_get_id (gem));
  _sluice_sql_gen_clear (&g);
  if (problems->len > before)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
sluice_sql_generate_gem_query (SluicePipeline *pipeline,
                               GListModel     *datasets,
                               SluiceResolver *resolver,
                               const char     *gem_id,
                               GPtrArray      *problems)
{
  SluiceSqlGen g = { pipeline, datasets, resolver, SLUICE_DIALECT_SQLITE, problems, NULL, NULL, NULL };
  guint before = problems->len;
  GString *out;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g.gem = sluice_pipeline_find_gem (pipeline, gem_id);
  g_return_val_if_fail (g.gem != NULL, NULL);
  g_return_val_if_fail (!g_str_equal (sluice_gem_get_type_name (g.gem), "Target"), NULL);

  out = g_string_new (NULL);
  _sluice_sql_write_body (&g, out);
  _sluice_sql_gen_clear (&g);
  if (problems->len > before)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

char *
sluice_sql_generate (SluicePipeline *pipeline,
                     GListModel     *datasets,
                     SluiceResolver *resolver,
                     SluiceDialect   dialect,
                     GPtrArray      *problems)
{
  return _sluice_sql_generate_with (pipeline, datasets, resolver, dialect, problems, NULL, NULL);
}

char *
_sluice_sql_generate_with (SluicePipeline    *pipeline,
                           GListModel        *datasets,
                           SluiceResolver    *resolver,
                           SluiceDialect      dialect,
                           GPtrArray         *problems,
                           SluiceCodePieceFn  pieces,
                           gpointer           data)
{
  SluiceSqlGen g = { pipeline, datasets, resolver, dialect, problems, NULL, NULL, NULL };
  GString *out;
  GPtrArray *gems;
  guint targets = 0;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (dialect != SLUICE_DIALECT_SQLITE, NULL);

  gems = sluice_pipeline_peek_gem_array (pipeline);
  /* About a CTE's worth per gem: a large pipeline's file is megabytes,
   * which doubling from nothing copied twice over. */
  out = g_string_sized_new (1024 + gems->len * 256);
  _sluice_sql_write_file_head (&g, out);
  for (guint i = 0; i < gems->len; i++)
    {
      SluiceGem *target = g_ptr_array_index (gems, i);
      g_autoptr(GPtrArray) chain = NULL;
      GPtrArray *in;

      if (!g_str_equal (sluice_gem_get_type_name (target), "Target"))
        continue;
      targets++;
      if (!_sluice_sql_write_target_head (&g, out, target))
        continue;
      chain = _sluice_codegen_order (pipeline, sluice_gem_get_id (target), FALSE);
      write_ctes (&g, out, chain, pieces, data);
      in = sluice_pipeline_peek_edges_of (pipeline, sluice_gem_get_id (target), SLUICE_PORT_INPUT);
      _sluice_append (out, "SELECT * FROM ");
      sluice_sql_append_identifier (out, dialect, in ? sluice_edge_get_from_gem (g_ptr_array_index (in, 0)) : "missing_input");
      _sluice_append (out, ";\n");
    }

  if (targets == 0)
    _sluice_append (out, "\n-- The pipeline has no Target gem, so there is nothing to write.\n");
  _sluice_sql_gen_clear (&g);
  return g_string_free (out, FALSE);
}
