/* The SQL of each gem type: the body of its CTE. */
#define G_LOG_DOMAIN "sluice-sql-generator"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-codegen-private.h"
#include "sluice-sql-generator.h"
#include "sluice-sql-writer.h"

typedef SluiceSqlGen Gen;

static void
problem (Gen        *g,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Gen        *g,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (g->problems, g_strdup_printf ("gem “%s”: %s", sluice_gem_get_id (g->gem), message));
}

static char *
q (Gen        *g,
   const char *name)
{
  return sluice_sql_quote_identifier (g->dialect, name);
}

/* "db.schema.table" → each part quoted. */
static char *
table_name (Gen        *g,
            const char *location)
{
  g_auto(GStrv) parts = g_strsplit (location, ".", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *part = q (g, parts[i]);
      g_string_append_printf (out, "%s%s", i ? "." : "", part);
    }
  return g_string_free (out, FALSE);
}

static const char *
qualifier_as_is (const char *qualifier,
                 gpointer    user_data)
{
  return qualifier;
}

/* Appends an expression of the current gem in the dialect, from the tree
 * the resolver parsed; NULL (and a problem) if it cannot be written. */
static void
append_tree (Gen        *g,
             GString    *out,
             const char *text,
             SluiceExpr *e,
             gboolean    qualified,
             const char *aggregate_filter,
             const char *window)
{
  g_autoptr(GError) error = NULL;

  if (e == NULL)
    {
      problem (g, _("the expression “%s” does not parse"), text ? text : "");
      _sluice_append (out, "NULL");
    }
  else if (aggregate_filter == NULL && window == NULL && g->frame == NULL
           ? !_sluice_codegen_append_sql (out, e, g->dialect, qualified, &error)
           : !sluice_sql_append_expr (out, e, g->dialect, qualified ? qualifier_as_is : NULL, NULL,
                                      aggregate_filter, window, g->frame, &error))
    {
      problem (g, "%s", error->message);
      _sluice_append (out, "NULL");
    }
}

static void
append_expr (Gen        *g,
             GString    *out,
             const char *text,
             gboolean    qualified,
             const char *aggregate_filter,
             const char *window)
{
  append_tree (g, out, text, text ? _sluice_codegen_expr (g->resolver, g->gem, text) : NULL,
               qualified, aggregate_filter, window);
}

static char *
expr_sql (Gen        *g,
          const char *text,
          gboolean    qualified,
          const char *aggregate_filter,
          const char *window)
{
  GString *out = g_string_new (NULL);

  append_expr (g, out, text, qualified, aggregate_filter, window);
  return g_string_free (out, FALSE);
}

/* A SchemaTransform's added column: the SQL NULL (and a problem) if it
 * cannot be written. */
static char *
added_column_sql (const char *text,
                  gpointer    user_data)
{
  return expr_sql (user_data, text, FALSE, NULL, NULL);
}

/* The gem feeding input @port of the current gem. */
static const char *
input_gem (Gen        *g,
           const char *port)
{
  GPtrArray *edges = sluice_pipeline_peek_edges_of (g->pipeline, sluice_gem_get_id (g->gem), SLUICE_PORT_INPUT);

  for (guint i = 0; edges && i < edges->len; i++)
    if (g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (edges, i)), port))
      return sluice_edge_get_from_gem (g_ptr_array_index (edges, i));
  return NULL;
}

/* The CTE (quoted) feeding input @port of the current gem. */
static void
append_input_cte (Gen        *g,
                  GString    *out,
                  const char *port)
{
  const char *from = input_gem (g, port);
  sluice_sql_append_identifier (out, g->dialect, from ? from : "missing_input");
}

static char *
input_cte (Gen        *g,
           const char *port)
{
  GString *out = g_string_new (NULL);

  append_input_cte (g, out, port);
  return g_string_free (out, FALSE);
}

static char *
column_list (Gen    *g,
             GArray *schema)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; schema && i < schema->len; i++)
    {
      g_autofree char *c = q (g, g_array_index (schema, SluiceColumn, i).name);
      g_string_append_printf (out, "%s%s", i ? ", " : "", c);
    }
  return g_string_free (out, FALSE);
}

static GArray *
schema_of_input (Gen        *g,
                 const char *port)
{
  const char *from = input_gem (g, port);
  return from ? sluice_resolver_get_schema (g->resolver, from) : NULL;
}

/* The list @key of named expressions ("expr AS name, …"), as the resolver
 * read and parsed it. */
static void
named_list (Gen        *g,
            GString    *out,
            const char *key,
            gboolean    qualified,
            const char *aggregate_filter,
            const char *window,
            const char *indent)
{
  guint n = 0;
  const SluiceNamedExpr *items = sluice_resolver_get_named_exprs (g->resolver, sluice_gem_get_id (g->gem), key, &n);

  for (guint i = 0; i < n; i++)
    {
      if (i)
        {
          g_string_append_c (out, ',');
          _sluice_append (out, indent);
        }
      append_tree (g, out, items[i].text, items[i].expr, qualified, aggregate_filter, window);
      _sluice_append (out, " AS ");
      sluice_sql_append_identifier (out, g->dialect, items[i].name ? items[i].name : "");
    }
}

static char *
order_keys (Gen       *g,
            JsonArray *keys,
            gboolean   reverse)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; keys && i < json_array_get_length (keys); i++)
    {
      JsonObject *o = _sluice_config_record (keys, i);
      g_autofree char *sql = expr_sql (g, _sluice_config_str (o, "expression"), FALSE, NULL, NULL);
      gboolean desc = g_strcmp0 (_sluice_config_str (o, "direction"), "desc") == 0;
      const char *nulls = _sluice_config_str (o, "nulls");

      /* Reversing an order reverses where its nulls go, too. */
      if (reverse && nulls)
        nulls = g_str_equal (nulls, "first") ? "last" : g_str_equal (nulls, "last") ? "first" : nulls;
      g_string_append_printf (out, "%s%s %s", i ? ", " : "", sql, (desc != reverse) ? "DESC" : "ASC");
      if (g_strcmp0 (nulls, "first") == 0)
        _sluice_append (out, " NULLS FIRST");
      else if (g_strcmp0 (nulls, "last") == 0)
        _sluice_append (out, " NULLS LAST");
    }
  return g_string_free (out, FALSE);
}

static SluiceDataset *
dataset_named (Gen        *g,
               const char *name)
{
  for (guint i = 0; name && i < g_list_model_get_n_items (g->datasets); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (g->datasets, i);
      if (g_str_equal (sluice_dataset_get_name (d), name))
        return d; /* the model keeps it alive */
    }
  return NULL;
}

/* An unqualified table named like a gem would read that gem's CTE: the
 * gem, first in file order, whose id is @location but for case. */
static const char *
gem_named_like (Gen        *g,
                const char *location)
{
  g_autofree char *folded = g_ascii_strdown (location, -1);

  if (g->lower_ids == NULL)
    {
      GListModel *gems = sluice_pipeline_get_gems (g->pipeline);

      g->lower_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) other = g_list_model_get_item (gems, i);
          char *key = g_ascii_strdown (sluice_gem_get_id (other), -1);

          if (g_hash_table_contains (g->lower_ids, key))
            g_free (key);
          else
            g_hash_table_insert (g->lower_ids, key, (gpointer) sluice_gem_get_id (other));
        }
    }
  return g_hash_table_lookup (g->lower_ids, folded);
}

void
_sluice_sql_gen_clear (SluiceSqlGen *g)
{
  g_clear_pointer (&g->lower_ids, g_hash_table_unref);
}

/* The body of the current gem's CTE. */
void
_sluice_sql_write_body (Gen     *g,
                        GString *out)
{
  SluiceGem *gem = g->gem;
  const char *type = sluice_gem_get_type_name (gem);
  const char *in0_gem = input_gem (g, "in0");
  const char *in0_name = in0_gem ? in0_gem : "missing_input";
  /* Quoted once for the gems that print it; Filter and Reformat (most of
   * any pipeline) write it straight into @out. */
  gboolean direct = g_str_equal (type, "Filter") || g_str_equal (type, "Reformat");
  g_autofree char *in0 = direct ? NULL : q (g, in0_name);

  if (g_str_equal (type, "Source"))
    {
      SluiceDataset *d = dataset_named (g, sluice_gem_get_config_string (gem, "dataset"));
      const char *location = d ? sluice_dataset_get_location (d) : "";
      const char *format = d ? sluice_dataset_get_format (d) : "table";
      gboolean is_path = strchr (location, '/') != NULL;

      if (g->dialect == SLUICE_DIALECT_SQLITE)
        {
          /* The local engine loads each dataset's sample into a table of its name
           * in the main database; qualified, so a gem named like it (a CTE) does
           * not shadow it. */
          g_autofree char *table = q (g, d ? sluice_dataset_get_name (d) : "");
          g_string_append_printf (out, "SELECT * FROM \"main\".%s", table);
        }
      else if (is_path && g->dialect == SLUICE_DIALECT_SPARK &&
          (g_str_equal (format, "csv") || g_str_equal (format, "jsonl") || g_str_equal (format, "parquet") ||
           g_str_equal (format, "delta")))
        {
          g_autofree char *path = q (g, location);
          g_string_append_printf (out, "SELECT * FROM %s.%s", g_str_equal (format, "jsonl") ? "json" : format, path);
        }
      else if (is_path)
        {
          problem (g, _("%s reads tables, and dataset “%s” is a %s file at %s"), sluice_dialect_name (g->dialect),
                   d ? sluice_dataset_get_name (d) : "", format, location);
          _sluice_append (out, "SELECT NULL");
        }
      else
        {
          g_autofree char *table = table_name (g, location);
          const char *other = strchr (location, '.') ? NULL : gem_named_like (g, location);

          if (other)
            problem (g, _("the table “%s” has the name of the gem “%s”: qualify the location of dataset "
                          "“%s” (database.%s)"), location, other, d ? sluice_dataset_get_name (d) : "", location);
          g_string_append_printf (out, "SELECT * FROM %s", table);
        }
    }
  else if (g_str_equal (type, "Filter"))
    {
      _sluice_append (out, "SELECT * FROM ");
      sluice_sql_append_identifier (out, g->dialect, in0_name);
      _sluice_append (out, " WHERE ");
      append_expr (g, out, sluice_gem_get_config_string (gem, "condition"), FALSE, NULL, NULL);
    }
  else if (g_str_equal (type, "Reformat"))
    {
      _sluice_append (out, "SELECT\n    ");
      named_list (g, out, "columns", FALSE, NULL, NULL, "\n    ");
      _sluice_append (out, "\n  FROM ");
      sluice_sql_append_identifier (out, g->dialect, in0_name);
    }
  else if (g_str_equal (type, "Join"))
    {
      JsonArray *joins = _sluice_config_records (gem, "joins");
      JsonArray *columns = _sluice_config_records (gem, "columns");
      g_autoptr(GString) where = g_string_new (NULL);
      g_autofree char *alias0 = q (g, "in0");

      _sluice_append (out, "SELECT\n    ");
      if (columns && json_array_get_length (columns) > 0)
        named_list (g, out, "columns", TRUE, NULL, NULL, "\n    ");
      else
        {
          g_string_append_printf (out, "%s.*", alias0);
          for (guint i = 0; joins && i < json_array_get_length (joins); i++)
            {
              const char *jt = _sluice_config_str (_sluice_config_record (joins, i), "type");
              g_autofree char *alias = q (g, _sluice_config_str (_sluice_config_record (joins, i), "input") ? _sluice_config_str (_sluice_config_record (joins, i), "input") : "");
              if (g_strcmp0 (jt, "semi") != 0 && g_strcmp0 (jt, "anti") != 0)
                g_string_append_printf (out, ", %s.*", alias);
            }
        }
      g_string_append_printf (out, "\n  FROM %s AS %s", in0, alias0);
      for (guint i = 0; joins && i < json_array_get_length (joins); i++)
        {
          JsonObject *o = _sluice_config_record (joins, i);
          const char *port = _sluice_config_str (o, "input") ? _sluice_config_str (o, "input") : "";
          const char *jt = _sluice_config_str (o, "type") ? _sluice_config_str (o, "type") : "inner";
          g_autofree char *cte = input_cte (g, port);
          g_autofree char *alias = q (g, port);
          g_autofree char *cond = expr_sql (g, _sluice_config_str (o, "condition"), TRUE, NULL, NULL);

          /* Semi and anti joins as EXISTS: the same in both dialects. */
          if (g_str_equal (jt, "semi") || g_str_equal (jt, "anti"))
            g_string_append_printf (where, "%s%sEXISTS (SELECT 1 FROM %s AS %s WHERE %s)",
                                    where->len ? "\n    AND " : "", g_str_equal (jt, "anti") ? "NOT " : "",
                                    cte, alias, cond);
          else
            g_string_append_printf (out, "\n  %s JOIN %s AS %s ON %s",
                                    g_str_equal (jt, "left") ? "LEFT" : g_str_equal (jt, "right") ? "RIGHT"
                                    : g_str_equal (jt, "full") ? "FULL OUTER" : "INNER", cte, alias, cond);
        }
      if (where->len)
        g_string_append_printf (out, "\n  WHERE %s", where->str);
    }
  else if (g_str_equal (type, "Aggregate"))
    {
      JsonArray *group = _sluice_config_records (gem, "group_by");
      JsonArray *aggregates = _sluice_config_records (gem, "aggregates");
      const char *pivot = sluice_gem_get_config_string (gem, "pivot_column");
      JsonNode *values = sluice_gem_get_config (gem, "pivot_values");

      _sluice_append (out, "SELECT\n    ");
      named_list (g, out, "group_by", FALSE, NULL, NULL, "\n    ");
      if (pivot && values && JSON_NODE_HOLDS_ARRAY (values))
        {
          /* Pivot as conditional aggregation: portable, and columns named by value. */
          JsonArray *v = json_node_get_array (values);
          g_autofree char *pivot_col = q (g, pivot);
          gboolean first = group == NULL || json_array_get_length (group) == 0;

          for (guint i = 0; i < json_array_get_length (v); i++)
            {
              const char *value = json_array_get_string_element (v, i);
              g_autofree char *literal = sluice_sql_quote_string (g->dialect, value ? value : "");
              g_autofree char *filter = g_strdup_printf ("%s = %s", pivot_col, literal);

              for (guint a = 0; aggregates && a < json_array_get_length (aggregates); a++)
                {
                  JsonObject *o = _sluice_config_record (aggregates, a);
                  g_autofree char *sql = expr_sql (g, _sluice_config_str (o, "expression"), FALSE, filter, NULL);
                  g_autofree char *name = json_array_get_length (aggregates) == 1
                                          ? g_strdup (value) : g_strdup_printf ("%s_%s", value, _sluice_config_str (o, "name"));
                  g_autofree char *qname = q (g, name);
                  g_string_append_printf (out, "%s%s AS %s", first ? "" : ",\n    ", sql, qname);
                  first = FALSE;
                }
            }
        }
      else
        {
          if (group && json_array_get_length (group) > 0)
            _sluice_append (out, ",\n    ");
          named_list (g, out, "aggregates", FALSE, NULL, NULL, "\n    ");
        }
      g_string_append_printf (out, "\n  FROM %s", in0);
      if (group && json_array_get_length (group) > 0)
        {
          _sluice_append (out, "\n  GROUP BY ");
          for (guint i = 0; i < json_array_get_length (group); i++)
            {
              g_autofree char *sql = expr_sql (g, _sluice_config_str (_sluice_config_record (group, i), "expression"), FALSE, NULL, NULL);
              g_string_append_printf (out, "%s%s", i ? ", " : "", sql);
            }
        }
    }
  else if (g_str_equal (type, "OrderBy"))
    {
      g_autofree char *keys = order_keys (g, _sluice_config_records (gem, "keys"), FALSE);
      g_string_append_printf (out, "SELECT * FROM %s ORDER BY %s", in0, keys);
    }
  else if (g_str_equal (type, "Limit"))
    {
      JsonNode *count = sluice_gem_get_config (gem, "count");
      g_string_append_printf (out, "SELECT * FROM %s LIMIT %" G_GINT64_FORMAT, in0,
                              count && JSON_NODE_HOLDS_VALUE (count) ? json_node_get_int (count) : 0);
    }
  else if (g_str_equal (type, "Deduplicate"))
    {
      const char *mode = sluice_gem_get_config_string (gem, "mode");

      if (mode == NULL || g_str_equal (mode, "distinct"))
        g_string_append_printf (out, "SELECT DISTINCT * FROM %s", in0);
      else
        {
          JsonNode *keys = sluice_gem_get_config (gem, "keys");
          g_autofree char *order = order_keys (g, _sluice_config_records (gem, "order"), g_str_equal (mode, "last"));
          g_autofree char *columns = column_list (g, schema_of_input (g, "in0"));
          g_autofree char *rn = q (g, "_sluice_row");
          g_autoptr(GString) over = g_string_new (NULL);

          for (guint i = 0; keys && JSON_NODE_HOLDS_ARRAY (keys) && i < json_array_get_length (json_node_get_array (keys)); i++)
            {
              g_autofree char *c = q (g, json_array_get_string_element (json_node_get_array (keys), i));
              g_string_append_printf (over, "%s%s", i ? ", " : "PARTITION BY ", c);
            }
          if (*order)
            g_string_append_printf (over, "%sORDER BY %s", over->len ? " " : "", order);
          /* Keep one row per key: the first by the order ("last" reverses it). */
          g_string_append_printf (out, "SELECT %s\n  FROM (\n    SELECT *, row_number() OVER (%s) AS %s FROM %s\n  )\n  WHERE %s = 1",
                                  columns, over->str, rn, in0, rn);
        }
    }
  else if (g_str_equal (type, "SetOperation"))
    {
      const char *op = sluice_gem_get_config_string (gem, "operation");
      const char *by = sluice_gem_get_config_string (gem, "by");
      GListModel *inputs = sluice_gem_get_inputs (gem);
      g_autofree char *columns = g_strcmp0 (by, "position") == 0 ? g_strdup ("*")
                                 : column_list (g, sluice_resolver_get_schema (g->resolver, sluice_gem_get_id (gem)));
      const char *keyword = g_strcmp0 (op, "union") == 0 ? "UNION" : g_strcmp0 (op, "intersect") == 0 ? "INTERSECT"
                          : g_strcmp0 (op, "except") == 0 ? "EXCEPT" : "UNION ALL";

      for (guint i = 0; i < g_list_model_get_n_items (inputs); i++)
        {
          g_autoptr(SluicePort) port = g_list_model_get_item (inputs, i);
          g_autofree char *cte = input_cte (g, sluice_port_get_name (port));

          if (i > 0)
            g_string_append_printf (out, "\n  %s\n  ", keyword);
          g_string_append_printf (out, "SELECT %s FROM %s", columns, cte);
        }
    }
  else if (g_str_equal (type, "SchemaTransform"))
    {
      GArray *input = schema_of_input (g, "in0");
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);

      _sluice_codegen_schema_transform (g->dialect, input, _sluice_config_records (gem, "operations"),
                                        added_column_sql, g, names, sqls);
      _sluice_append (out, "SELECT\n    ");
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *name = q (g, g_ptr_array_index (names, i));
          g_string_append_printf (out, "%s%s AS %s", i ? ",\n    " : "", (char *) g_ptr_array_index (sqls, i), name);
        }
      g_string_append_printf (out, "\n  FROM %s", in0);
    }
  else if (g_str_equal (type, "Window"))
    {
      JsonNode *partition = sluice_gem_get_config (gem, "partition_by");
      g_autofree char *order = order_keys (g, _sluice_config_records (gem, "order_by"), FALSE);
      g_autofree char *frame = sluice_sql_window_frame (sluice_gem_get_config_string (gem, "frame"),
                                                        sluice_gem_get_config_string (gem, "frame_start"),
                                                        sluice_gem_get_config_string (gem, "frame_end"));
      GString *window = g_string_new (NULL);

      for (guint i = 0; partition && JSON_NODE_HOLDS_ARRAY (partition) && i < json_array_get_length (json_node_get_array (partition)); i++)
        {
          g_autofree char *c = q (g, json_array_get_string_element (json_node_get_array (partition), i));
          g_string_append_printf (window, "%s%s", i ? ", " : "PARTITION BY ", c);
        }
      if (*order)
        g_string_append_printf (window, "%sORDER BY %s", window->len ? " " : "", order);
      g_string_append_printf (out, "SELECT\n    *,\n    ");
      g->frame = frame;
      named_list (g, out, "columns", FALSE, NULL, window->str, "\n    ");
      g->frame = NULL;
      g_string_append_printf (out, "\n  FROM %s", in0);
      g_string_free (window, TRUE);
    }
  else if (g_str_equal (type, "SQLStatement"))
    {
      GListModel *inputs = sluice_gem_get_inputs (gem);
      const char *sql = sluice_gem_get_config_string (gem, "sql");
      g_autofree char *trimmed = g_strstrip (g_strdup (sql ? sql : ""));
      gboolean has_with = g_ascii_strncasecmp (trimmed, "WITH", 4) == 0 && g_ascii_isspace (trimmed[4]);
      const char *rest = has_with ? g_strchug (trimmed + 4) : trimmed;
      gboolean recursive = has_with && g_ascii_strncasecmp (rest, "RECURSIVE", 9) == 0 && g_ascii_isspace (rest[9]);
      guint named = 0;

      if (recursive)
        rest = g_strchug ((char *) rest + 9);
      /* The statement names its inputs by port: give it those names, unless
       * the input already has it (an alias of itself would be circular). */
      for (guint i = 0; i < g_list_model_get_n_items (inputs); i++)
        {
          g_autoptr(SluicePort) port = g_list_model_get_item (inputs, i);
          g_autofree char *cte = input_cte (g, sluice_port_get_name (port));
          g_autofree char *name = q (g, sluice_port_get_name (port));

          if (g_ascii_strcasecmp (cte, name) == 0)
            continue;
          g_string_append_printf (out, "%s%s AS (SELECT * FROM %s)", named++ ? ", " : recursive ? "WITH RECURSIVE " : "WITH ",
                                  name, cte);
        }
      if (named == 0)
        g_string_append_printf (out, "%s%s", has_with ? (recursive ? "WITH RECURSIVE " : "WITH ") : "", rest);
      else
        g_string_append_printf (out, "%s\n  %s", has_with ? "," : "", rest);
    }
  else if (g_str_equal (type, "Script"))
    {
      problem (g, _("a Script gem is PySpark code, which %s cannot run"), sluice_dialect_name (g->dialect));
      _sluice_append (out, "SELECT NULL");
    }
  else
    {
      problem (g, _("unknown gem type “%s”"), type);
      _sluice_append (out, "SELECT NULL");
    }
}


gboolean
_sluice_sql_write_target_head (Gen       *g,
                               GString   *out,
                               SluiceGem *target)
{
  SluiceDialect dialect = g->dialect;
  SluiceDataset *d;
  const char *mode;
  g_autofree char *table = NULL;

  g->gem = target;
  d = dataset_named (g, sluice_gem_get_config_string (target, "dataset"));
  mode = sluice_gem_get_config_string (target, "mode");
  table = table_name (g, d ? sluice_dataset_get_location (d) : "unknown");

  g_string_append_printf (out, "\n-- %s: ", sluice_gem_get_id (target));
  _sluice_codegen_append_comment (out, sluice_gem_get_label (target));
  g_string_append_c (out, '\n');
  if (d && strchr (sluice_dataset_get_location (d), '/'))
    {
      /* A file location: Spark overwrites a directory; nothing else is expressible. */
      const char *format = sluice_dataset_get_format (d);
      if (dialect == SLUICE_DIALECT_SPARK && (mode == NULL || g_str_equal (mode, "overwrite")) &&
          !g_str_equal (format, "table") && !g_str_equal (format, "snowflake_table"))
        {
          g_autofree char *path = sluice_sql_quote_string (dialect, sluice_dataset_get_location (d));
          g_string_append_printf (out, "INSERT OVERWRITE DIRECTORY %s USING %s\n", path,
                                  g_str_equal (format, "jsonl") ? "json" : format);
        }
      else
        {
          problem (g, _("%s cannot write mode “%s” to the file location %s of dataset “%s”"),
                   sluice_dialect_name (dialect), mode ? mode : "overwrite",
                   sluice_dataset_get_location (d), sluice_dataset_get_name (d));
          return FALSE;
        }
    }
  else if (mode == NULL || g_str_equal (mode, "overwrite"))
    g_string_append_printf (out, dialect == SLUICE_DIALECT_SPARK ? "INSERT OVERWRITE TABLE %s\n"
                                                                 : "INSERT OVERWRITE INTO %s\n", table);
  else if (g_str_equal (mode, "append"))
    g_string_append_printf (out, "INSERT INTO %s\n", table);
  else if (g_str_equal (mode, "ignore"))
    g_string_append_printf (out, "CREATE TABLE IF NOT EXISTS %s AS\n", table);
  else
    g_string_append_printf (out, "CREATE TABLE %s AS\n", table);
  return TRUE;
}
