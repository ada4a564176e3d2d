/* What a SchemaTransform gem does to its input's columns, as every target
 * writes it: one list of names and expressions, in the dialect's SQL. */
#define G_LOG_DOMAIN "sluice-codegen"

#include "config.h"

#include "sluice-codegen-private.h"
#include "sluice-sql-writer.h"

void
_sluice_codegen_schema_transform (SluiceDialect        dialect,
                                  GArray              *input,
                                  JsonArray           *ops,
                                  SluiceCodegenExprSql expr_sql,
                                  gpointer             user_data,
                                  GPtrArray           *names,
                                  GPtrArray           *sqls)
{
  for (guint i = 0; input && i < input->len; i++)
    {
      const char *name = g_array_index (input, SluiceColumn, i).name;
      g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_add (sqls, sluice_sql_quote_identifier (dialect, name));
    }
  for (guint i = 0; ops && i < json_array_get_length (ops); i++)
    {
      JsonObject *o = _sluice_config_record (ops, i);
      const char *op = _sluice_config_str (o, "op"), *column = _sluice_config_str (o, "column");
      gint at = -1;

      for (guint k = 0; column && k < names->len; k++)
        if (g_ascii_strcasecmp (g_ptr_array_index (names, k), column) == 0)
          at = k;
      if (g_strcmp0 (op, "add") == 0 && column)
        {
          g_ptr_array_add (names, g_strdup (column));
          g_ptr_array_add (sqls, expr_sql (_sluice_config_str (o, "expression"), user_data));
        }
      else if (at < 0)
        continue;
      else if (g_strcmp0 (op, "drop") == 0)
        {
          g_ptr_array_remove_index (names, at);
          g_ptr_array_remove_index (sqls, at);
        }
      else if (g_strcmp0 (op, "rename") == 0 && _sluice_config_str (o, "new_name"))
        {
          g_free (names->pdata[at]);
          names->pdata[at] = g_strdup (_sluice_config_str (o, "new_name"));
        }
      else if (g_strcmp0 (op, "cast") == 0 && _sluice_config_str (o, "type"))
        {
          /* Cast what the column is by now: it may have been added above. */
          g_autofree char *type_name = sluice_sql_type_name (dialect, _sluice_config_str (o, "type"));
          char *cast = g_strdup_printf ("CAST(%s AS %s)", (char *) g_ptr_array_index (sqls, at), type_name);
          g_free (sqls->pdata[at]);
          sqls->pdata[at] = cast;
        }
    }
}
