/* Projects: folders, the bundled example, broken projects. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sluice-core.h"
#include "sluice-project-private.h"

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sluice-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
write_file (const char *dir,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (parent, 0755);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir)
    {
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            rm_rf (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static char *
problems_of (SluiceProject *project)
{
  GListModel *problems = sluice_project_get_problems (project);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
    {
      g_autoptr(SluiceDiagnostic) d = g_list_model_get_item (problems, i);
      g_autofree char *s = sluice_diagnostic_to_string (d);
      g_string_append_printf (out, "%s\n", s);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
example_dir (void)
{
  static char *dir;

  if (dir == NULL)
    dir = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  return dir;
}

static void
assert_same_bytes (GBytes     *saved,
                   const char *path)
{
  g_autofree char *original = NULL;
  gsize len;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &original, &len, &error);
  g_assert_no_error (error);
  g_test_message ("%s", path);
  g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved), original, len);
}

static void
test_example_loads_clean (void)
{
  g_autoptr(GFile) dir = g_file_new_for_path (example_dir ());
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, &error);
  g_autofree char *problems = NULL;

  g_assert_no_error (error);
  problems = problems_of (project);
  g_assert_cmpstr (problems, ==, "");
  g_assert_cmpuint (sluice_project_get_n_errors (project), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_pipelines (project)), >=, 3);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_datasets (project)), >=, 3);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_jobs (project)), >=, 1);
  g_assert_nonnull (sluice_project_find_dataset (project, "orders"));
}

/* Every example file is in canonical form: load → save gives it back. */
static void
test_example_files_round_trip (void)
{
  g_autoptr(GFile) dir = g_file_new_for_path (example_dir ());
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  g_autoptr(GBytes) manifest = NULL;
  g_autofree char *manifest_path = g_build_filename (example_dir (), "sluice.json", NULL);
  guint files = 1;

  g_assert_nonnull (project);
  manifest = _sluice_project_manifest_to_bytes (project);
  assert_same_bytes (manifest, manifest_path);

  for (guint i = 0; i < g_list_model_get_n_items (sluice_project_get_pipelines (project)); i++, files++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (sluice_project_get_pipelines (project), i);
      g_autoptr(GBytes) bytes = sluice_pipeline_to_bytes (p);
      g_autofree char *path = g_build_filename (example_dir (), sluice_pipeline_get_file (p), NULL);
      assert_same_bytes (bytes, path);
    }
  for (guint i = 0; i < g_list_model_get_n_items (sluice_project_get_datasets (project)); i++, files++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (sluice_project_get_datasets (project), i);
      g_autoptr(GBytes) bytes = sluice_dataset_to_bytes (d);
      g_autofree char *path = g_build_filename (example_dir (), sluice_dataset_get_file (d), NULL);
      assert_same_bytes (bytes, path);
    }
  for (guint i = 0; i < g_list_model_get_n_items (sluice_project_get_jobs (project)); i++, files++)
    {
      g_autoptr(SluiceJob) j = g_list_model_get_item (sluice_project_get_jobs (project), i);
      g_autoptr(GBytes) bytes = sluice_job_to_bytes (j);
      g_autofree char *path = g_build_filename (example_dir (), sluice_job_get_file (j), NULL);
      assert_same_bytes (bytes, path);
    }
  g_assert_cmpuint (files, >=, 9);
}

static void
test_broken_project_lists_every_problem (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autoptr(GFile) dir = g_file_new_for_path (tmp);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autofree char *problems = NULL;
  SluicePipeline *broken;

  write_file (tmp, "sluice.json", "{\n  \"format_version\": 1,\n  \"name\": \"Broken\"\n}\n");
  write_file (tmp, "datasets/orders.json",
              "{\n  \"format_version\": 1,\n  \"format\": \"xls\",\n  \"location\": \"o\",\n"
              "  \"sample\": \"data/missing.csv\",\n  \"schema\": []\n}\n");
  write_file (tmp, "datasets/good.json",
              "{\n  \"format_version\": 1,\n  \"format\": \"csv\",\n  \"location\": \"g\",\n"
              "  \"sample\": \"data/missing.csv\",\n  \"schema\": [\n"
              "    {\"name\": \"a\", \"type\": \"int\"},\n    {\"name\": \"A\", \"type\": \"money\"}\n  ]\n}\n");
  write_file (tmp, "pipelines/truncated.json", "{\n  \"format_version\": 1,\n  \"gems\": [\n");
  write_file (tmp, "pipelines/dangling.json",
              "{\n  \"format_version\": 1,\n  \"gems\": [],\n  \"edges\": [\n"
              "    {\"from\": \"a.out\", \"to\": \"b.in0\"}\n  ]\n}\n");
  write_file (tmp, "pipelines/Bad Name.json", "{}");
  write_file (tmp, "pipelines/.tmp-save.json.XYZ123", "garbage of an interrupted save");
  write_file (tmp, "pipelines/notes.txt", "not a pipeline");
  write_file (tmp, "jobs/nightly.json",
              "{\"format_version\": 1, \"schedule\": {\"cron\": \"0 61 * * * ?\"}, \"pipelines\": [\"dangling\", \"gone\"]}");

  project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  problems = problems_of (project);
  g_assert_cmpstr (problems, ==,
    "datasets/good.json:5:13: error: sample file “data/missing.csv” does not exist\n"
    "datasets/good.json:8:5: error: column “A” appears twice (names are case-insensitive)\n"
    "datasets/good.json:8:5: error: column “A”: unknown type “money” (use string, int, bigint, double, decimal(p,s), boolean, date or timestamp)\n"
    "datasets/orders.json:3:13: error: unknown dataset format “xls” (known: csv, jsonl, parquet, delta, table, snowflake_table)\n"
    "jobs/nightly.json:1:44: error: the cron expression “0 61 * * * ?”: “61” is not a valid minutes field\n"
    "jobs/nightly.json:1:87: error: there is no pipeline “gone” in the project\n"
    "pipelines/Bad Name.json: error: “Bad Name” is not a valid name: use lower-case letters, digits and underscores, starting with a letter\n"
    "pipelines/dangling.json:5:5: error: edge a.out → b.in0: there is no gem “a”\n"
    "pipelines/dangling.json:5:5: error: edge a.out → b.in0: there is no gem “b”\n"
    "pipelines/truncated.json:3:11: error: unterminated array (missing “]”)\n");
  g_assert_cmpuint (sluice_project_get_n_errors (project), ==, 10);

  /* The unreadable pipeline is still listed, so the user can find it. */
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_pipelines (project)), ==, 2);
  broken = sluice_project_find_pipeline (project, "truncated");
  g_assert_nonnull (broken);
  g_assert_error (sluice_pipeline_get_load_error (broken), SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  /* The dataset whose file is broken is not. */
  g_assert_null (sluice_project_find_dataset (project, "orders"));
  g_assert_nonnull (sluice_project_find_dataset (project, "good"));

  g_assert_finalize_object (g_steal_pointer (&project));
  rm_rf (tmp);
}

static void
test_unusable_folders (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autoptr(GFile) dir = g_file_new_for_path (tmp);
  g_autoptr(GError) error = NULL;

  g_assert_null (sluice_project_load (dir, NULL, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_NOT_A_PROJECT);
  g_assert_nonnull (strstr (error->message, "has no sluice.json"));
  g_clear_error (&error);

  write_file (tmp, "sluice.json", "{\"format_version\": 2, \"name\": \"From the future\"}");
  g_assert_null (sluice_project_load (dir, NULL, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_NEWER_FORMAT);
  g_assert_true (g_str_has_prefix (error->message, "sluice.json:1:20: error: written by a newer Sluice"));
  g_clear_error (&error);

  write_file (tmp, "sluice.json", "{\"format_version\": 1, \"code_targets\": [\"cobol\"]}");
  g_assert_null (sluice_project_load (dir, NULL, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, "sluice.json:1:1: error: the project: missing “name” (and 1 more problem)");

  rm_rf (tmp);
}

static void
test_create_add_and_reload (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "new", "project", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = sluice_project_create (dir, "My “Project”", &error);
  g_autoptr(SluiceProject) again = NULL;
  g_autoptr(SluiceProject) twice = NULL;
  g_autofree char *manifest = NULL;
  g_autofree char *manifest_path = g_build_filename (root, "sluice.json", NULL);
  g_autofree char *ignore_path = g_build_filename (root, ".gitignore", NULL);
  SluicePipeline *p;

  g_assert_no_error (error);
  g_file_get_contents (manifest_path, &manifest, NULL, NULL);
  g_assert_cmpstr (manifest, ==,
                   "{\n  \"format_version\": 1,\n  \"name\": \"My “Project”\",\n"
                   "  \"code_targets\": [\"pyspark\", \"spark-sql\", \"snowflake-sql\"]\n}\n");
  g_assert_true (g_file_test (ignore_path, G_FILE_TEST_IS_REGULAR));

  p = sluice_project_add_pipeline (project, "orders_daily", &error);
  g_assert_no_error (error);
  g_assert_nonnull (p);
  g_assert_null (sluice_project_add_pipeline (project, "orders_daily", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (sluice_project_add_pipeline (project, "Orders Daily", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_nonnull (sluice_project_add_pipeline (project, "a_first", &error));
  g_assert_cmpstr (sluice_pipeline_get_name (g_list_model_get_item (sluice_project_get_pipelines (project), 0)), ==, "a_first");
  g_object_unref (g_list_model_get_item (sluice_project_get_pipelines (project), 0));

  again = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_project_get_name (again), ==, "My “Project”");
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_pipelines (again)), ==, 2);
  g_assert_cmpuint (sluice_project_get_n_errors (again), ==, 0);

  twice = sluice_project_create (dir, "Again", &error);
  g_assert_null (twice);
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS);

  rm_rf (tmp);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_load_async_and_cancel (void)
{
  g_autoptr(GFile) dir = g_file_new_for_path (example_dir ());
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) cancelled_result = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluiceProject) none = NULL;
  g_autoptr(GError) error = NULL;

  sluice_project_load_async (dir, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  project = sluice_project_load_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_pipelines (project)), >=, 3);

  g_cancellable_cancel (cancellable);
  sluice_project_load_async (dir, cancellable, loaded_cb, &cancelled_result);
  while (cancelled_result == NULL)
    g_main_context_iteration (NULL, TRUE);
  none = sluice_project_load_finish (cancelled_result, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_rename_remove_and_restore_items (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "proj", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = sluice_project_create (dir, "Items", &error);
  g_autofree char *old_path = g_build_filename (root, "pipelines", "orders.json", NULL);
  g_autofree char *new_path = g_build_filename (root, "pipelines", "orders_daily.json", NULL);
  g_autofree char *ds_path = g_build_filename (root, "datasets", "customers.json", NULL);
  g_autoptr(GBytes) removed = NULL;
  SluicePipeline *p;
  gpointer renamed;

  g_assert_no_error (error);
  p = sluice_project_add_pipeline (project, "orders", &error);
  g_assert_no_error (error);
  g_assert_nonnull (sluice_project_add_pipeline (project, "taken", &error));
  write_file (root, "datasets/customers.json",
              "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"x\", \"schema\": [{\"name\": \"id\", \"type\": \"bigint\"}]}\n");
  write_file (root, "jobs/nightly.json",
              "{\"format_version\": 1, \"fabric\": \"f\", \"schedule\": {\"cron\": \"0 0 5 * * ?\", "
              "\"timezone\": \"UTC\"}, \"pipelines\": [\"taken\", \"orders\"]}\n");
  g_clear_object (&project);
  project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (sluice_project_find_item (project, SLUICE_ITEM_DATASET, "customers"));

  /* Refusals name the problem and change nothing. */
  g_assert_null (sluice_project_rename_item (project, SLUICE_ITEM_PIPELINE, "orders", "Orders!", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Orders!"));
  g_clear_error (&error);
  g_assert_null (sluice_project_rename_item (project, SLUICE_ITEM_PIPELINE, "orders", "taken", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS);
  g_assert_nonnull (strstr (error->message, "pipelines/taken.json"));
  g_clear_error (&error);
  g_assert_null (sluice_project_rename_item (project, SLUICE_ITEM_JOB, "nope", "other", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "jobs/nope.json"));
  g_clear_error (&error);

  p = sluice_project_find_pipeline (project, "orders");
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Filter", "F", 0, 0, &error));
  g_assert_null (sluice_project_rename_item (project, SLUICE_ITEM_PIPELINE, "orders", "orders_daily", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "orders"));
  g_clear_error (&error);
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_true (g_file_test (old_path, G_FILE_TEST_EXISTS));

  renamed = sluice_project_rename_item (project, SLUICE_ITEM_PIPELINE, "orders", "orders_daily", &error);
  g_assert_no_error (error);
  g_assert_true (SLUICE_IS_PIPELINE (renamed));
  g_assert_cmpstr (sluice_pipeline_get_name (renamed), ==, "orders_daily");
  g_assert_cmpstr (sluice_pipeline_get_file (renamed), ==, "pipelines/orders_daily.json");
  g_assert_false (g_file_test (old_path, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_assert_null (sluice_project_find_pipeline (project, "orders"));
  g_assert_true (sluice_project_find_pipeline (project, "orders_daily") == renamed);
  /* The job that ran it runs it under its new name, on disk too. */
  {
    SluiceJob *job = sluice_project_find_job (project, "nightly");
    g_autofree char *job_path = g_build_filename (root, "jobs", "nightly.json", NULL);
    g_autofree char *text = NULL;

    g_assert_cmpstr (sluice_job_get_pipelines (job)[0], ==, "taken");
    g_assert_cmpstr (sluice_job_get_pipelines (job)[1], ==, "orders_daily");
    g_assert_true (g_file_get_contents (job_path, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"orders_daily\""));
    g_assert_null (strstr (text, "\"orders\""));
    g_assert_nonnull (strstr (text, "0 0 5 * * ?"));
  }

  renamed = sluice_project_rename_item (project, SLUICE_ITEM_DATASET, "customers", "clients", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_dataset_get_name (renamed), ==, "clients");
  g_assert_false (g_file_test (ds_path, G_FILE_TEST_EXISTS));

  removed = sluice_project_remove_item (project, SLUICE_ITEM_PIPELINE, "orders_daily", &error);
  g_assert_no_error (error);
  g_assert_nonnull (removed);
  g_assert_false (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_assert_null (sluice_project_find_pipeline (project, "orders_daily"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_project_get_pipelines (project)), ==, 1);

  renamed = sluice_project_restore_item (project, SLUICE_ITEM_PIPELINE, "orders_daily", removed, &error);
  g_assert_no_error (error);
  g_assert_true (SLUICE_IS_PIPELINE (renamed));
  g_assert_true (g_file_test (new_path, G_FILE_TEST_EXISTS));
  g_assert_true (sluice_project_find_pipeline (project, "orders_daily") == renamed);
  {
    g_autoptr(SluicePipeline) first = g_list_model_get_item (sluice_project_get_pipelines (project), 0);
    g_assert_cmpstr (sluice_pipeline_get_name (first), ==, "orders_daily"); /* sorted */
  }
  g_assert_null (sluice_project_restore_item (project, SLUICE_ITEM_PIPELINE, "orders_daily", removed, &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS);

  g_clear_object (&project);
  rm_rf (tmp);
}

static char *
job_file (const char *root,
          const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/jobs/%s.json", root, name);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* A renamed fabric: the jobs naming it (in any case) follow, on disk too;
 * others are untouched; an undo with the list it returned puts back only
 * those; a file that cannot be written leaves every job as it was. */
static void
test_rename_fabric_in_jobs (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *root = g_build_filename (tmp, "proj", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = sluice_project_create (dir, "Fabrics", &error);
  g_auto(GStrv) changed = NULL;
  g_auto(GStrv) back = NULL;
  g_autofree char *text = NULL;
  const char *job_json = "{\"format_version\": 1, \"fabric\": \"%s\", \"schedule\": {\"cron\": \"0 0 5 * * ?\", "
                         "\"timezone\": \"UTC\"}, \"pipelines\": [\"orders\"]}\n";

  g_assert_no_error (error);
  g_assert_nonnull (sluice_project_add_pipeline (project, "orders", &error));
  {
    g_autofree char *a = g_strdup_printf (job_json, "Prod");
    g_autofree char *b = g_strdup_printf (job_json, "prod");
    g_autofree char *c = g_strdup_printf (job_json, "Staging");
    write_file (root, "jobs/nightly.json", a);
    write_file (root, "jobs/hourly.json", b);
    write_file (root, "jobs/other.json", c);
  }
  g_clear_object (&project);
  project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);

  changed = sluice_project_rename_fabric (project, "Prod", "Production", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (changed), ==, 2);
  g_assert_true (g_strv_contains ((const char * const *) changed, "nightly"));
  g_assert_true (g_strv_contains ((const char * const *) changed, "hourly"));
  g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "nightly")), ==, "Production");
  g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "hourly")), ==, "Production");
  g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "other")), ==, "Staging");
  text = job_file (root, "nightly");
  g_assert_nonnull (strstr (text, "\"fabric\": \"Production\""));
  g_clear_pointer (&text, g_free);
  text = job_file (root, "other");
  g_assert_nonnull (strstr (text, "\"fabric\": \"Staging\""));
  g_clear_pointer (&text, g_free);

  /* A job that named the new name before (a fabric the user lacked) is not
   * one of the rename's: the undo leaves it. */
  sluice_job_set_fabric (sluice_project_find_job (project, "other"), "Production");
  g_assert_true (sluice_project_save_job (project, sluice_project_find_job (project, "other"), &error));
  back = sluice_project_rename_fabric (project, "Production", "Prod", (const char * const *) changed, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (back), ==, 2);
  g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "nightly")), ==, "Prod");
  g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "hourly")), ==, "Prod");
  g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "other")), ==, "Production");
  text = job_file (root, "hourly");
  g_assert_nonnull (strstr (text, "\"fabric\": \"Prod\""));
  g_clear_pointer (&text, g_free);

  /* No job names it: nothing changes, no error. */
  g_clear_pointer (&changed, g_strfreev);
  changed = sluice_project_rename_fabric (project, "Livy", "Spark", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (changed), ==, 0);

  /* A job file that cannot be replaced (a folder in its way): all or none,
   * so hourly, written before nightly failed, is put back on disk too. */
  {
    g_autofree char *nightly = g_build_filename (root, "jobs", "nightly.json", NULL);
    g_autofree char *saved = job_file (root, "nightly");

    g_assert_cmpint (g_unlink (nightly), ==, 0);
    g_assert_cmpint (g_mkdir (nightly, 0755), ==, 0);
    write_file (root, "jobs/nightly.json/in-the-way", "x");
    g_clear_pointer (&changed, g_strfreev);
    changed = sluice_project_rename_fabric (project, "Prod", "Production", NULL, &error);
    g_assert_null (changed);
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "jobs/nightly.json"));
    g_clear_error (&error);
    g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "nightly")), ==, "Prod");
    g_assert_cmpstr (sluice_job_get_fabric (sluice_project_find_job (project, "hourly")), ==, "Prod");
    text = job_file (root, "hourly");
    g_assert_nonnull (strstr (text, "\"fabric\": \"Prod\""));
    g_clear_pointer (&text, g_free);
    rm_rf (nightly);
    write_file (root, "jobs/nightly.json", saved);
  }
  g_clear_object (&project);
  rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/project/example-loads-clean", test_example_loads_clean);
  g_test_add_func ("/sluice/core/project/example-files-round-trip", test_example_files_round_trip);
  g_test_add_func ("/sluice/core/project/broken-project-lists-every-problem", test_broken_project_lists_every_problem);
  g_test_add_func ("/sluice/core/project/unusable-folders", test_unusable_folders);
  g_test_add_func ("/sluice/core/project/create-add-and-reload", test_create_add_and_reload);
  g_test_add_func ("/sluice/core/project/load-async-and-cancel", test_load_async_and_cancel);
  g_test_add_func ("/sluice/core/project/renames-removes-and-restores-items", test_rename_remove_and_restore_items);
  g_test_add_func ("/sluice/core/project/rename-fabric-in-jobs", test_rename_fabric_in_jobs);

  return g_test_run ();
}
