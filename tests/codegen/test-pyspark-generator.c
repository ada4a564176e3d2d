/* PySpark packages: every file compiles with Python, imports only pyspark
 * (and the standard library's argparse), and no name or label breaks out. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-pyspark-generator.h"

static void
write_tree (const char           *root,
            SluicePySparkPackage *files)
{
  for (guint i = 0; i < sluice_pyspark_package_get_n_files (files); i++)
    {
      g_autofree char *path = g_build_filename (root, sluice_pyspark_package_get_path (files, i), NULL);
      g_autofree char *dir = g_path_get_dirname (path);

      g_mkdir_with_parents (dir, 0755);
      g_assert_true (g_file_set_contents (path, sluice_pyspark_package_get_contents (files, i, NULL), -1, NULL));
    }
}

/* Compiles every .py under @root; fails with Python's message. */
static void
py_compile_all (const char *root)
{
  const char *script =
    "import pathlib, py_compile, sys\n"
    "n = 0\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n"
    "    py_compile.compile(str(p), doraise=True, cfile=str(p) + 'c')\n"
    "    for line in p.read_text(encoding='utf-8').splitlines():\n"
    "        if line.startswith(('import ', 'from ')):\n"
    "            mod = line.split()[1].split('.')[0]\n"
    "            ok = mod in ('pyspark', 'argparse', 'os', 'sys') or (line.startswith('from ') and '.gems.' in line)\n"
    "            assert ok, '%s imports %s' % (p, line)\n"
    "    if p.name == 'pipeline.py':\n"
    "        # Run as a file, as spark-submit and Databricks do: it must find\n"
    "        # its own package (pyspark here is the tests' stand-in).\n"
    "        import os, subprocess\n"
    "        fake = os.path.join(os.environ['SLUICE_SOURCE_ROOT'], 'tests', 'servers', 'fakespark')\n"
    "        r = subprocess.run([sys.executable, str(p), '--help'], cwd='/', capture_output=True, text=True,\n"
    "                           env=dict(os.environ, PYTHONPATH=fake))\n"
    "        assert r.returncode == 0, '%s run as a file: %s' % (p, r.stderr)\n"
    "    n += 1\n"
    "print(n)\n";
  const char *argv[] = { "/usr/bin/python3", "-c", script, root, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3: %s", err);
  g_test_message ("compiled %s files under %s", g_strstrip (out), root);
  g_assert_cmpint (atoi (out), >, 0);
}

static void
rm_rf (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", quoted);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
}

/* @data: the project, relative to the source root. */
static void
test_packages_compile (gconstpointer data)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), (const char *) data, NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  GListModel *pipelines = sluice_project_get_pipelines (project);
  g_autofree char *tmp = g_dir_make_tmp ("sluice-pyspark-XXXXXX", NULL);

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return;
    }

  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(SluicePySparkPackage) files = sluice_pyspark_generate (p, sluice_project_get_datasets (project), r, problems);
      g_autoptr(SluicePySparkPackage) again = sluice_pyspark_generate (p, sluice_project_get_datasets (project), r, problems);
      g_autofree char *out = g_build_filename (tmp, sluice_pipeline_get_name (p), NULL);

      g_assert_cmpuint (problems->len, ==, 0);
      /* Deterministic: the same files, byte for byte. */
      g_assert_cmpuint (sluice_pyspark_package_get_n_files (files), ==, sluice_pyspark_package_get_n_files (again));
      for (guint k = 0; k < sluice_pyspark_package_get_n_files (files); k++)
        {
          g_assert_cmpstr (sluice_pyspark_package_get_path (files, k), ==, sluice_pyspark_package_get_path (again, k));
          g_assert_cmpstr (sluice_pyspark_package_get_contents (files, k, NULL), ==,
                           sluice_pyspark_package_get_contents (again, k, NULL));
          g_assert_cmpstr (sluice_pyspark_package_lookup (again, sluice_pyspark_package_get_path (files, k)), ==,
                           sluice_pyspark_package_get_contents (files, k, NULL));
        }
      write_tree (out, files);
    }
  py_compile_all (tmp);

  /* One gem module, as a reviewer reads it. */
  if (g_str_equal (data, "examples/retail"))
    {
      g_autofree char *path = g_build_filename (tmp, "customer_cleanup", "customer_cleanup", "gems", "latest_per_email.py", NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      g_assert_cmpstr (text, ==,
        "# Written by Sluice from pipelines/customer_cleanup.json; edit the pipeline, not this file.\n"
        "# Gem latest_per_email: Latest per e-mail (Deduplicate)\n"
        "from pyspark.sql import functions as F\n"
        "from pyspark.sql import Window\n"
        "\n\n"
        "def latest_per_email(spark, in0):\n"
        "    window = Window.partitionBy('email').orderBy(F.expr('`signup_date`').desc())\n"
        "    numbered = in0.withColumn('_sluice_row', F.row_number().over(window))\n"
        "    return numbered.where(F.col('_sluice_row') == 1).drop('_sluice_row')\n");
    }
  rm_rf (tmp);
}

static void
test_hostile_names_do_not_break_out (void)
{
  const char *text =
    "{\"format_version\": 1, \"description\": \"line one\\n''' \\\"\\\"\\\" \\\\\", \"gems\": ["
    "{\"id\": \"class\", \"type\": \"Source\", \"label\": \"Src\\nimport os\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"d\"}},"
    "{\"id\": \"r\", \"type\": \"Reformat\", \"label\": \"R\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"columns\": ["
    "{\"name\": \"it's \\\"odd\\\"\\\\\\n\", \"expression\": \"concat(`we``ird`, 'a''b\\\\\\\\n', \\\"\\\\\\\"\\\")\"}]}}"
    "], \"edges\": [{\"from\": \"class.out\", \"to\": \"r.in0\"}]}";
  const char *ds = "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.t'; DROP\","
                   " \"schema\": [{\"name\": \"we`ird\", \"type\": \"string\"}]}";
  g_autoptr(GBytes) dbytes = g_bytes_new_static (ds, strlen (ds));
  g_autoptr(SluiceDataset) d = sluice_dataset_load_from_bytes ("d", "datasets/d.json", dbytes, NULL, NULL);
  g_autoptr(GListStore) datasets = g_list_store_new (SLUICE_TYPE_DATASET);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, &error);
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SluicePySparkPackage) files = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("sluice-pyspark-XXXXXX", NULL);

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return;
    }
  g_assert_no_error (error);
  g_assert_nonnull (d);
  g_list_store_append (datasets, d);
  r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  files = sluice_pyspark_generate (p, G_LIST_MODEL (datasets), r, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  /* A Python keyword as a gem id becomes an identifier. */
  g_assert_nonnull (sluice_pyspark_package_lookup (files, "p/gems/class_.py"));
  g_assert_null (strstr (sluice_pyspark_package_lookup (files, "p/gems/class_.py"), "\nimport os"));
  g_assert_null (sluice_pyspark_package_lookup (files, "p/gems/class.py"));
  write_tree (tmp, files);
  py_compile_all (tmp);
  rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/sluice/codegen/pyspark/example-packages-compile", "examples/retail", test_packages_compile);
  g_test_add_data_func ("/sluice/codegen/pyspark/catalog-packages-compile", "tests/codegen/catalog", test_packages_compile);
  g_test_add_func ("/sluice/codegen/pyspark/hostile-names-do-not-break-out", test_hostile_names_do_not_break_out);

  return g_test_run ();
}
