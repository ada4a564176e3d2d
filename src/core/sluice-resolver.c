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

G_DEFINE_FINAL_TYPE (SluiceResolver, sluice_resolver, G_TYPE_OBJECT)

static void
column_clear (gpointer data)
{
  g_free (((SluiceColumn *) data)->name);
}

static GArray *
schema_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (SluiceColumn));
  g_array_set_clear_func (a, column_clear);
  return a;
}

static void
schema_add (GArray        *schema,
            const char    *name,
            SluiceSqlType  type)
{
  SluiceColumn c = { g_strdup (name), type };
  g_array_append_val (schema, c);
}

static void
result_free (SluiceResolverResult *r)
{
  g_clear_pointer (&r->input_versions, g_array_unref);
  g_clear_pointer (&r->schema, g_array_unref);
  g_clear_pointer (&r->diagnostics, g_ptr_array_unref);
  g_clear_pointer (&r->exprs, g_array_unref);
  g_free (r);
}

typedef struct
{
  const char *at;     /* borrowed, never dereferenced: the text's address, the key */
  char       *text;   /* owned: a copy, to tell a reused address */
  SluiceExpr *expr;   /* owned, nullable: the text does not parse */
} ParsedExpr;

static void
parsed_expr_clear (gpointer data)
{
  ParsedExpr *p = data;

  g_free (p->text);
  g_clear_pointer (&p->expr, sluice_expr_unref);
}

/* A gem has a few expressions: a scan of their addresses beats hashing. */
static ParsedExpr *
find_expr (SluiceResolverResult *r,
           const char           *text)
{
  for (guint i = 0; r->exprs && i < r->exprs->len; i++)
    if (g_array_index (r->exprs, ParsedExpr, i).at == text)
      return &g_array_index (r->exprs, ParsedExpr, i);
  return NULL;
}

/* Keeps @expr (nullable, transfer full) as the tree of @text for the gem. */
static SluiceExpr *
keep_expr (SluiceResolverResult *r,
           const char           *text,
           SluiceExpr           *expr)
{
  ParsedExpr *p = find_expr (r, text);

  if (p != NULL)
    parsed_expr_clear (p);
  else
    {
      ParsedExpr fresh = { text, NULL, NULL };

      if (r->exprs == NULL)
        {
          r->exprs = g_array_sized_new (FALSE, FALSE, sizeof (ParsedExpr), 4);
          g_array_set_clear_func (r->exprs, parsed_expr_clear);
        }
      /* Text from elsewhere than the configuration has addresses that change:
       * bound what it can pile up. */
      if (r->exprs->len > 256)
        g_array_set_size (r->exprs, 0);
      g_array_append_val (r->exprs, fresh);
      p = &g_array_index (r->exprs, ParsedExpr, r->exprs->len - 1);
    }
  p->text = g_strdup (text);
  p->expr = expr;
  return expr;
}

static SluiceResolverResult *
result_for (SluiceResolver *self,
            const char     *id)
{
  SluiceResolverResult *r = g_hash_table_lookup (self->results, id);

  if (r == NULL)
    {
      r = g_new0 (SluiceResolverResult, 1);
      g_hash_table_insert (self->results, g_strdup (id), r);
    }
  return r;
}

/* ---- invalidation ---- */

static void
invalidate (SluiceResolver *self,
            const char     *id)
{
  g_autoptr(GPtrArray) stack = g_ptr_array_new_with_free_func (g_free);
  SluiceResolverResult *first = g_hash_table_lookup (self->results, id);

  if (first == NULL)
    return;
  /* The gem itself must be recomputed; below it, only checked. */
  if (first->state == STATE_VALID)
    g_ptr_array_add (stack, g_strdup (id));
  first->state = STATE_DIRTY;

  while (stack->len > 0)
    {
      g_autofree char *cur = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      SluiceResolverResult *r = g_hash_table_lookup (self->results, cur);
      GPtrArray *out;

      if (r == NULL)
        continue;
      if (r != first)
        {
          if (r->state != STATE_VALID)
            continue;   /* already marked: so is everything below it */
          r->state = STATE_MAYBE;
        }
      out = g_hash_table_lookup (self->pipeline->successors, cur);
      for (guint i = 0; out && i < out->len; i++)
        g_ptr_array_add (stack, g_strdup (sluice_edge_get_to_gem (g_ptr_array_index (out, i))));
    }
}

static void
gem_changed_cb (SluiceResolver *self,
                GParamSpec     *pspec,
                SluiceGem      *gem)
{
  if (g_str_equal (pspec->name, "id"))
    {
      self->last = NULL;
      g_hash_table_remove_all (self->results);
    }
  else
    invalidate (self, sluice_gem_get_id (gem));
}

static void
watch_gem (SluiceResolver *self,
           SluiceGem      *gem)
{
  g_signal_connect_object (gem, "notify::config", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gem, "notify::id", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
gem_added_cb (SluiceResolver *self,
              SluiceGem      *gem)
{
  watch_gem (self, gem);
  invalidate (self, sluice_gem_get_id (gem));
}

static void
gem_removed_cb (SluiceResolver *self,
                SluiceGem      *gem)
{
  g_signal_handlers_disconnect_by_data (gem, self);
  invalidate (self, sluice_gem_get_id (gem));
  self->last = NULL;
  g_hash_table_remove (self->results, sluice_gem_get_id (gem));
}

static void
edge_changed_cb (SluiceResolver *self,
                 SluiceEdge     *edge)
{
  invalidate (self, sluice_edge_get_to_gem (edge));
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
  JsonNode *n = record ? json_object_get_member (record, key) : sluice_gem_get_config (gem, key);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

/* Where an expression sits, for its problems: either @path and @field as
 * they are, or (with @key) "config/<key>/<index>/expression" and
 * "<key> “<name>”", formatted only when there is a problem to report. */
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
      _sluice_resolver_report (ctx, place->path, text, offset, place->field, "%s", message);
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
                  SluiceExprCheckFlags   flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceExpr) e = NULL;
  GPtrArray *problems = ctx->self->problems;   /* reused: empty between calls */
  guint start = 0, end = 0;
  SluiceSqlType t;

  if (text == NULL)
    return SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);   /* validation reports missing fields */
  if (!(e = sluice_expr_parse (text, &start, &end, &error)))
    {
      keep_expr (ctx->result, text, NULL);
      report_at (ctx, place, text, start, error->message);
      return SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
    }
  keep_expr (ctx->result, text, sluice_expr_ref (e));
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

  return check_expression (ctx, &place, text, inputs, n_inputs, flags);
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

/* Names that differ only in case are one column to Spark. */
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
          _sluice_resolver_report (ctx, path, NULL, -1, field, _("two output columns are named “%s” (names are case-insensitive)"),
                  g_array_index (schema, SluiceColumn, i).name);
          break;
        }
}

/* Named expressions (Reformat columns, aggregates, window columns). */
static void
named_expressions (SluiceResolverCtx                   *ctx,
                   const char            *key,
                   const SluiceExprInput *inputs,
                   guint                  n_inputs,
                   SluiceExprCheckFlags   flags,
                   GArray                *out)
{
  JsonNode *node = sluice_gem_get_config (ctx->gem, key);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *rec = json_array_get_element (array, i);
      Place place = { NULL, NULL, key, i, NULL };
      const char *name, *text;
      SluiceSqlType t;

      if (!JSON_NODE_HOLDS_OBJECT (rec))
        continue;
      name = _sluice_resolver_config_string (ctx->gem, json_node_get_object (rec), "name");
      text = _sluice_resolver_config_string (ctx->gem, json_node_get_object (rec), "expression");
      place.name = name;
      t = check_expression (ctx, &place, text, inputs, n_inputs, flags);
      if (name)
        schema_add (out, name, t);
    }
}

static GArray *copy_schema (GArray *schema)
{
  GArray *copy = schema_new ();
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

static GArray *
resolve_gem (SluiceResolverCtx     *ctx,
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
          out = schema_new ();
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
      SluiceSqlType t = expression (ctx, "config/condition", _("condition"), text, inputs, n_scopes, 0);

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
      out = schema_new ();
      named_expressions (ctx, "columns", inputs, n_scopes, 0, out);
      check_collisions (ctx, out, "config/columns", _("columns"));
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
          t = expression (ctx, path, _("join condition"), text, inputs, n_scopes, 0);
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
      check_collisions (ctx, out, "config/columns", _("columns"));
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
      check_collisions (ctx, out, "config/aggregates", _("aggregates"));
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
            expression (ctx, path, _("sort key"), _sluice_resolver_config_string (gem, json_node_get_object (rec), "expression"),
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
              t = expression (ctx, expr_path, _("operations"), _sluice_resolver_config_string (gem, o, "expression"), &now.input, 1, 0);
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
      check_collisions (ctx, out, "config/columns", _("columns"));
    }
  else if (g_str_equal (type, "SQLStatement") || g_str_equal (type, "Script"))
    out = declared_schema (ctx);
  else if (g_str_equal (type, "Target") && n_scopes > 0)
    _sluice_resolver_check_target (ctx, in[0]);

  return out;
}

static gboolean
schema_equal (GArray *a,
              GArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      SluiceColumn *x = &g_array_index (a, SluiceColumn, i), *y = &g_array_index (b, SluiceColumn, i);
      if (!g_str_equal (x->name, y->name) || !sluice_sql_type_equal (x->type, y->type))
        return FALSE;
    }
  return TRUE;
}

/* The version of the gem's input @name now; 0 for an unconnected one.
 * Looked up among the edges into the gem, without building the key of the
 * "fed" index: an edit far upstream asks this for every gem below it. */
static guint
input_version (SluiceResolver *self,
               GPtrArray      *into,
               const char     *name)
{
  for (guint k = 0; into && k < into->len; k++)
    {
      SluiceEdge *edge = g_ptr_array_index (into, k);

      if (g_str_equal (sluice_edge_get_to_port (edge), name))
        {
          SluiceResolverResult *up = g_hash_table_lookup (self->results, sluice_edge_get_from_gem (edge));
          return up ? up->version : 0;
        }
    }
  return 0;
}

/* The versions of the gem's inputs now. */
static GArray *
input_versions (SluiceResolver *self,
                SluiceGem      *gem)
{
  const char * const *names = _sluice_gem_peek_inputs (gem);
  GPtrArray *into = g_hash_table_lookup (self->pipeline->predecessors, sluice_gem_get_id (gem));
  GArray *versions = g_array_new (FALSE, TRUE, sizeof (guint));

  for (guint i = 0; names[i]; i++)
    {
      guint v = input_version (self, into, names[i]);
      g_array_append_val (versions, v);
    }
  return versions;
}

static gboolean
inputs_unchanged (SluiceResolver *self,
                  SluiceGem      *gem,
                  GArray         *before)
{
  const char * const *names = _sluice_gem_peek_inputs (gem);
  GPtrArray *into = g_hash_table_lookup (self->pipeline->predecessors, sluice_gem_get_id (gem));
  guint i;

  if (before == NULL)
    return FALSE;
  for (i = 0; names[i]; i++)
    if (i >= before->len || g_array_index (before, guint, i) != input_version (self, into, names[i]))
      return FALSE;
  return i == before->len;
}

static void compute_schema (SluiceResolver *self, SluiceGem *gem, SluiceResolverResult *r);

/* The edge that feeds the gem's input @name (the pipeline's "fed" index),
 * found among @into, the edges into the gem, without building the index's
 * key: only a broken file feeds one input twice, and then the index says
 * which edge counts. */
static SluiceEdge *
edge_into (SluiceResolver *self,
           SluiceGem      *gem,
           GPtrArray      *into,
           const char     *name)
{
  SluiceEdge *found = NULL;
  g_autofree char *key = NULL;

  for (guint k = 0; into && k < into->len; k++)
    {
      SluiceEdge *edge = g_ptr_array_index (into, k);

      if (!g_str_equal (sluice_edge_get_to_port (edge), name))
        continue;
      if (found != NULL)
        {
          key = g_strconcat (sluice_gem_get_id (gem), "\037", name, NULL);
          return g_hash_table_lookup (self->pipeline->fed, key);
        }
      found = edge;
    }
  return found;
}

static void
compute (SluiceResolver *self,
         SluiceGem      *gem,
         SluiceResolverResult         *r)
{
  g_autoptr(GArray) old_schema = NULL;

  /* Upstream changed but no input's schema did: nothing here can change. */
  if (r->state == STATE_MAYBE && inputs_unchanged (self, gem, r->input_versions))
    {
      r->state = STATE_VALID;
      return;
    }
  old_schema = g_steal_pointer (&r->schema);
  g_clear_pointer (&r->input_versions, g_array_unref);
  r->input_versions = input_versions (self, gem);
  compute_schema (self, gem, r);
  if (r->version == 0 || !schema_equal (old_schema, r->schema))
    r->version = ++self->last_version;
}

static void
compute_schema (SluiceResolver *self,
                SluiceGem      *gem,
                SluiceResolverResult         *r)
{
  const char * const *names = _sluice_gem_peek_inputs (gem);
  guint n = g_strv_length ((char **) names);
  g_autofree GArray **in = g_new0 (GArray *, MAX (n, 1));
  SluiceResolverCtx ctx = { self, gem, r };
  GPtrArray *into = g_hash_table_lookup (self->pipeline->predecessors, sluice_gem_get_id (gem));

  if (r->diagnostics)
    g_ptr_array_set_size (r->diagnostics, 0);
  if (r->exprs)
    g_array_set_size (r->exprs, 0);

  for (guint i = 0; i < n; i++)
    {
      SluiceEdge *edge = edge_into (self, gem, into, names[i]);
      SluiceResolverResult *up = edge ? g_hash_table_lookup (self->results, sluice_edge_get_from_gem (edge)) : NULL;
      in[i] = up && up->state == STATE_VALID ? up->schema : NULL;
    }

  /* With an input missing or unknown there is nothing sound to check against:
   * validation already reports the missing wire. */
  for (guint i = 0; i < n; i++)
    if (in[i] == NULL)
      goto done;
  if (sluice_gem_get_gem_type (gem) != NULL)
    r->schema = resolve_gem (&ctx, in, (char **) names, n);
done:
  r->state = STATE_VALID;
  self->resolved++;
}

/* Resolves @id and, first, whatever feeds it; iterative, so a 10,000-gem
 * chain does not exhaust the stack. */
static SluiceResolverResult *
resolve (SluiceResolver *self,
         const char     *id)
{
  g_autoptr(GPtrArray) stack = NULL;
  SluiceGem *target;
  SluiceResolverResult *known = NULL;
  gpointer key = NULL;

  /* Code generation asks for every gem, nearly always resolved already,
   * and for the same gem several times in a row (once per expression). */
  if (id && self->last && self->last->state == STATE_VALID && g_str_equal (id, self->last_id))
    return self->last;
  if (id && g_hash_table_lookup_extended (self->results, id, &key, (gpointer *) &known) && known->state == STATE_VALID)
    {
      self->last_id = key;
      self->last = known;
      return known;
    }
  target = sluice_pipeline_find_gem (self->pipeline, id);
  if (target == NULL)
    return NULL;
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, target);
  while (stack->len > 0)
    {
      SluiceGem *gem = g_ptr_array_index (stack, stack->len - 1);
      SluiceResolverResult *r = result_for (self, sluice_gem_get_id (gem));
      const char * const *names;
      gboolean ready = TRUE;

      if (r->state == STATE_VALID)
        {
          g_ptr_array_set_size (stack, stack->len - 1);
          continue;
        }
      if (!r->busy)
        {
          GPtrArray *into = g_hash_table_lookup (self->pipeline->predecessors, sluice_gem_get_id (gem));

          r->busy = TRUE;
          names = _sluice_gem_peek_inputs (gem);
          for (guint i = 0; names[i]; i++)
            {
              SluiceEdge *edge = edge_into (self, gem, into, names[i]);
              SluiceGem *up = edge ? sluice_pipeline_find_gem (self->pipeline, sluice_edge_get_from_gem (edge)) : NULL;
              SluiceResolverResult *ur = up ? result_for (self, sluice_gem_get_id (up)) : NULL;

              /* A busy input is on a cycle: validation reports it; resolve without it. */
              if (ur && ur->state != STATE_VALID && !ur->busy)
                {
                  g_ptr_array_add (stack, up);
                  ready = FALSE;
                }
            }
          if (!ready)
            continue;
        }
      compute (self, gem, r);
      r->busy = FALSE;
      g_ptr_array_set_size (stack, stack->len - 1);
    }
  return g_hash_table_lookup (self->results, id);
}

GArray *
sluice_resolver_get_schema (SluiceResolver *self,
                            const char     *gem_id)
{
  SluiceResolverResult *r;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);

  r = resolve (self, gem_id);
  return r ? r->schema : NULL;
}

GPtrArray *
sluice_resolver_get_diagnostics (SluiceResolver *self,
                                 const char     *gem_id)
{
  SluiceResolverResult *r;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);

  r = resolve (self, gem_id);
  if (r == NULL)
    return NULL;
  return r->diagnostics ? r->diagnostics : self->no_diagnostics;
}

GPtrArray *
sluice_resolver_get_all_diagnostics (SluiceResolver *self)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *gems;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), all);

  gems = sluice_pipeline_peek_gem_array (self->pipeline);
  for (guint i = 0; i < gems->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (gems, i);
      GPtrArray *d = sluice_resolver_get_diagnostics (self, sluice_gem_get_id (gem));
      for (guint k = 0; d && k < d->len; k++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (d, k)));
    }
  g_ptr_array_sort (all, sluice_diagnostic_compare);
  return all;
}

guint
sluice_resolver_get_version (SluiceResolver *self,
                             const char     *gem_id)
{
  SluiceResolverResult *r;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), 0);

  r = resolve (self, gem_id);
  return r ? r->version : 0;
}

SluiceExpr *
sluice_resolver_get_expr (SluiceResolver *self,
                          const char     *gem_id,
                          const char     *text)
{
  SluiceResolverResult *r;
  ParsedExpr *p;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  r = resolve (self, gem_id);
  if (r == NULL)
    return NULL;
  p = find_expr (r, text);
  if (p && g_str_equal (p->text, text))
    return p->expr;
  /* Not checked (an input is missing) or not one of the gem's expressions. */
  return keep_expr (r, text, sluice_expr_parse (text, NULL, NULL, NULL));
}

guint
sluice_resolver_take_resolve_count (SluiceResolver *self)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), 0);
  n = self->resolved;
  self->resolved = 0;
  return n;
}

static void
sluice_resolver_dispose (GObject *object)
{
  SluiceResolver *self = SLUICE_RESOLVER (object);

  if (self->pipeline)
    {
      GListModel *gems = sluice_pipeline_get_gems (self->pipeline);
      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          g_signal_handlers_disconnect_by_data (gem, self);
        }
      g_signal_handlers_disconnect_by_data (self->pipeline, self);
    }
  g_clear_object (&self->pipeline);
  g_clear_object (&self->datasets);
  self->last = NULL;
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->no_diagnostics, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (sluice_resolver_parent_class)->dispose (object);
}

static void
sluice_resolver_class_init (SluiceResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sluice_resolver_dispose;
}

static void
sluice_resolver_init (SluiceResolver *self)
{
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) result_free);
  self->no_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_problem_free);
}

SluiceResolver *
sluice_resolver_new (SluicePipeline *pipeline,
                     GListModel     *datasets)
{
  SluiceResolver *self;
  GListModel *gems;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (datasets), NULL);

  self = g_object_new (SLUICE_TYPE_RESOLVER, NULL);
  self->pipeline = g_object_ref (pipeline);
  self->datasets = g_object_ref (datasets);

  gems = sluice_pipeline_get_gems (pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      watch_gem (self, gem);
    }
  g_signal_connect_object (pipeline, "gem-added", G_CALLBACK (gem_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "gem-removed", G_CALLBACK (gem_removed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "edge-added", G_CALLBACK (edge_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "edge-removed", G_CALLBACK (edge_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}
