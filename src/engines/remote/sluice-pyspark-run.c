#define G_LOG_DOMAIN "sluice-pyspark-run"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-engine-error.h"
#include "sluice-http-client.h"
#include "sluice-pyspark-run.h"

static void
add_problem (SluiceRun        *run,
             SluiceDiagnostic *d,
             guint            *n_errors)
{
  if (sluice_diagnostic_get_severity (d) != SLUICE_SEVERITY_ERROR)
    return;
  sluice_run_add_problem (run, d);
  (*n_errors)++;
}

static void
add_message (SluiceRun  *run,
             const char *file,
             const char *gem_id,
             const char *message,
             guint      *n_errors)
{
  g_autoptr(SluiceDiagnostic) d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, file, 0, 0, message);

  if (gem_id)
    sluice_diagnostic_set_subject (d, gem_id, NULL);
  add_problem (run, d, n_errors);
}

SluicePySparkInteractive *
sluice_pyspark_run_prepare (SluiceRun  *run,
                            GError    **error)
{
  SluiceProject *project = sluice_run_get_project (run);
  SluicePipeline *p = sluice_run_get_pipeline (run);
  GListModel *datasets = sluice_project_get_datasets (project);
  const char *file = sluice_pipeline_get_file (p);
  const char *until = sluice_run_get_until_gem (run);
  g_autoptr(SluicePySparkInteractive) program = NULL;
  g_autoptr(SluiceResolver) resolver = NULL;
  g_autoptr(GPtrArray) structural = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) in_run = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) gems = g_strv_builder_new ();
  g_auto(GStrv) gem_ids = NULL;
  guint n_errors = 0;

  if (sluice_pipeline_get_load_error (p))
    {
      add_message (run, file, NULL, sluice_pipeline_get_load_error (p)->message, &n_errors);
      goto out;
    }
  if (until && sluice_pipeline_find_gem (p, until) == NULL)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: there is no gem “%s” in the pipeline %s"), file, until, sluice_pipeline_get_name (p));
      return NULL;
    }

  resolver = sluice_resolver_new (p, datasets);
  program = sluice_pyspark_interactive_new (p, datasets, resolver, until, sluice_run_get_sample_limit (run), problems);
  for (guint i = 0; i < sluice_pyspark_interactive_get_n_steps (program); i++)
    g_hash_table_add (in_run, (gpointer) sluice_pyspark_interactive_get_step_gem (program, i));

  /* What keeps the gems of this run from running; problems of other gems
   * (downstream of a "run up to here") do not. */
  structural = sluice_pipeline_validate (p, datasets);
  for (guint i = 0; i < structural->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (structural, i);
      const char *gem = sluice_diagnostic_get_gem_id (d);
      if (gem == NULL || g_hash_table_contains (in_run, gem))
        add_problem (run, d, &n_errors);
    }
  /* The generator leaves out gems on a cycle. */
  if (n_errors == 0 && until == NULL &&
      sluice_pyspark_interactive_get_n_steps (program) < g_list_model_get_n_items (sluice_pipeline_get_gems (p)))
    add_message (run, file, NULL, _("the gems of the pipeline form a cycle, so there is no order to run them in"),
                 &n_errors);
  if (n_errors)
    goto out;
  for (guint i = 0; i < sluice_pyspark_interactive_get_n_steps (program); i++)
    {
      GPtrArray *ds = sluice_resolver_get_diagnostics (resolver, sluice_pyspark_interactive_get_step_gem (program, i));
      for (guint k = 0; ds && k < ds->len; k++)
        add_problem (run, g_ptr_array_index (ds, k), &n_errors);
    }
  for (guint i = 0; i < problems->len; i++)
    add_message (run, file, NULL, g_ptr_array_index (problems, i), &n_errors);

out:
  if (n_errors)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the pipeline has %u problem, so nothing ran",
                                "%s: the pipeline has %u problems, so nothing ran", n_errors),
                   file, n_errors);
      return NULL;
    }
  for (guint i = 0; i < sluice_pyspark_interactive_get_n_steps (program); i++)
    g_strv_builder_add (gems, sluice_pyspark_interactive_get_step_gem (program, i));
  gem_ids = g_strv_builder_end (gems);
  sluice_run_begin (run, (const char * const *) gem_ids);
  return g_steal_pointer (&program);
}

/* Spark's simple type strings as Sluice's types; what Sluice has no type
 * for stays unknown (shown as text). */
static SluiceSqlType
spark_type (const char *text)
{
  SluiceSqlType type = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);

  if (text == NULL)
    return type;
  if (g_str_equal (text, "long"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT);
  if (g_str_equal (text, "integer") || g_str_equal (text, "smallint") || g_str_equal (text, "tinyint"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_INT);
  if (g_str_equal (text, "float"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
  if (!sluice_sql_type_parse (text, &type))
    type = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
  return type;
}

/* A sample value as the results pane shows it (as the Local engine
 * formats SQLite's: doubles keep a fraction part). NULL is SQL NULL. */
static char *
format_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      json_generator_set_root (gen, node);
      return json_generator_to_data (gen, NULL);
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
        if (strspn (buf, "-0123456789") == strlen (buf))
          return g_strconcat (buf, ".0", NULL);
        return g_strdup (buf);
      }
    default:
      return g_strdup (json_node_get_string (node));
    }
}

/* The marker line of @gem_id in @text, parsed; NULL if there is none. */
static JsonObject *
find_marker (const char *text,
             const char *gem_id)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *o;

      if (!g_str_has_prefix (lines[i], SLUICE_PYSPARK_MARKER))
        continue;
      node = json_from_string (lines[i] + strlen (SLUICE_PYSPARK_MARKER), NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (o, "gem", NULL), gem_id) == 0)
        return json_object_ref (o);
    }
  return NULL;
}

void
sluice_pyspark_run_fail_gem (SluiceRun    *run,
                             const char   *gem_id,
                             const GError *error)
{
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (gem_id);

  sluice_gem_result_take_error (result, g_error_copy (error));
  sluice_run_add_result (run, result);
}

gboolean
sluice_pyspark_run_take_output (SluiceRun   *run,
                                const char  *gem_id,
                                const char  *text,
                                double       elapsed_ms,
                                GError     **error)
{
  g_autoptr(JsonObject) marker = find_marker (text, gem_id);
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (gem_id);
  g_autoptr(GError) local_error = NULL;
  JsonArray *schema, *sample;
  guint n_columns;

  sluice_gem_result_set_elapsed (result, elapsed_ms);
  if (marker == NULL)
    {
      g_autofree char *all = g_strstrip (g_strdup (text ? text : ""));
      /* The end of what it printed says most. */
      const char *tail = strlen (all) > 400 ? all + strlen (all) - 400 : all;

      local_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("gem “%s”: the service ran it but did not say what it gave%s%s"), gem_id,
                                 *tail ? ": " : "", tail);
    }
  else if (json_object_has_member (marker, "error"))
    local_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("gem “%s”: %s"), gem_id,
                               json_object_get_string_member_with_default (marker, "error", ""));
  if (local_error)
    {
      sluice_gem_result_take_error (result, g_error_copy (local_error));
      sluice_run_add_result (run, result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  schema = sluice_pyspark_array_member (marker, "schema");
  sample = sluice_pyspark_array_member (marker, "sample");
  n_columns = schema ? json_array_get_length (schema) : 0;
  for (guint c = 0; c < n_columns; c++)
    {
      JsonNode *col = json_array_get_element (schema, c);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (col) ? json_node_get_array (col) : NULL;
      const char *name = pair && json_array_get_length (pair) > 0 ? json_array_get_string_element (pair, 0) : NULL;
      const char *type = pair && json_array_get_length (pair) > 1 ? json_array_get_string_element (pair, 1) : NULL;

      sluice_gem_result_add_column (result, name ? name : "", spark_type (type));
    }
  for (guint r = 0; sample && r < json_array_get_length (sample) && r < sluice_run_get_sample_limit (run); r++)
    {
      JsonNode *row = json_array_get_element (sample, r);
      JsonArray *values = JSON_NODE_HOLDS_ARRAY (row) ? json_node_get_array (row) : NULL;
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (cells, values && c < json_array_get_length (values)
                                ? format_value (json_array_get_element (values, c)) : NULL);
      sluice_gem_result_add_row (result, (const char * const *) cells->pdata);
    }
  sluice_gem_result_set_n_rows (result, json_object_get_int_member_with_default (marker, "rows", -1));
  if (json_object_has_member (marker, "output"))
    sluice_gem_result_set_output (result, json_object_get_string_member_with_default (marker, "output", NULL));
  sluice_run_add_result (run, result);
  return TRUE;
}

void
sluice_pyspark_run_complete (SluiceRun *run,
                             GTask     *task,
                             GError    *error)
{
  sluice_run_set_message (run, NULL);
  if (error == NULL)
    {
      sluice_run_finish (run, SLUICE_RUN_SUCCEEDED);
      g_task_return_boolean (task, TRUE);
      return;
    }
  sluice_run_finish (run, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                          ? SLUICE_RUN_CANCELLED : SLUICE_RUN_FAILED);
  g_task_return_error (task, error);
}

char *
sluice_pyspark_strip_html (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean in_tag = FALSE;
  static const struct { const char *entity, *text; } entities[] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&nbsp;", " " }, { "&amp;", "&" },
  };

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>' && in_tag)
        in_tag = FALSE;
      else if (!in_tag)
        {
          gboolean replaced = FALSE;
          for (guint i = 0; *p == '&' && i < G_N_ELEMENTS (entities); i++)
            if (g_str_has_prefix (p, entities[i].entity))
              {
                g_string_append (out, entities[i].text);
                p += strlen (entities[i].entity) - 1;
                replaced = TRUE;
                break;
              }
          if (!replaced)
            g_string_append_c (out, *p);
        }
    }
  return g_strstrip (g_string_free (out, FALSE));
}

gboolean
sluice_pyspark_is_transient (const GError *error)
{
  /* The client itself retries 429, 503, timeouts and lost connections of
   * a GET for its whole retry budget: once that is spent, so is our
   * patience. A 5xx or a garbled body it hands back at once. */
  return error->domain == SLUICE_HTTP_ERROR &&
         (error->code == SLUICE_HTTP_ERROR_SERVER || error->code == SLUICE_HTTP_ERROR_BAD_RESPONSE);
}

JsonNode *
sluice_pyspark_json_object (const char *first_key,
                            ...)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      if (value)
        json_object_set_string_member (o, key, value);
    }
  va_end (args);
  json_node_take_object (node, o);
  return node;
}
