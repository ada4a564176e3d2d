#define G_LOG_DOMAIN "sluice-pyspark-generator"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-codegen-private.h"
#include "sluice-pyspark-generator.h"
#include "sluice-sql-writer.h"

typedef SluicePySparkGen Gen;

/* Sorted (strcmp), for bsearch: every gem's id is looked up. */
static const char * const python_keywords[] = {
  "F", "False", "None", "True", "Window", "and", "as", "assert", "async", "await", "break", "class",
  "continue", "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if",
  "import", "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "spark", "try",
  "while", "with", "yield",
};

static int
compare_keyword (const void *key,
                 const void *item)
{
  return strcmp (key, *(const char * const *) item);
}

static gboolean
is_keyword (const char *name)
{
  /* Keywords are letters only: a name with a digit or an underscore (as
   * nearly every gem id and port has) is none, without a search. */
  for (const char *p = name; *p; p++)
    if (!g_ascii_isalpha (*p))
      return FALSE;
  return bsearch (name, python_keywords, G_N_ELEMENTS (python_keywords), sizeof (char *), compare_keyword) != NULL;
}

/* Ids and port names are identifiers already; keywords (and our own names)
 * get a trailing underscore. */
static char *
py_name (const char *name)
{
  return is_keyword (name) ? g_strconcat (name, "_", NULL) : g_strdup (name);
}

static void
append_py_name (GString    *out,
                const char *name)
{
  _sluice_append (out, name);
  if (is_keyword (name))
    g_string_append_c (out, '_');
}

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

static const char *
qualifier_as_is (const char *qualifier,
                 gpointer    user_data)
{
  return qualifier;
}

/* Appends F.expr('…') for a Spark SQL expression of the current gem, from
 * the tree the resolver parsed. */
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
  GString *sql = g->scratch;
  const char *literal;
  gboolean plain;
  gsize at, len = 0;

  if (e == NULL)
    {
      problem (g, _("the expression “%s” does not parse"), text ? text : "");
      _sluice_append (out, "F.lit(None)");
      return;
    }
  plain = aggregate_filter == NULL && window == NULL && g->frame == NULL;
  /* The Spark SQL, quoted once per tree. */
  if (plain && (literal = sluice_expr_get_memo (e, _sluice_codegen_python_memo (qualified), &len)))
    {
      _sluice_append (out, "F.expr(");
      _sluice_append_len (out, literal, len);
      g_string_append_c (out, ')');
      return;
    }
  g_string_truncate (sql, 0);
  /* Not through the Spark SQL target's memo: that generator may be writing
   * it on another thread (sluice_codegen_generate()); this tree's Python
   * literal is kept below, so it is rendered once here too. */
  if (!sluice_sql_append_expr (sql, e, SLUICE_DIALECT_SPARK, qualified ? qualifier_as_is : NULL, NULL,
                               aggregate_filter, window, g->frame, &error))
    {
      problem (g, "%s", error->message);
      _sluice_append (out, "F.lit(None)");
      return;
    }
  _sluice_append (out, "F.expr(");
  at = out->len;
  sluice_python_append_string (out, sql->str);
  if (plain)
    sluice_expr_set_memo (e, _sluice_codegen_python_memo (qualified), out->str + at, out->len - at);
  g_string_append_c (out, ')');
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
expr (Gen        *g,
      const char *text,
      gboolean    qualified,
      const char *aggregate_filter,
      const char *window)
{
  GString *out = g_string_new (NULL);

  append_expr (g, out, text, qualified, aggregate_filter, window);
  return g_string_free (out, FALSE);
}

/* Spark SQL for an expression, or NULL: for keys that have no problem of
 * their own here (the resolver reports them). */
static char *
spark_sql (Gen        *g,
           const char *text)
{
  SluiceExpr *e = _sluice_codegen_expr (g->resolver, g->gem, text ? text : "");
  return e ? sluice_sql_write_expr (e, SLUICE_DIALECT_SPARK, NULL, NULL, NULL) : NULL;
}

/* A SchemaTransform's added column: NULL where it does not parse (the
 * resolver reports that). */
static char *
added_column_sql (const char *text,
                  gpointer    user_data)
{
  char *sql = spark_sql (user_data, text);
  return sql ? sql : g_strdup ("NULL");
}

static char *
pq (const char *s)
{
  return sluice_python_quote_string (s ? s : "");
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

/* Sort keys as Column expressions with their direction. */
static char *
sort_columns (Gen       *g,
              JsonArray *keys,
              gboolean   reverse)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; keys && i < json_array_get_length (keys); i++)
    {
      JsonObject *o = _sluice_config_record (keys, i);
      g_autofree char *e = expr (g, _sluice_config_str (o, "expression"), FALSE, NULL, NULL);
      gboolean desc = (g_strcmp0 (_sluice_config_str (o, "direction"), "desc") == 0) != reverse;
      const char *nulls = _sluice_config_str (o, "nulls");
      const char *suffix;

      /* Reversing an order reverses where its nulls go, too. */
      if (reverse && nulls)
        nulls = g_str_equal (nulls, "first") ? "last" : g_str_equal (nulls, "last") ? "first" : nulls;
      suffix = g_strcmp0 (nulls, "first") == 0 ? "_nulls_first" : g_strcmp0 (nulls, "last") == 0 ? "_nulls_last" : "";

      g_string_append_printf (out, "%s%s.%s%s()", i ? ", " : "", e, desc ? "desc" : "asc", suffix);
    }
  return g_string_free (out, FALSE);
}

/* The list @key of named expressions as aliased columns, as the resolver
 * read and parsed it. */
static void
append_named_columns (Gen        *g,
                      GString    *out,
                      const char *key,
                      gboolean    qualified,
                      const char *aggregate_filter,
                      const char *window)
{
  guint n = 0;
  const SluiceNamedExpr *items = sluice_resolver_get_named_exprs (g->resolver, sluice_gem_get_id (g->gem), key, &n);

  for (guint i = 0; i < n; i++)
    {
      _sluice_append (out, "\n        ");
      append_tree (g, out, items[i].text, items[i].expr, qualified, aggregate_filter, window);
      _sluice_append (out, ".alias(");
      sluice_python_append_string (out, items[i].name ? items[i].name : "");
      _sluice_append (out, "),");
    }
}

static char *
named_columns (Gen        *g,
               const char *key,
               gboolean    qualified,
               const char *aggregate_filter,
               const char *window)
{
  GString *out = g_string_new (NULL);

  append_named_columns (g, out, key, qualified, aggregate_filter, window);
  return g_string_free (out, FALSE);
}

/* Appends the body of the gem's function (after "def id(spark, …):"). */
static void
append_function_body (Gen         *g,
                      GString     *out,
                      const char **imports_window)
{
  SluiceGem *gem = g->gem;
  const char *type = sluice_gem_get_type_name (gem);

  if (g_str_equal (type, "Source"))
    {
      SluiceDataset *d = dataset_named (g, sluice_gem_get_config_string (gem, "dataset"));
      const char *location = d ? sluice_dataset_get_location (d) : "";
      const char *format = d ? sluice_dataset_get_format (d) : "table";
      g_autofree char *loc = pq (location);

      if (strchr (location, '/') && !g_str_equal (format, "table") && !g_str_equal (format, "snowflake_table"))
        {
          JsonObject *options = d ? sluice_dataset_get_options (d) : NULL;
          JsonObjectIter iter;
          const char *key;
          JsonNode *value;

          g_autofree char *fmt = pq (g_str_equal (format, "jsonl") ? "json" : format);

          g_string_append_printf (out, "    reader = spark.read.format(%s)\n", fmt);
          if (options)
            {
              json_object_iter_init_ordered (&iter, options);
              while (json_object_iter_next_ordered (&iter, &key, &value))
                if (JSON_NODE_HOLDS_VALUE (value))
                  {
                    g_autofree char *k = pq (g_str_equal (key, "delimiter") ? "sep" : g_str_equal (key, "null_value") ? "nullValue"
                                             : g_str_equal (key, "date_format") ? "dateFormat"
                                             : g_str_equal (key, "timestamp_format") ? "timestampFormat" : key);
                    g_autofree char *v = json_node_get_value_type (value) == G_TYPE_BOOLEAN
                                         ? g_strdup (json_node_get_boolean (value) ? "'true'" : "'false'")
                                         : json_node_get_value_type (value) == G_TYPE_STRING ? pq (json_node_get_string (value))
                                         : g_strdup_printf ("'%" G_GINT64_FORMAT "'", json_node_get_int (value));
                    g_string_append_printf (out, "    reader = reader.option(%s, %s)\n", k, v);
                  }
            }
          g_string_append_printf (out, "    return reader.load(%s)\n", loc);
        }
      else
        g_string_append_printf (out, "    return spark.read.table(%s)\n", loc);
    }
  else if (g_str_equal (type, "Target"))
    {
      SluiceDataset *d = dataset_named (g, sluice_gem_get_config_string (gem, "dataset"));
      const char *location = d ? sluice_dataset_get_location (d) : "";
      const char *mode = sluice_gem_get_config_string (gem, "mode");
      const char *format = d ? sluice_dataset_get_format (d) : "table";
      g_autofree char *loc = pq (location);
      g_autofree char *m = pq (mode == NULL ? "overwrite" : g_str_equal (mode, "error_if_exists") ? "error" : mode);

      if (strchr (location, '/') && !g_str_equal (format, "table"))
        {
          g_autofree char *fmt = pq (g_str_equal (format, "jsonl") ? "json" : format);
          g_string_append_printf (out, "    in0.write.mode(%s).format(%s).save(%s)\n", m, fmt, loc);
        }
      else
        g_string_append_printf (out, "    in0.write.mode(%s).saveAsTable(%s)\n", m, loc);
    }
  else if (g_str_equal (type, "Filter"))
    {
      _sluice_append (out, "    return in0.where(");
      append_expr (g, out, sluice_gem_get_config_string (gem, "condition"), FALSE, NULL, NULL);
      _sluice_append (out, ")\n");
    }
  else if (g_str_equal (type, "Reformat"))
    {
      _sluice_append (out, "    return in0.select(");
      append_named_columns (g, out, "columns", FALSE, NULL, NULL);
      _sluice_append (out, "\n    )\n");
    }
  else if (g_str_equal (type, "Join"))
    {
      JsonArray *joins = _sluice_config_records (gem, "joins");
      JsonArray *columns = _sluice_config_records (gem, "columns");

      _sluice_append (out, "    joined = in0.alias('in0')\n");
      for (guint i = 0; joins && i < json_array_get_length (joins); i++)
        {
          JsonObject *o = _sluice_config_record (joins, i);
          const char *jt = _sluice_config_str (o, "type") ? _sluice_config_str (o, "type") : "inner";
          g_autofree char *port = py_name (_sluice_config_str (o, "input") ? _sluice_config_str (o, "input") : "in1");
          g_autofree char *alias = pq (_sluice_config_str (o, "input"));
          g_autofree char *cond = expr (g, _sluice_config_str (o, "condition"), TRUE, NULL, NULL);
          const char *how = g_str_equal (jt, "full") ? "full" : g_str_equal (jt, "semi") ? "left_semi"
                          : g_str_equal (jt, "anti") ? "left_anti" : jt;

          g_string_append_printf (out, "    joined = joined.join(%s.alias(%s), %s, '%s')\n", port, alias, cond, how);
        }
      if (columns && json_array_get_length (columns) > 0)
        {
          g_autofree char *cols = named_columns (g, "columns", TRUE, NULL, NULL);
          g_string_append_printf (out, "    return joined.select(%s\n    )\n", cols);
        }
      else
        {
          _sluice_append (out, "    return joined.select('in0.*'");
          for (guint i = 0; joins && i < json_array_get_length (joins); i++)
            {
              const char *jt = _sluice_config_str (_sluice_config_record (joins, i), "type");
              g_autofree char *star = g_strdup_printf ("%s.*", _sluice_config_str (_sluice_config_record (joins, i), "input") ? _sluice_config_str (_sluice_config_record (joins, i), "input") : "");
              g_autofree char *quoted = pq (star);
              if (g_strcmp0 (jt, "semi") != 0 && g_strcmp0 (jt, "anti") != 0)
                g_string_append_printf (out, ", %s", quoted);
            }
          _sluice_append (out, ")\n");
        }
    }
  else if (g_str_equal (type, "Aggregate"))
    {
      JsonArray *group = _sluice_config_records (gem, "group_by");
      const char *pivot = sluice_gem_get_config_string (gem, "pivot_column");
      JsonNode *values = sluice_gem_get_config (gem, "pivot_values");
      g_autofree char *keys = named_columns (g, "group_by", FALSE, NULL, NULL);
      GString *aggs = g_string_new (NULL);

      if (pivot && values && JSON_NODE_HOLDS_ARRAY (values))
        {
          /* Pivot as conditional aggregation, like the SQL, with columns named by value. */
          JsonArray *v = json_node_get_array (values);
          JsonArray *aggregates = _sluice_config_records (gem, "aggregates");
          g_autofree char *pivot_col = sluice_sql_quote_identifier (SLUICE_DIALECT_SPARK, pivot);

          for (guint i = 0; i < json_array_get_length (v); i++)
            {
              const char *value = json_array_get_string_element (v, i);
              g_autofree char *literal = sluice_sql_quote_string (SLUICE_DIALECT_SPARK, value ? value : "");
              g_autofree char *filter = g_strdup_printf ("%s = %s", pivot_col, literal);

              for (guint a = 0; aggregates && a < json_array_get_length (aggregates); a++)
                {
                  JsonObject *o = _sluice_config_record (aggregates, a);
                  g_autofree char *e = expr (g, _sluice_config_str (o, "expression"), FALSE, filter, NULL);
                  g_autofree char *name = json_array_get_length (aggregates) == 1
                                          ? g_strdup (value) : g_strdup_printf ("%s_%s", value, _sluice_config_str (o, "name"));
                  g_autofree char *qname = pq (name);
                  g_string_append_printf (aggs, "\n        %s.alias(%s),", e, qname);
                }
            }
        }
      else
        {
          g_autofree char *cols = named_columns (g, "aggregates", FALSE, NULL, NULL);
          _sluice_append (aggs, cols);
        }
      if (group && json_array_get_length (group) > 0)
        g_string_append_printf (out, "    return in0.groupBy(%s\n    ).agg(%s\n    )\n", keys, aggs->str);
      else
        g_string_append_printf (out, "    return in0.agg(%s\n    )\n", aggs->str);
      g_string_free (aggs, TRUE);
    }
  else if (g_str_equal (type, "OrderBy"))
    {
      g_autofree char *keys = sort_columns (g, _sluice_config_records (gem, "keys"), FALSE);
      g_string_append_printf (out, "    return in0.orderBy(%s)\n", keys);
    }
  else if (g_str_equal (type, "Limit"))
    {
      JsonNode *count = sluice_gem_get_config (gem, "count");
      g_string_append_printf (out, "    return in0.limit(%" G_GINT64_FORMAT ")\n",
                              count && JSON_NODE_HOLDS_VALUE (count) ? json_node_get_int (count) : 0);
    }
  else if (g_str_equal (type, "Deduplicate"))
    {
      const char *mode = sluice_gem_get_config_string (gem, "mode");

      if (mode == NULL || g_str_equal (mode, "distinct"))
        _sluice_append (out, "    return in0.distinct()\n");
      else
        {
          JsonNode *keys = sluice_gem_get_config (gem, "keys");
          g_autofree char *order = sort_columns (g, _sluice_config_records (gem, "order"), g_str_equal (mode, "last"));
          GString *partition = g_string_new (NULL);

          *imports_window = "from pyspark.sql import Window\n";
          for (guint i = 0; keys && JSON_NODE_HOLDS_ARRAY (keys) && i < json_array_get_length (json_node_get_array (keys)); i++)
            {
              g_autofree char *c = pq (json_array_get_string_element (json_node_get_array (keys), i));
              g_string_append_printf (partition, "%s%s", i ? ", " : "", c);
            }
          g_string_append_printf (out, "    window = Window.partitionBy(%s)%s%s%s\n", partition->str,
                                  *order ? ".orderBy(" : "", order, *order ? ")" : "");
          _sluice_append (out, "    numbered = in0.withColumn('_sluice_row', F.row_number().over(window))\n"
                         "    return numbered.where(F.col('_sluice_row') == 1).drop('_sluice_row')\n");
          g_string_free (partition, TRUE);
        }
    }
  else if (g_str_equal (type, "SetOperation"))
    {
      const char *op = sluice_gem_get_config_string (gem, "operation");
      gboolean by_position = g_strcmp0 (sluice_gem_get_config_string (gem, "by"), "position") == 0;
      const char * const *inputs = sluice_gem_peek_input_names (gem);

      _sluice_append (out, "    result = in0\n");
      for (guint i = 1; inputs[0] && inputs[i]; i++)
        {
          g_autofree char *name = py_name (inputs[i]);
          g_autofree char *other = by_position ? g_strdup (name)
                                   : g_strdup_printf ("%s.select(*in0.columns)", name);

          if (g_strcmp0 (op, "intersect") == 0)
            g_string_append_printf (out, "    result = result.intersect(%s)\n", other);
          else if (g_strcmp0 (op, "except") == 0)
            g_string_append_printf (out, "    result = result.subtract(%s)\n", other);
          else
            g_string_append_printf (out, "    result = result.union(%s)\n", other);
        }
      if (g_strcmp0 (op, "union") == 0)
        _sluice_append (out, "    return result.distinct()\n");
      else
        _sluice_append (out, "    return result\n");
    }
  else if (g_str_equal (type, "SchemaTransform"))
    {
      GPtrArray *in_edges = sluice_pipeline_peek_edges_of (g->pipeline, sluice_gem_get_id (gem), SLUICE_PORT_INPUT);
      GArray *input = in_edges ? sluice_resolver_get_schema (g->resolver, sluice_edge_get_from_gem (g_ptr_array_index (in_edges, 0))) : NULL;
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);

      _sluice_codegen_schema_transform (SLUICE_DIALECT_SPARK, input, _sluice_config_records (gem, "operations"),
                                        added_column_sql, g, names, sqls);
      /* One select, never a chain of withColumn: Spark's plan stays flat. */
      _sluice_append (out, "    return in0.select(");
      for (guint i = 0; i < names->len; i++)
        {
          g_autofree char *e = pq (g_ptr_array_index (sqls, i));
          g_autofree char *n = pq (g_ptr_array_index (names, i));
          g_string_append_printf (out, "\n        F.expr(%s).alias(%s),", e, n);
        }
      _sluice_append (out, "\n    )\n");
    }
  else if (g_str_equal (type, "Window"))
    {
      JsonNode *partition = sluice_gem_get_config (gem, "partition_by");
      g_autofree char *order = NULL;
      GString *window = g_string_new (NULL);
      g_autofree char *cols = NULL;
      g_autofree char *frame = sluice_sql_window_frame (sluice_gem_get_config_string (gem, "frame"),
                                                        sluice_gem_get_config_string (gem, "frame_start"),
                                                        sluice_gem_get_config_string (gem, "frame_end"));

      for (guint i = 0; partition && JSON_NODE_HOLDS_ARRAY (partition) && i < json_array_get_length (json_node_get_array (partition)); i++)
        {
          g_autofree char *c = sluice_sql_quote_identifier (SLUICE_DIALECT_SPARK, json_array_get_string_element (json_node_get_array (partition), i));
          g_string_append_printf (window, "%s%s", i ? ", " : "PARTITION BY ", c);
        }
      {
        JsonArray *keys = _sluice_config_records (gem, "order_by");
        GString *o = g_string_new (NULL);
        for (guint i = 0; keys && i < json_array_get_length (keys); i++)
          {
            JsonObject *k = _sluice_config_record (keys, i);
            g_autofree char *sql = spark_sql (g, _sluice_config_str (k, "expression"));
            const char *nulls = _sluice_config_str (k, "nulls");
            g_string_append_printf (o, "%s%s %s%s", i ? ", " : "", sql ? sql : "NULL",
                                    g_strcmp0 (_sluice_config_str (k, "direction"), "desc") == 0 ? "DESC" : "ASC",
                                    g_strcmp0 (nulls, "first") == 0 ? " NULLS FIRST"
                                    : g_strcmp0 (nulls, "last") == 0 ? " NULLS LAST" : "");
          }
        order = g_string_free (o, FALSE);
      }
      if (*order)
        g_string_append_printf (window, "%sORDER BY %s", window->len ? " " : "", order);
      g->frame = frame;
      cols = named_columns (g, "columns", FALSE, NULL, window->str);
      g->frame = NULL;
      g_string_append_printf (out, "    return in0.select('*',%s\n    )\n", cols);
      g_string_free (window, TRUE);
    }
  else if (g_str_equal (type, "SQLStatement"))
    {
      const char * const *inputs = sluice_gem_peek_input_names (gem);
      g_autofree char *sql = pq (sluice_gem_get_config_string (gem, "sql"));

      for (guint i = 0; inputs[i]; i++)
        {
          g_autofree char *var = py_name (inputs[i]);
          g_autofree char *view = pq (inputs[i]);
          g_string_append_printf (out, "    %s.createOrReplaceTempView(%s)\n", var, view);
        }
      g_string_append_printf (out, "    return spark.sql(%s)\n", sql);
    }
  else if (g_str_equal (type, "Script"))
    {
      /* The gem's code sees its inputs by name and leaves its result in `out`. */
      const char *code = sluice_gem_get_config_string (gem, "code");
      g_auto(GStrv) lines = g_strsplit (code ? code : "", "\n", -1);

      for (guint i = 0; lines[i]; i++)
        g_string_append_printf (out, "    %s\n", lines[i]);
      _sluice_append (out, "    return out\n");
    }
  else
    {
      problem (g, _("unknown gem type “%s”"), type);
      _sluice_append (out, "    raise NotImplementedError('unknown gem type')\n");
    }
}

void
_sluice_pyspark_write_gem (Gen       *g,
                           SluiceGem *gem,
                           GString   *path,
                           GString   *module,
                           GString   *import_line,
                           GString   *run_line)
{
  const char *id = sluice_gem_get_id (gem);
  g_autofree char *fn = py_name (id);
  const char *window_import = "";
  g_autoptr(GString) own_body = NULL;
  GString *body = g->body;
  GPtrArray *in_edges = sluice_pipeline_peek_edges_of (g->pipeline, id, SLUICE_PORT_INPUT);
  const char * const *ports = sluice_gem_peek_input_names (gem);
  gboolean is_target = g_str_equal (sluice_gem_get_type_name (gem), "Target");

  g->gem = gem;
  if (body == NULL)
    body = own_body = g_string_new (NULL);
  else
    g_string_truncate (body, 0);
  append_function_body (g, body, &window_import);

  _sluice_append (path, g->package);
  _sluice_append (path, "/gems/");
  _sluice_append (path, fn);
  _sluice_append (path, ".py");

  _sluice_append (module, g->header);
  _sluice_append (module, "# Gem ");
  _sluice_append (module, id);
  _sluice_append (module, ": ");
  _sluice_codegen_append_comment (module, sluice_gem_get_label (gem));
  _sluice_append (module, " (");
  _sluice_append (module, sluice_gem_get_type_name (gem));
  _sluice_append (module, ")\nfrom pyspark.sql import functions as F\n");
  _sluice_append (module, window_import);
  _sluice_append (module, "\n\ndef ");
  _sluice_append (module, fn);
  _sluice_append (module, "(spark");

  _sluice_append (import_line, "from ");
  _sluice_append (import_line, g->package);
  _sluice_append (import_line, ".gems.");
  _sluice_append (import_line, fn);
  _sluice_append (import_line, " import ");
  _sluice_append (import_line, fn);
  g_string_append_c (import_line, '\n');

  _sluice_append (run_line, "    ");
  if (!is_target)
    {
      _sluice_append (run_line, fn);
      _sluice_append (run_line, "_out = ");
    }
  _sluice_append (run_line, fn);
  _sluice_append (run_line, "(spark");
  for (guint p = 0; ports[p]; p++)
    {
      const char *from = NULL;

      for (guint k = 0; in_edges && k < in_edges->len; k++)
        if (g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (in_edges, k)), ports[p]))
          from = sluice_edge_get_from_gem (g_ptr_array_index (in_edges, k));
      _sluice_append (module, ", ");
      append_py_name (module, ports[p]);
      if (from)
        {
          _sluice_append (run_line, ", ");
          append_py_name (run_line, from);
          _sluice_append (run_line, "_out");
        }
      else
        _sluice_append (run_line, ", None");
    }
  _sluice_append (module, "):\n");
  g_string_append_len (module, body->str, body->len);
  _sluice_append (run_line, ")\n");
}

void
_sluice_pyspark_add_fixed_files (Gen        *g,
                                 GHashTable *files)
{
  const char *name = sluice_pipeline_get_name (g->pipeline);

  g_hash_table_insert (files, g_strdup ("pyproject.toml"),
                       g_strdup_printf ("# Written by Sluice from %s; edit the pipeline, not this file.\n"
                                        "[build-system]\n"
                                        "requires = [\"setuptools>=61\"]\n"
                                        "build-backend = \"setuptools.build_meta\"\n"
                                        "\n"
                                        "[project]\n"
                                        "name = \"%s\"\n"
                                        "version = \"0.0.0\"\n"
                                        "description = \"The Sluice pipeline %s\"\n"
                                        "requires-python = \">=3.8\"\n"
                                        "# pyspark comes with the cluster; it is the only import.\n"
                                        "dependencies = []\n"
                                        "\n"
                                        "[project.scripts]\n"
                                        "%s = \"%s.pipeline:main\"\n"
                                        "\n"
                                        "[tool.setuptools]\n"
                                        "packages = [\"%s\", \"%s.gems\"]\n",
                                        sluice_pipeline_get_file (g->pipeline), name, name, name, g->package,
                                        g->package, g->package));
  g_hash_table_insert (files, g_strdup_printf ("%s/__init__.py", g->package), g_strdup (g->header));
  g_hash_table_insert (files, g_strdup_printf ("%s/gems/__init__.py", g->package), g_strdup (g->header));
}

void
_sluice_pyspark_append_pipeline_py (Gen        *g,
                                    GString    *out,
                                    const char *imports,
                                    const char *run)
{
  const char *name = sluice_pipeline_get_name (g->pipeline);
  GString *description = g_string_new (NULL);
  g_autofree char *quoted_name = pq (name);
  g_autofree char *quoted_description = NULL;

  /* Appended piece by piece: the imports and run() of a large pipeline are
   * hundreds of kilobytes, not for printf. */
  _sluice_codegen_append_comment (description, sluice_pipeline_get_description (g->pipeline));
  quoted_description = pq (description->str);
  g_string_append_printf (out, "%s# Pipeline %s%s%s\n"
                               "import argparse\n"
                               "import os\n"
                               "import sys\n"
                               "\n"
                               "from pyspark.sql import SparkSession\n"
                               "\n"
                               "if not __package__:\n"
                               "    # Run as a file (spark-submit, a Databricks spark_python_task):\n"
                               "    # the package is importable from the folder that holds it.\n"
                               "    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))\n"
                               "\n", g->header, name, description->len ? ": " : "", description->str);
  _sluice_append (out, imports);
  _sluice_append (out, "\n\n"
                       "def run(spark):\n");
  _sluice_append (out, *run ? run : "    pass\n");
  g_string_append_printf (out, "\n\n"
                          "def main(argv=None):\n"
                          "    parser = argparse.ArgumentParser(description=%s)\n"
                          "    parser.add_argument('--app-name', default=%s)\n"
                          "    parser.add_argument('--conf', action='append', default=[], metavar='KEY=VALUE',\n"
                          "                        help='a Spark configuration setting')\n"
                          "    args = parser.parse_args(argv)\n"
                          "    builder = SparkSession.builder.appName(args.app_name)\n"
                          "    for setting in args.conf:\n"
                          "        key, _, value = setting.partition('=')\n"
                          "        builder = builder.config(key, value)\n"
                          "    run(builder.getOrCreate())\n"
                          "\n\n"
                          "if __name__ == '__main__':\n"
                          "    main()\n",
                          quoted_description, quoted_name);
  g_string_free (description, TRUE);
}

typedef struct
{
  gsize path;       /* offsets in SluicePySparkPackage.data */
  gsize contents;
  gsize len;        /* of the contents */
} PackageFile;

struct _SluicePySparkPackage
{
  GString *data;    /* owned: every path and contents, each with its NUL */
  GArray  *files;   /* PackageFile, in the order written */
  GArray  *sorted;  /* guint, nullable: @files by path, made on first use */
};

static void
package_add (SluicePySparkPackage *self,
             const char           *path,
             gsize                 path_len,
             const char           *contents,
             gsize                 len)
{
  PackageFile f;

  f.path = self->data->len;
  _sluice_append_len (self->data, path, path_len);
  g_string_append_c (self->data, '\0');
  f.contents = self->data->len;
  f.len = len;
  _sluice_append_len (self->data, contents, len);
  g_string_append_c (self->data, '\0');
  g_array_append_val (self->files, f);
}

static int
compare_files (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  SluicePySparkPackage *self = user_data;
  const PackageFile *x = &g_array_index (self->files, PackageFile, *(const guint *) a);
  const PackageFile *y = &g_array_index (self->files, PackageFile, *(const guint *) b);

  return strcmp (self->data->str + x->path, self->data->str + y->path);
}

/* Files by path; of two with one path (a gem whose module is named like a
 * fixed file), the one written last, as a table of paths would keep. */
static GArray *
package_sorted (SluicePySparkPackage *self)
{
  GArray *all;

  if (self->sorted)
    return self->sorted;
  all = g_array_sized_new (FALSE, FALSE, sizeof (guint), self->files->len);
  for (guint i = 0; i < self->files->len; i++)
    g_array_append_val (all, i);
  /* Stable: equal paths stay in the order written. */
  g_qsort_with_data (all->data, all->len, sizeof (guint), compare_files, self);
  self->sorted = g_array_sized_new (FALSE, FALSE, sizeof (guint), all->len);
  for (guint i = 0; i < all->len; i++)
    if (i + 1 == all->len || compare_files (&g_array_index (all, guint, i), &g_array_index (all, guint, i + 1), self) != 0)
      g_array_append_val (self->sorted, g_array_index (all, guint, i));
  g_array_unref (all);
  return self->sorted;
}

void
sluice_pyspark_package_free (SluicePySparkPackage *self)
{
  if (self == NULL)
    return;
  g_string_free (self->data, TRUE);
  g_array_unref (self->files);
  g_clear_pointer (&self->sorted, g_array_unref);
  g_free (self);
}

guint
sluice_pyspark_package_get_n_files (SluicePySparkPackage *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return package_sorted (self)->len;
}

const char *
sluice_pyspark_package_get_path (SluicePySparkPackage *self,
                                 guint                 i)
{
  GArray *sorted;

  g_return_val_if_fail (self != NULL, NULL);
  sorted = package_sorted (self);
  g_return_val_if_fail (i < sorted->len, NULL);
  return self->data->str + g_array_index (self->files, PackageFile, g_array_index (sorted, guint, i)).path;
}

const char *
sluice_pyspark_package_get_contents (SluicePySparkPackage *self,
                                     guint                 i,
                                     gsize                *len)
{
  GArray *sorted;
  PackageFile *f;

  g_return_val_if_fail (self != NULL, NULL);
  sorted = package_sorted (self);
  g_return_val_if_fail (i < sorted->len, NULL);
  f = &g_array_index (self->files, PackageFile, g_array_index (sorted, guint, i));
  if (len)
    *len = f->len;
  return self->data->str + f->contents;
}

const char *
sluice_pyspark_package_lookup (SluicePySparkPackage *self,
                               const char           *path)
{
  GArray *sorted;
  guint lo = 0, hi;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  sorted = package_sorted (self);
  hi = sorted->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      PackageFile *f = &g_array_index (self->files, PackageFile, g_array_index (sorted, guint, mid));
      int c = strcmp (path, self->data->str + f->path);

      if (c == 0)
        return self->data->str + f->contents;
      if (c < 0)
        hi = mid;
      else
        lo = mid + 1;
    }
  return NULL;
}

void
_sluice_pyspark_gen_init (SluicePySparkGen *g,
                          SluicePipeline   *pipeline,
                          GListModel       *datasets,
                          SluiceResolver   *resolver,
                          GPtrArray        *problems,
                          GString          *scratch,
                          GString          *body)
{
  *g = (Gen) { pipeline, datasets, resolver, problems, NULL, NULL, NULL, NULL, scratch, body };
  g->package = py_name (sluice_pipeline_get_name (pipeline));
  g->header = g_strdup_printf ("# Written by Sluice from %s; edit the pipeline, not this file.\n",
                               sluice_pipeline_get_file (pipeline));
}

void
_sluice_pyspark_gen_clear (SluicePySparkGen *g)
{
  g_free ((char *) g->package);
  g_free ((char *) g->header);
  g->package = g->header = NULL;
}

SluicePySparkPackage *
sluice_pyspark_generate (SluicePipeline *pipeline,
                         GListModel     *datasets,
                         SluiceResolver *resolver,
                         GPtrArray      *problems)
{
  return _sluice_pyspark_generate_with (pipeline, datasets, resolver, problems, NULL, NULL);
}

SluicePySparkPackage *
_sluice_pyspark_generate_with (SluicePipeline    *pipeline,
                               GListModel        *datasets,
                               SluiceResolver    *resolver,
                               GPtrArray         *problems,
                               SluiceCodePieceFn  pieces,
                               gpointer           data)
{
  g_autoptr(GHashTable) fixed = NULL;
  g_autofree char *pipeline_py = NULL;
  g_autoptr(GPtrArray) order = NULL;
  g_autoptr(GString) imports = NULL;
  g_autoptr(GString) run = NULL;
  g_autoptr(GString) path = NULL;
  g_autoptr(GString) module = NULL;
  g_autoptr(GString) scratch = NULL;
  g_autoptr(GString) body = NULL;
  SluicePySparkPackage *package;
  GHashTableIter iter;
  gpointer key, value;
  Gen g;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);

  order = _sluice_codegen_order (pipeline, NULL, FALSE);
  scratch = g_string_new (NULL);
  body = g_string_new (NULL);
  _sluice_pyspark_gen_init (&g, pipeline, datasets, resolver, problems, scratch, body);
  package = g_new0 (SluicePySparkPackage, 1);
  /* Room for a typical module per gem: the buffer grows a few times, not
   * twenty. */
  package->data = g_string_sized_new (4096 + order->len * 384);
  package->files = g_array_sized_new (FALSE, FALSE, sizeof (PackageFile), order->len + 4);
  /* A line of each per gem. */
  imports = g_string_sized_new (256 + order->len * 64);
  run = g_string_sized_new (256 + order->len * 64);
  path = g_string_new (NULL);
  module = g_string_new (NULL);

  fixed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  _sluice_pyspark_add_fixed_files (&g, fixed);
  g_hash_table_iter_init (&iter, fixed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    package_add (package, key, strlen (key), value, strlen (value));
  for (guint i = 0; i < order->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (order, i);
      SluiceCodePiece piece;

      if (pieces && pieces (data, SLUICE_CODE_SLOT_PYSPARK, i, gem, &piece))
        {
          package_add (package, piece.path, piece.path_len, piece.text, piece.len);
          _sluice_append_len (imports, piece.import_line, piece.import_len);
          _sluice_append_len (run, piece.run_line, piece.run_len);
          for (guint k = 0; k < piece.n_problems; k++)
            g_ptr_array_add (problems, g_strdup (piece.problems[k]));
          continue;
        }
      g_string_truncate (path, 0);
      g_string_truncate (module, 0);
      _sluice_pyspark_write_gem (&g, gem, path, module, imports, run);
      package_add (package, path->str, path->len, module->str, module->len);
    }
  g_string_truncate (module, 0);
  _sluice_pyspark_append_pipeline_py (&g, module, imports->str, run->str);
  pipeline_py = g_strdup_printf ("%s/pipeline.py", g.package);
  package_add (package, pipeline_py, strlen (pipeline_py), module->str, module->len);
  _sluice_pyspark_gen_clear (&g);
  return package;
}

/* The name the package of @pipeline gets, and the first line of its files:
 * what every module depends on besides its gem. */
char *
_sluice_pyspark_package_name (SluicePipeline *pipeline)
{
  return py_name (sluice_pipeline_get_name (pipeline));
}

/* A name as the generated code spells it (a keyword gets an underscore):
 * what the interactive driver calls a gem's function and output. */
char *
_sluice_pyspark_py_name (const char *name)
{
  return py_name (name);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

GPtrArray *
sluice_pyspark_paths (GHashTable *files)
{
  GPtrArray *paths = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (paths, key);
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}
