#define G_LOG_DOMAIN "sluice-job-request"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-job-request.h"
#include "sluice-json-writer.h"
#include "sluice-loader.h"

#define JOB_CLUSTER_KEY "sluice_cluster"

/* The top-level settings a deploy owns: a change to any of them on the
 * workspace is undone by the next apply, so the plan lists it. */
static const char * const managed_keys[] = {
  "name", "description", "tags", "max_concurrent_runs", "schedule", "email_notifications",
  "job_clusters", "tasks", NULL
};

char *
sluice_job_request_tag (SluiceProject *project,
                        SluiceJob     *job)
{
  g_autofree char *slug = sluice_job_slug (sluice_project_get_name (project));

  return g_strdup_printf ("%s/%s", slug, sluice_job_get_name (job));
}

char *
sluice_job_request_folder (SluiceProject *project,
                           SluiceJob     *job)
{
  g_autofree char *slug = sluice_job_slug (sluice_project_get_name (project));

  return sluice_job_dup_workspace_folder (job, slug);
}

char *
sluice_job_request_workspace_path (const char *folder,
                                   const char *rel)
{
  return g_strdup_printf ("%s/%s", folder, rel);
}

static gboolean
generates_pyspark (SluiceProject *project)
{
  const char * const *targets = sluice_project_get_code_targets (project);

  return targets && g_strv_contains (targets, "pyspark");
}

JsonNode *
sluice_job_request_build (SluiceProject *project,
                          SluiceJob     *job,
                          GPtrArray     *problems)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *tag = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *name = NULL;
  const char * const *pipelines;
  const char * const *emails;
  guint before;

  g_return_val_if_fail (SLUICE_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SLUICE_IS_JOB (job), NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  before = problems->len;
  pipelines = sluice_job_get_pipelines (job);
  emails = sluice_job_get_emails (job);
  if (!generates_pyspark (project))
    g_ptr_array_add (problems, g_strdup (_("the project does not generate PySpark code (add “pyspark” to "
                                           "“code_targets” in sluice.json), and a job runs it")));
  if (sluice_str_is_blank (sluice_job_get_node_type (job)))
    g_ptr_array_add (problems, g_strdup (_("the job's cluster has no node type (such as “i3.xlarge”); "
                                           "set it in the job editor")));
  if (pipelines[0] == NULL)
    g_ptr_array_add (problems, g_strdup (_("the job runs no pipeline")));
  for (guint i = 0; pipelines[i]; i++)
    if (sluice_project_find_pipeline (project, pipelines[i]) == NULL)
      g_ptr_array_add (problems, g_strdup_printf (_("there is no pipeline “%s” in the project"), pipelines[i]));
  if (problems->len > before)
    return NULL;

  tag = sluice_job_request_tag (project, job);
  folder = sluice_job_request_folder (project, job);
  name = g_strdup_printf ("%s: %s", sluice_project_get_name (project), sluice_job_get_name (job));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  if (sluice_job_get_description (job))
    {
      json_builder_set_member_name (b, "description");
      json_builder_add_string_value (b, sluice_job_get_description (job));
    }
  json_builder_set_member_name (b, "tags");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, SLUICE_JOB_TAG);
  json_builder_add_string_value (b, tag);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "max_concurrent_runs");
  json_builder_add_int_value (b, 1);

  json_builder_set_member_name (b, "schedule");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "quartz_cron_expression");
  json_builder_add_string_value (b, sluice_job_get_cron (job));
  json_builder_set_member_name (b, "timezone_id");
  json_builder_add_string_value (b, sluice_job_get_timezone (job));
  json_builder_set_member_name (b, "pause_status");
  json_builder_add_string_value (b, sluice_job_get_paused (job) ? "PAUSED" : "UNPAUSED");
  json_builder_end_object (b);

  if (emails[0])
    {
      json_builder_set_member_name (b, "email_notifications");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "on_failure");
      json_builder_begin_array (b);
      for (guint i = 0; emails[i]; i++)
        json_builder_add_string_value (b, emails[i]);
      json_builder_end_array (b);
      json_builder_end_object (b);
    }

  json_builder_set_member_name (b, "job_clusters");
  json_builder_begin_array (b);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "job_cluster_key");
  json_builder_add_string_value (b, JOB_CLUSTER_KEY);
  json_builder_set_member_name (b, "new_cluster");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "spark_version");
  json_builder_add_string_value (b, sluice_job_get_spark_version (job));
  json_builder_set_member_name (b, "node_type_id");
  json_builder_add_string_value (b, sluice_job_get_node_type (job));
  json_builder_set_member_name (b, "num_workers");
  json_builder_add_int_value (b, sluice_job_get_workers (job));
  if (sluice_job_get_autotermination (job) > 0)
    {
      json_builder_set_member_name (b, "autotermination_minutes");
      json_builder_add_int_value (b, sluice_job_get_autotermination (job));
    }
  json_builder_end_object (b);
  json_builder_end_object (b);
  json_builder_end_array (b);

  json_builder_set_member_name (b, "tasks");
  json_builder_begin_array (b);
  for (guint i = 0; pipelines[i]; i++)
    {
      g_autofree char *rel = g_strdup_printf ("%s/%s/pipeline.py", pipelines[i], pipelines[i]);
      g_autofree char *path = sluice_job_request_workspace_path (folder, rel);
      g_autofree char *python_file = g_strconcat ("/Workspace", path, NULL);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "task_key");
      json_builder_add_string_value (b, pipelines[i]);
      if (i > 0)
        {
          json_builder_set_member_name (b, "depends_on");
          json_builder_begin_array (b);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "task_key");
          json_builder_add_string_value (b, pipelines[i - 1]);
          json_builder_end_object (b);
          json_builder_end_array (b);
        }
      json_builder_set_member_name (b, "job_cluster_key");
      json_builder_add_string_value (b, JOB_CLUSTER_KEY);
      json_builder_set_member_name (b, "spark_python_task");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "python_file");
      json_builder_add_string_value (b, python_file);
      json_builder_set_member_name (b, "source");
      json_builder_add_string_value (b, "WORKSPACE");
      json_builder_end_object (b);
      json_builder_set_member_name (b, "max_retries");
      json_builder_add_int_value (b, sluice_job_get_max_retries (job));
      if (sluice_job_get_max_retries (job) > 0)
        {
          json_builder_set_member_name (b, "min_retry_interval_millis");
          json_builder_add_int_value (b, (gint64) sluice_job_get_retry_interval (job) * 1000);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

GHashTable *
sluice_code_files_for_job (SluiceProject *project,
                           SluiceJob     *job,
                           GPtrArray     *problems)
{
  g_autoptr(JsonNode) request = sluice_job_request_build (project, job, problems);
  g_autoptr(GBytes) bytes = NULL;
  GHashTable *files;

  if (request == NULL)
    return NULL;
  bytes = sluice_json_write (request, NULL);
  files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (files, g_strdup_printf ("code/jobs/%s.json", sluice_job_get_name (job)),
                       g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
  return files;
}

gboolean
sluice_code_file_is_job_request (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root, *tags;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !json_parser_load_from_file (parser, path, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  tags = json_object_get_member (json_node_get_object (root), "tags");
  return tags && JSON_NODE_HOLDS_OBJECT (tags) &&
         json_object_has_member (json_node_get_object (tags), SLUICE_JOB_TAG);
}

/* ---- comparing settings ---- */

/* What Databricks leaves out or fills with a default: nothing, "", 0,
 * false, [] and {}. */
static gboolean
is_default (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (JSON_NODE_HOLDS_ARRAY (node))
    return json_array_get_length (json_node_get_array (node)) == 0;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        if (!is_default (member))
          return FALSE;
      return TRUE;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (node) == '\0';
    case G_TYPE_BOOLEAN:
      return !json_node_get_boolean (node);
    case G_TYPE_INT64:
      return json_node_get_int (node) == 0;
    case G_TYPE_DOUBLE:
      return json_node_get_double (node) == 0.0;
    default:
      return FALSE;
    }
}

/* Whether @current has everything @wanted says: members @wanted does not
 * set are the workspace's defaults (run_if, timeout_seconds…) and do not
 * count; arrays must match element by element. */
static gboolean
covers (JsonNode *wanted,
        JsonNode *current)
{
  if (is_default (wanted))
    return is_default (current);
  if (current == NULL || JSON_NODE_TYPE (wanted) != JSON_NODE_TYPE (current))
    return FALSE;
  if (JSON_NODE_HOLDS_OBJECT (wanted))
    {
      JsonObject *c = json_node_get_object (current);
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (wanted));
      while (json_object_iter_next (&iter, &key, &member))
        if (!covers (member, json_object_get_member (c, key)))
          return FALSE;
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (wanted))
    {
      JsonArray *w = json_node_get_array (wanted), *c = json_node_get_array (current);

      if (json_array_get_length (w) != json_array_get_length (c))
        return FALSE;
      for (guint i = 0; i < json_array_get_length (w); i++)
        if (!covers (json_array_get_element (w, i), json_array_get_element (c, i)))
          return FALSE;
      return TRUE;
    }
  if (json_node_get_value_type (wanted) != json_node_get_value_type (current))
    return FALSE;
  switch (json_node_get_value_type (wanted))
    {
    case G_TYPE_STRING:
      return g_str_equal (json_node_get_string (wanted), json_node_get_string (current));
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (wanted) == json_node_get_boolean (current);
    case G_TYPE_INT64:
      return json_node_get_int (wanted) == json_node_get_int (current);
    case G_TYPE_DOUBLE:
      return json_node_get_double (wanted) == json_node_get_double (current);
    default:
      return FALSE;
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
sluice_job_settings_diff (JsonNode *wanted,
                          JsonNode *current)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(GPtrArray) differ = g_ptr_array_new ();
  JsonObject *w, *c;
  JsonObjectIter iter;
  const char *key;

  g_return_val_if_fail (wanted != NULL && JSON_NODE_HOLDS_OBJECT (wanted), NULL);

  w = json_node_get_object (wanted);
  c = current && JSON_NODE_HOLDS_OBJECT (current) ? json_node_get_object (current) : NULL;
  json_object_iter_init (&iter, w);
  while (json_object_iter_next (&iter, &key, NULL))
    g_ptr_array_add (keys, (gpointer) key);
  for (guint i = 0; managed_keys[i]; i++)
    if (!json_object_has_member (w, managed_keys[i]))
      g_ptr_array_add (keys, (gpointer) managed_keys[i]);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *k = g_ptr_array_index (keys, i);
      JsonNode *cm = c ? json_object_get_member (c, k) : NULL;
      JsonNode *wm = json_object_get_member (w, k);
      gboolean same;

      /* A member we do not set: only a non-default value on the workspace differs. */
      same = wm ? covers (wm, cm) : is_default (cm);
      if (!same)
        g_ptr_array_add (differ, g_strdup (k));
    }
  g_ptr_array_sort (differ, compare_strings);
  g_ptr_array_add (differ, NULL);
  return (GStrv) g_ptr_array_steal (differ, NULL);
}
