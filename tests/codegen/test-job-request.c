/* The Jobs API 2.1 request a job is deployed with (code/jobs/NAME.json). */
#include "config.h"

#include <string.h>

#include "sluice-code-writer.h"
#include "sluice-core.h"
#include "sluice-job-request.h"

#include <glib/gstdio.h>

static SluiceProject *
load_example (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SluiceProject *project = sluice_project_load (dir, NULL, &error);

  g_assert_no_error (error);
  return project;
}

static void
test_request_matches_golden_file (void)
{
  g_autoptr(SluiceProject) project = load_example ();
  SluiceJob *job = sluice_project_find_job (project, "nightly_refresh");
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GHashTable) again = NULL;
  g_autofree char *golden_path = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "tests", "codegen", "jobs",
                                                   "nightly_refresh.json", NULL);
  g_autofree char *golden = NULL;
  const char *text;

  g_assert_nonnull (job);
  files = sluice_code_files_for_job (project, job, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_nonnull (files);
  g_assert_cmpuint (g_hash_table_size (files), ==, 1);
  text = g_hash_table_lookup (files, "code/jobs/nightly_refresh.json");
  g_assert_nonnull (text);
  g_assert_true (g_file_get_contents (golden_path, &golden, NULL, NULL));
  g_assert_cmpstr (text, ==, golden);
  /* No placeholder anywhere: every value comes from the project. */
  g_assert_null (strstr (text, "<"));
  g_assert_null (strstr (text, "TODO"));
  /* Deterministic. */
  again = sluice_code_files_for_job (project, job, problems);
  g_assert_cmpstr (g_hash_table_lookup (again, "code/jobs/nightly_refresh.json"), ==, text);
}

static void
test_request_follows_the_job (void)
{
  g_autoptr(SluiceProject) project = load_example ();
  g_autoptr(SluiceJob) job = sluice_job_new ("adhoc");
  const char * const pipelines[] = { "top_products", NULL };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) request = NULL;
  JsonObject *root, *task, *cluster;

  sluice_job_set_pipelines (job, pipelines);
  sluice_job_set_node_type (job, "Standard_DS3_v2");
  sluice_job_set_autotermination (job, 0);
  sluice_job_set_paused (job, TRUE);
  sluice_job_set_workspace_folder (job, "/Users/ana@example.org/jobs");
  request = sluice_job_request_build (project, job, problems);
  g_assert_nonnull (request);
  root = json_node_get_object (request);
  g_assert_cmpstr (json_object_get_string_member (root, "name"), ==, "Retail analytics: adhoc");
  g_assert_false (json_object_has_member (root, "email_notifications"));
  g_assert_false (json_object_has_member (root, "description"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "schedule"), "pause_status"),
                   ==, "PAUSED");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (root, "tags"), "sluice_job"),
                   ==, "retail_analytics/adhoc");
  task = json_array_get_object_element (json_object_get_array_member (root, "tasks"), 0);
  g_assert_false (json_object_has_member (task, "depends_on"));
  g_assert_false (json_object_has_member (task, "min_retry_interval_millis"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (task, "spark_python_task"),
                                                  "python_file"),
                   ==, "/Workspace/Users/ana@example.org/jobs/top_products/top_products/pipeline.py");
  cluster = json_object_get_object_member (json_array_get_object_element (json_object_get_array_member (root, "job_clusters"), 0),
                                           "new_cluster");
  g_assert_cmpstr (json_object_get_string_member (cluster, "node_type_id"), ==, "Standard_DS3_v2");
  g_assert_false (json_object_has_member (cluster, "autotermination_minutes"));
}

static void
test_request_refuses_what_it_cannot_say (void)
{
  g_autoptr(SluiceProject) project = load_example ();
  g_autoptr(SluiceJob) job = sluice_job_new ("adhoc");
  const char * const pipelines[] = { "top_products", "gone", NULL };
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) request = NULL;

  sluice_job_set_pipelines (job, pipelines);
  request = sluice_job_request_build (project, job, problems);
  g_assert_null (request);
  g_assert_cmpuint (problems->len, ==, 2);
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 0), "no node type"));
  g_assert_nonnull (strstr (g_ptr_array_index (problems, 1), "“gone”"));
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static char *
diff (const char *wanted,
      const char *current)
{
  g_autoptr(JsonNode) w = parse (wanted);
  g_autoptr(JsonNode) c = parse (current);
  g_auto(GStrv) fields = sluice_job_settings_diff (w, c);

  return g_strjoinv (",", fields);
}

static void
test_settings_diff (void)
{
  static const struct { const char *wanted, *current, *fields; } cases[] = {
    /* The same, in another member order, with the workspace's defaults. */
    { "{\"name\":\"a\",\"schedule\":{\"quartz_cron_expression\":\"0 0 5 * * ?\",\"timezone_id\":\"UTC\"},"
      "\"tasks\":[{\"task_key\":\"t\",\"max_retries\":0}]}",
      "{\"format\":\"MULTI_TASK\",\"timeout_seconds\":0,\"schedule\":{\"timezone_id\":\"UTC\","
      "\"quartz_cron_expression\":\"0 0 5 * * ?\"},\"name\":\"a\",\"email_notifications\":{},"
      "\"tasks\":[{\"run_if\":\"ALL_SUCCESS\",\"task_key\":\"t\"}]}", "" },
    { "{\"name\":\"a\",\"schedule\":{\"quartz_cron_expression\":\"0 0 6 * * ?\"}}",
      "{\"name\":\"a\",\"schedule\":{\"quartz_cron_expression\":\"0 0 5 * * ?\"}}", "schedule" },
    /* E-mails removed here, still on the workspace. */
    { "{\"name\":\"a\"}", "{\"name\":\"a\",\"email_notifications\":{\"on_failure\":[\"x@y.z\"]}}",
      "email_notifications" },
    { "{\"name\":\"b\",\"tasks\":[{\"task_key\":\"t\"}]}", "{\"name\":\"a\",\"tasks\":[{\"task_key\":\"t\"},"
      "{\"task_key\":\"u\"}]}", "name,tasks" },
    /* Ids are 64-bit integers, compared exactly. */
    { "{\"max_concurrent_runs\":9007199254740993}", "{\"max_concurrent_runs\":9007199254740992}",
      "max_concurrent_runs" },
    /* Nothing there yet: every member we set. */
    { "{\"name\":\"a\",\"tags\":{\"sluice_job\":\"p/a\"}}", "{}", "name,tags" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *fields = diff (cases[i].wanted, cases[i].current);
      g_assert_cmpstr (fields, ==, cases[i].fields);
    }
}

static void
test_job_request_is_generated_code (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("sluice-job-request-XXXXXX", NULL);
  g_autofree char *mine = g_build_filename (tmp, "code", "jobs", "a.json", NULL);
  g_autofree char *theirs = g_build_filename (tmp, "code", "jobs", "b.json", NULL);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GError) error = NULL;

  g_hash_table_insert (files, g_strdup ("code/jobs/a.json"), g_strdup ("{\"tags\": {\"sluice_job\": \"p/a\"}}\n"));
  g_assert_true (sluice_code_write_job (tmp, "a", files, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (theirs, "{\"name\": \"by hand\"}\n", -1, NULL));
  g_assert_true (sluice_code_file_is_generated (mine));
  g_assert_false (sluice_code_file_is_generated (theirs));
  /* A job that can no longer be deployed: its request goes, not a user's file. */
  g_assert_true (sluice_code_write_job (tmp, "a", NULL, &error));
  g_assert_true (sluice_code_write_job (tmp, "b", NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (mine, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (theirs, G_FILE_TEST_EXISTS));
  g_remove (theirs);
  {
    g_autofree char *jobs = g_build_filename (tmp, "code", "jobs", NULL);
    g_autofree char *code = g_build_filename (tmp, "code", NULL);
    g_rmdir (jobs);
    g_rmdir (code);
    g_rmdir (tmp);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/codegen/job-request/matches-golden-file", test_request_matches_golden_file);
  g_test_add_func ("/sluice/codegen/job-request/follows-the-job", test_request_follows_the_job);
  g_test_add_func ("/sluice/codegen/job-request/refuses-what-it-cannot-say", test_request_refuses_what_it_cannot_say);
  g_test_add_func ("/sluice/codegen/job-request/settings-diff", test_settings_diff);
  g_test_add_func ("/sluice/codegen/job-request/is-generated-code", test_job_request_is_generated_code);
  return g_test_run ();
}
