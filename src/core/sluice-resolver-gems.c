#define G_LOG_DOMAIN "sluice-resolver"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-dataset.h"
#include "sluice-diagnostic.h"
#include "sluice-edge.h"
#include "sluice-expr.h"
#include "sluice-gem-private.h"
#include "sluice-gem-type.h"
#include "sluice-json-writer.h"
#include "sluice-pipeline-private.h"
#include "sluice-resolver.h"

#include "sluice-resolver-private.h"

/* What each kind of gem does to the columns it is given: its output schema
 * and the problems of its configuration and expressions. Propagation,
 * caching and invalidation are in sluice-resolver.c. */

static void
column_clear (gpointer data)
{
  g_free (((SluiceColumn *) data)->name);
}

/* With room for @n columns: growing an array a column at a time costs a
 * reallocation per power of two, for every gem. */
static GArray *
schema_sized_new (guint n)
{
  GArray *a = g_array_sized_new (FALSE, TRUE, sizeof (SluiceColumn), n);
  g_array_set_clear_func (a, column_clear);
  return a;
}

static GArray *
schema_new (void)
{
  return schema_sized_new (0);
}

static void
schema_add (GArray        *schema,
            const char    *name,
            SluiceSqlType  type)
{
  SluiceColumn c = { g_strdup (name), type };
  g_array_append_val (schema, c);
}


/* ---- reporting ---- */

void
_sluice_resolver_report (SluiceResolverCtx        *ctx,
        const char *path,
        const char *text,
        gint        offset,
        const char *field,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  g_autofree char *full_path = g_strdup_printf ("gems/%s/%s", sluice_gem_get_id (ctx->gem), path);
  g_autofree char *where = field ? g_strdup_printf ("gem “%s”, %s: ", sluice_gem_get_id (ctx->gem), field)
                                 : g_strdup_printf ("gem “%s”: ", sluice_gem_get_id (ctx->gem));
  g_autofree char *full = NULL;
  SluiceDiagnostic *d;
  guint line = 0, column = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  full = g_strconcat (where, message, NULL);

  _sluice_pipeline_position_of (ctx->self->pipeline, full_path, &line, &column);
  if (line > 0 && text != NULL && offset >= 0)
    {
      /* Offsets count characters of the value; the file holds it escaped. */
      const char *end = g_utf8_offset_to_pointer (text, MIN ((glong) offset, g_utf8_strlen (text, -1)));
      g_autofree char *prefix = g_strndup (text, end - text);
      g_autoptr(GString) escaped = g_string_new (NULL);

      sluice_json_append_string (escaped, prefix);
      column += g_utf8_strlen (escaped->str, -1) - 1;
    }
  d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, sluice_pipeline_get_file (ctx->self->pipeline),
                             line, column, full);
  sluice_diagnostic_set_subject (d, sluice_gem_get_id (ctx->gem), path);
  /* Most gems have no problems: their array is made on the first. */
  if (ctx->result->diagnostics == NULL)
    ctx->result->diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (ctx->result->diagnostics, d);
}

const char *
_sluice_resolver_config_string (SluiceGem  *gem,
               JsonObject *record,
               const char *key)
{
  JsonNode *n;

  /* The gem's own members through its settings: the generators read the
   * same strings (sluice_gem_get_config_string()), and trees are found by
   * their text's address. */
  if (record == NULL)
    return sluice_gem_get_config_string (gem, key);
  n = json_object_get_member (record, key);
  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

/* Where an expression sits, for its problems: either @path and @field (a
 * msgid, N_()) as they are, or (with @key) "config/<key>/<index>/expression"
 * and "<key> “<name>”", translated and formatted only when there is a
 * problem to report. */
typedef struct
{
  const char *path;
  const char *field;
  const char *key;
  guint       index;
  const char *name;
} Place;

static void
report_at (SluiceResolverCtx *ctx,
           const Place       *place,
           const char        *text,
           gint               offset,
           const char        *message)
{
  g_autofree char *path = NULL;
  g_autofree char *field = NULL;

  if (place->key == NULL)
    {
      _sluice_resolver_report (ctx, place->path, text, offset, place->field ? _(place->field) : NULL, "%s", message);
      return;
    }
  path = g_strdup_printf ("config/%s/%u/expression", place->key, place->index);
  field = g_strdup_printf ("%s “%s”", place->key, place->name ? place->name : "?");
  _sluice_resolver_report (ctx, path, text, offset, field, "%s", message);
}

/* Parses and checks one expression; problems land on the gem. */
static SluiceSqlType
check_expression (SluiceResolverCtx     *ctx,
                  const Place           *place,
                  const char            *text,
                  const SluiceExprInput *inputs,
                  guint                  n_inputs,
                  SluiceExprCheckFlags   flags,
                  SluiceExpr           **tree)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceExpr) e = NULL;
  GPtrArray *problems = ctx->self->problems;   /* reused: empty between calls */
  guint start = 0, end = 0;
  SluiceSqlType t;

  if (text == NULL)
    return SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);   /* validation reports missing fields */
  if (!(e = _sluice_resolver_parse (ctx->self, text, &start, &end, &error)))
    {
      _sluice_resolver_keep_expr (ctx->self, ctx->result, text, NULL);
      report_at (ctx, place, text, start, error->message);
      return SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
    }
  _sluice_resolver_keep_expr (ctx->self, ctx->result, text, sluice_expr_ref (e));
  if (tree)
    *tree = sluice_expr_ref (e);
  g_assert (problems->len == 0);
  t = sluice_expr_check (e, inputs, n_inputs, flags, problems);
  for (guint i = 0; i < problems->len; i++)
    {
      SluiceExprProblem *p = g_ptr_array_index (problems, i);
      report_at (ctx, place, text, p->start, p->message);
    }
  g_ptr_array_set_size (problems, 0);
  return t;
}

static SluiceSqlType
expression (SluiceResolverCtx     *ctx,
            const char            *path,
            const char            *field,
            const char            *text,
            const SluiceExprInput *inputs,
            guint                  n_inputs,
            SluiceExprCheckFlags   flags)
{
  Place place = { path, field, NULL, 0, NULL };

  return check_expression (ctx, &place, text, inputs, n_inputs, flags, NULL);
}

/* A gem's view of one input schema, for expressions: the schema's own
 * array, which has the layout of SluiceColumnRef. */
G_STATIC_ASSERT (sizeof (SluiceColumn) == sizeof (SluiceColumnRef));
G_STATIC_ASSERT (G_STRUCT_OFFSET (SluiceColumn, name) == G_STRUCT_OFFSET (SluiceColumnRef, name));
G_STATIC_ASSERT (G_STRUCT_OFFSET (SluiceColumn, type) == G_STRUCT_OFFSET (SluiceColumnRef, type));

typedef struct
{
  SluiceExprInput input;
} Scope;

static void
scope_init (Scope      *scope,
            const char *name,
            GArray     *schema)
{
  scope->input.name = name;
  scope->input.columns = schema ? (const SluiceColumnRef *) schema->data : NULL;
  scope->input.n_columns = schema ? schema->len : 0;
}

gint
_sluice_resolver_find_column (GArray     *schema,
             const char *name)
{
  for (guint i = 0; schema && i < schema->len; i++)
    if (g_ascii_strcasecmp (g_array_index (schema, SluiceColumn, i).name, name) == 0)
      return i;
  return -1;
}

/* Names that differ only in case are one column to Spark. @field is a
 * msgid (N_()), translated only for a problem. */
static void
check_collisions (SluiceResolverCtx        *ctx,
                  GArray     *schema,
                  const char *path,
                  const char *field)
{
  for (guint i = 1; schema && i < schema->len; i++)
    for (guint j = 0; j < i; j++)
      if (g_ascii_strcasecmp (g_array_index (schema, SluiceColumn, i).name,
                              g_array_index (schema, SluiceColumn, j).name) == 0)
        {
          _sluice_resolver_report (ctx, path, NULL, -1, _(field), _("two output columns are named “%s” (names are case-insensitive)"),
                  g_array_index (schema, SluiceColumn, i).name);
          break;
        }
}

/* Named expressions (Reformat columns, aggregates, window columns), read
 * once into the result for code generation too, with their trees. */
static void
named_expressions (SluiceResolverCtx                   *ctx,
                   const char            *key,
                   const SluiceExprInput *inputs,
                   guint                  n_inputs,
                   SluiceExprCheckFlags   flags,
                   GArray                *out)
{
  guint n;
  SluiceNamedExpr *items = _sluice_resolver_named_list (ctx->result, ctx->gem, key, &n);

  for (guint i = 0; items && i < n; i++)
    {
      SluiceNamedExpr *item = &items[i];
      Place place = { NULL, NULL, key, i, item->name };
      SluiceSqlType t;

      /* Not a record, or without an expression: validation reports it. */
      if (item->text == NULL && item->name == NULL)
        continue;
      g_clear_pointer (&item->expr, sluice_expr_unref);
      t = check_expression (ctx, &place, item->text, inputs, n_inputs, flags, &item->expr);
      if (item->name)
        schema_add (out, item->name, t);
    }
  _sluice_resolver_named_list_checked (ctx->result, key);
}

static GArray *copy_schema (GArray *schema)
{
  GArray *copy = schema_sized_new (schema ? schema->len + 1 : 0);
  for (guint i = 0; schema && i < schema->len; i++)
    schema_add (copy, g_array_index (schema, SluiceColumn, i).name, g_array_index (schema, SluiceColumn, i).type);
  return copy;
}

static GArray *
declared_schema (SluiceResolverCtx *ctx)
{
  JsonNode *node = sluice_gem_get_config (ctx->gem, "schema");
  GArray *out;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  out = schema_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *rec = json_array_get_element (json_node_get_array (node), i);
      g_autofree char *path = g_strdup_printf ("config/schema/%u/type", i);
      const char *name, *type;
      SluiceSqlType t = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);

      if (!JSON_NODE_HOLDS_OBJECT (rec))
        continue;
      name = _sluice_resolver_config_string (ctx->gem, json_node_get_object (rec), "name");
      type = _sluice_resolver_config_string (ctx->gem, json_node_get_object (rec), "type");
      if (type && !sluice_sql_type_parse (type, &t))
        _sluice_resolver_report (ctx, path, NULL, -1, _("schema"), _("unknown type “%s”"), type);
      if (name)
        schema_add (out, name, t);
    }
  return out;
}

/* ---- the gems ---- */

GArray *
_sluice_resolver_resolve_gem (SluiceResolverCtx     *ctx,
             GArray **in,
             char   **in_names,
             guint    n_in)
{
  SluiceGem *gem = ctx->gem;
  const char *type = sluice_gem_get_type_name (gem);
  Scope scopes[16] = { { { 0 } } };
  SluiceExprInput inputs[16];
  guint n_scopes = MIN (n_in, 16u);
  GArray *out = NULL;

  for (guint i = 0; i < n_scopes; i++)
    {
      scope_init (&scopes[i], in_names[i], in[i]);
      inputs[i] = scopes[i].input;
    }

  if (g_str_equal (type, "Source"))
    {
      const char *name = _sluice_resolver_config_string (gem, NULL, "dataset");
      for (guint i = 0; name && i < g_list_model_get_n_items (ctx->self->datasets); i++)
        {
          g_autoptr(SluiceDataset) d = g_list_model_get_item (ctx->self->datasets, i);
          if (!g_str_equal (sluice_dataset_get_name (d), name))
            continue;
          out = schema_sized_new (sluice_dataset_get_n_columns (d));
          for (guint k = 0; k < sluice_dataset_get_n_columns (d); k++)
            {
              SluiceSqlType t = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
              sluice_sql_type_parse (sluice_dataset_get_column_type (d, k), &t);
              schema_add (out, sluice_dataset_get_column_name (d, k), t);
            }
        }
    }
  else if (g_str_equal (type, "Filter"))
    {
      const char *text = _sluice_resolver_config_string (gem, NULL, "condition");
      SluiceSqlType t = expression (ctx, "config/condition", N_("condition"), text, inputs, n_scopes, 0);

      if (text && t.kind != SLUICE_SQL_BOOLEAN && t.kind != SLUICE_SQL_UNKNOWN && t.kind != SLUICE_SQL_NULL)
        {
          g_autofree char *got = sluice_sql_type_to_string (t);
          _sluice_resolver_report (ctx, "config/condition", NULL, -1, _("condition"), _("must be true or false, not %s"), got);
        }
      /* The input's columns, unchanged: shared, never copied (no schema
       * is modified once it is a gem's result). */
      out = in[0] ? g_array_ref (in[0]) : schema_new ();
    }
  else if (g_str_equal (type, "Reformat"))
    {
      JsonNode *columns = sluice_gem_get_config (gem, "columns");

      out = schema_sized_new (columns && JSON_NODE_HOLDS_ARRAY (columns) ? json_array_get_length (json_node_get_array (columns)) : 0);
      named_expressions (ctx, "columns", inputs, n_scopes, 0, out);
      check_collisions (ctx, out, "config/columns", N_("columns"));
    }
  else if (g_str_equal (type, "Join"))
    {
      JsonNode *joins = sluice_gem_get_config (gem, "joins");
      JsonNode *columns = sluice_gem_get_config (gem, "columns");
      /* A semi or anti join only filters in0: its other side adds no columns,
       * so output columns cannot name it. */
      SluiceExprInput visible[16];
      gboolean filter_only[16] = { FALSE };

      for (guint i = 0; joins && JSON_NODE_HOLDS_ARRAY (joins) && i < json_array_get_length (json_node_get_array (joins)); i++)
        {
          JsonNode *rec = json_array_get_element (json_node_get_array (joins), i);
          g_autofree char *path = g_strdup_printf ("config/joins/%u/condition", i);
          g_autofree char *input_path = g_strdup_printf ("config/joins/%u/input", i);
          const char *input, *text;
          SluiceSqlType t;

          if (!JSON_NODE_HOLDS_OBJECT (rec))
            continue;
          input = _sluice_resolver_config_string (gem, json_node_get_object (rec), "input");
          text = _sluice_resolver_config_string (gem, json_node_get_object (rec), "condition");
          if (input && !g_strv_contains ((const char * const *) in_names, input))
            _sluice_resolver_report (ctx, input_path, NULL, -1, _("joins"), _("there is no input “%s”"), input);
          else if (input)
            {
              const char *jt = _sluice_resolver_config_string (gem, json_node_get_object (rec), "type");
              for (guint k = 1; k < n_scopes; k++)
                if (g_str_equal (in_names[k], input))
                  filter_only[k] = g_strcmp0 (jt, "semi") == 0 || g_strcmp0 (jt, "anti") == 0;
            }
          t = expression (ctx, path, N_("join condition"), text, inputs, n_scopes, 0);
          if (text && t.kind != SLUICE_SQL_BOOLEAN && t.kind != SLUICE_SQL_UNKNOWN)
            {
              g_autofree char *got = sluice_sql_type_to_string (t);
              _sluice_resolver_report (ctx, path, NULL, -1, _("join condition"), _("must be true or false, not %s"), got);
            }
        }
      out = schema_new ();
      for (guint i = 0; i < n_scopes; i++)
        {
          visible[i] = inputs[i];
          if (filter_only[i])
            visible[i].n_columns = 0;
        }
      if (columns && JSON_NODE_HOLDS_ARRAY (columns) && json_array_get_length (json_node_get_array (columns)) > 0)
        named_expressions (ctx, "columns", visible, n_scopes, 0, out);
      else
        for (guint i = 0; i < n_scopes; i++)
          for (guint k = 0; in[i] && k < in[i]->len; k++)
            if (!filter_only[i])
              schema_add (out, g_array_index (in[i], SluiceColumn, k).name, g_array_index (in[i], SluiceColumn, k).type);
      check_collisions (ctx, out, "config/columns", N_("columns"));
    }
  else if (g_str_equal (type, "Aggregate"))
    {
      const char *pivot = _sluice_resolver_config_string (gem, NULL, "pivot_column");
      JsonNode *values = sluice_gem_get_config (gem, "pivot_values");
      g_autoptr(GArray) aggregates = schema_new ();

      out = schema_new ();
      named_expressions (ctx, "group_by", inputs, n_scopes, 0, out);
      named_expressions (ctx, "aggregates", inputs, n_scopes, SLUICE_EXPR_ALLOW_AGGREGATES, aggregates);
      if (pivot && _sluice_resolver_find_column (in[0], pivot) < 0 && in[0])
        _sluice_resolver_report (ctx, "config/pivot_column", NULL, -1, _("pivot column"), _("unknown column “%s”"), pivot);
      if (pivot && values && JSON_NODE_HOLDS_ARRAY (values))
        {
          /* One column per pivot value (and per aggregate when there are several). */
          JsonArray *v = json_node_get_array (values);
          for (guint i = 0; i < json_array_get_length (v); i++)
            {
              JsonNode *value = json_array_get_element (v, i);
              const char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                                 ? json_node_get_string (value) : NULL;
              for (guint a = 0; text && a < aggregates->len; a++)
                {
                  g_autofree char *name = aggregates->len == 1 ? g_strdup (text)
                    : g_strdup_printf ("%s_%s", text, g_array_index (aggregates, SluiceColumn, a).name);
                  schema_add (out, name, g_array_index (aggregates, SluiceColumn, a).type);
                }
            }
        }
      else
        for (guint a = 0; a < aggregates->len; a++)
          schema_add (out, g_array_index (aggregates, SluiceColumn, a).name, g_array_index (aggregates, SluiceColumn, a).type);
      check_collisions (ctx, out, "config/aggregates", N_("aggregates"));
    }
  else if (g_str_equal (type, "OrderBy") || g_str_equal (type, "Deduplicate"))
    {
      const char *key = g_str_equal (type, "OrderBy") ? "keys" : "order";
      JsonNode *keys = sluice_gem_get_config (gem, key);

      for (guint i = 0; keys && JSON_NODE_HOLDS_ARRAY (keys) && i < json_array_get_length (json_node_get_array (keys)); i++)
        {
          JsonNode *rec = json_array_get_element (json_node_get_array (keys), i);
          g_autofree char *path = g_strdup_printf ("config/%s/%u/expression", key, i);
          if (JSON_NODE_HOLDS_OBJECT (rec))
            expression (ctx, path, N_("sort key"), _sluice_resolver_config_string (gem, json_node_get_object (rec), "expression"),
                        inputs, n_scopes, 0);
        }
      if (g_str_equal (type, "Deduplicate"))
        {
          JsonNode *cols = sluice_gem_get_config (gem, "keys");
          for (guint i = 0; cols && JSON_NODE_HOLDS_ARRAY (cols) && i < json_array_get_length (json_node_get_array (cols)); i++)
            {
              JsonNode *c = json_array_get_element (json_node_get_array (cols), i);
              g_autofree char *path = g_strdup_printf ("config/keys/%u", i);
              if (JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_STRING && in[0] &&
                  _sluice_resolver_find_column (in[0], json_node_get_string (c)) < 0)
                _sluice_resolver_report (ctx, path, NULL, -1, _("keys"), _("unknown column “%s”"), json_node_get_string (c));
            }
        }
      out = copy_schema (in[0]);
    }
  else if (g_str_equal (type, "Limit"))
    out = copy_schema (in[0]);
  else if (g_str_equal (type, "SetOperation"))
    {
      const char *by = _sluice_resolver_config_string (gem, NULL, "by");
      gboolean by_name = by == NULL || g_str_equal (by, "name");

      out = copy_schema (in[0]);
      for (guint i = 1; i < n_scopes && in[0]; i++)
        {
          if (in[i] == NULL)
            continue;
          if (in[i]->len != in[0]->len)
            {
              _sluice_resolver_report (ctx, "inputs", NULL, -1, NULL, _("input “%s” has %u columns, “%s” has %u"),
                      in_names[i], in[i]->len, in_names[0], in[0]->len);
              continue;
            }
          for (guint k = 0; k < out->len; k++)
            {
              SluiceColumn *c = &g_array_index (out, SluiceColumn, k);
              gint other = by_name ? _sluice_resolver_find_column (in[i], c->name) : (gint) k;

              if (other < 0)
                {
                  _sluice_resolver_report (ctx, "inputs", NULL, -1, NULL, _("input “%s” has no column “%s”"), in_names[i], c->name);
                  continue;
                }
              if (!sluice_sql_type_common (c->type, g_array_index (in[i], SluiceColumn, other).type, &c->type))
                _sluice_resolver_report (ctx, "inputs", NULL, -1, NULL, _("column “%s” has types that do not mix"), c->name);
            }
        }
    }
  else if (g_str_equal (type, "SchemaTransform"))
    {
      JsonNode *ops = sluice_gem_get_config (gem, "operations");

      out = copy_schema (in[0]);
      for (guint i = 0; ops && JSON_NODE_HOLDS_ARRAY (ops) && i < json_array_get_length (json_node_get_array (ops)); i++)
        {
          JsonNode *rec = json_array_get_element (json_node_get_array (ops), i);
          g_autofree char *path = g_strdup_printf ("config/operations/%u", i);
          g_autofree char *expr_path = g_strdup_printf ("config/operations/%u/expression", i);
          JsonObject *o;
          const char *op, *column;
          gint at;

          if (!JSON_NODE_HOLDS_OBJECT (rec))
            continue;
          o = json_node_get_object (rec);
          op = _sluice_resolver_config_string (gem, o, "op");
          column = _sluice_resolver_config_string (gem, o, "column");
          if (op == NULL || column == NULL)
            continue;
          at = _sluice_resolver_find_column (out, column);
          if (g_str_equal (op, "add"))
            {
              Scope now;
              SluiceSqlType t;

              scope_init (&now, n_scopes ? in_names[0] : "in0", out);
              t = expression (ctx, expr_path, N_("operations"), _sluice_resolver_config_string (gem, o, "expression"), &now.input, 1, 0);
              if (at >= 0)
                _sluice_resolver_report (ctx, path, NULL, -1, _("operations"), _("column “%s” already exists"), column);
              else
                schema_add (out, column, t);
            }
          else if (at < 0 && in[0])
            _sluice_resolver_report (ctx, path, NULL, -1, _("operations"), _("unknown column “%s”"), column);
          else if (at < 0)
            ;
          else if (g_str_equal (op, "drop"))
            g_array_remove_index (out, at);
          else if (g_str_equal (op, "rename"))
            {
              const char *new_name = _sluice_resolver_config_string (gem, o, "new_name");
              if (new_name == NULL || *new_name == '\0')
                _sluice_resolver_report (ctx, path, NULL, -1, _("operations"), _("renaming “%s” needs a new name"), column);
              else if (_sluice_resolver_find_column (out, new_name) >= 0 && g_ascii_strcasecmp (new_name, column) != 0)
                _sluice_resolver_report (ctx, path, NULL, -1, _("operations"), _("column “%s” already exists"), new_name);
              else
                {
                  g_free (g_array_index (out, SluiceColumn, at).name);
                  g_array_index (out, SluiceColumn, at).name = g_strdup (new_name);
                }
            }
          else if (g_str_equal (op, "cast"))
            {
              const char *to = _sluice_resolver_config_string (gem, o, "type");
              SluiceSqlType t;
              if (to == NULL || !sluice_sql_type_parse (to, &t))
                _sluice_resolver_report (ctx, path, NULL, -1, _("operations"), _("unknown type “%s”"), to ? to : "");
              else
                g_array_index (out, SluiceColumn, at).type = t;
            }
        }
    }
  else if (g_str_equal (type, "Window"))
    {
      JsonNode *partition = sluice_gem_get_config (gem, "partition_by");

      for (guint i = 0; partition && JSON_NODE_HOLDS_ARRAY (partition) && i < json_array_get_length (json_node_get_array (partition)); i++)
        {
          JsonNode *c = json_array_get_element (json_node_get_array (partition), i);
          g_autofree char *path = g_strdup_printf ("config/partition_by/%u", i);
          if (JSON_NODE_HOLDS_VALUE (c) && json_node_get_value_type (c) == G_TYPE_STRING && in[0] &&
              _sluice_resolver_find_column (in[0], json_node_get_string (c)) < 0)
            _sluice_resolver_report (ctx, path, NULL, -1, _("partition by"), _("unknown column “%s”"), json_node_get_string (c));
        }
      _sluice_resolver_check_window_frame (ctx);
      out = copy_schema (in[0]);
      {
        g_autoptr(GArray) added = schema_new ();
        named_expressions (ctx, "columns", inputs, n_scopes,
                           SLUICE_EXPR_ALLOW_WINDOWS | SLUICE_EXPR_IMPLICIT_WINDOW, added);
        for (guint i = 0; i < added->len; i++)
          schema_add (out, g_array_index (added, SluiceColumn, i).name, g_array_index (added, SluiceColumn, i).type);
      }
      check_collisions (ctx, out, "config/columns", N_("columns"));
    }
  else if (g_str_equal (type, "SQLStatement") || g_str_equal (type, "Script"))
    out = declared_schema (ctx);
  else if (g_str_equal (type, "Target") && n_scopes > 0)
    _sluice_resolver_check_target (ctx, in[0]);

  return out;
}
