/* The interactive PySpark program: it compiles with Python, imports only
 * pyspark (and json, traceback), has one statement per gem of the run in
 * run order, and a statement reports its gem by id. */
#include "config.h"

#include "sluice-pyspark-interactive.h"

/* Compiles @program; fails with Python's message. Returns the imports seen. */
static void
py_compile_and_check (const char *program)
{
  const char *script =
    "import py_compile, sys, tempfile, os\n"
    "src = sys.stdin.read()\n"
    "fd, path = tempfile.mkstemp(suffix='.py')\n"
    "os.write(fd, src.encode('utf-8')); os.close(fd)\n"
    "try:\n"
    "    py_compile.compile(path, doraise=True, cfile=path + 'c')\n"
    "finally:\n"
    "    os.unlink(path)\n"
    "    if os.path.exists(path + 'c'): os.unlink(path + 'c')\n"
    "for line in src.splitlines():\n"
    "    if line.startswith(('import ', 'from ')):\n"
    "        mod = line.split()[1].split('.')[0]\n"
    "        assert mod in ('pyspark', 'json', 'traceback'), line\n"
    "print('ok')\n";
  const char *argv[] = { "/usr/bin/python3", "-c", script, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, program, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (proc))
    g_error ("python3: %s", err);
  g_assert_cmpstr (out, ==, "ok\n");
}

static void
test_retail_programs_compile (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  GListModel *pipelines = sluice_project_get_pipelines (project);
  guint n_programs = 0;

  g_assert_cmpuint (g_list_model_get_n_items (pipelines), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(SluicePySparkInteractive) run = sluice_pyspark_interactive_new (p, sluice_project_get_datasets (project),
                                                                                r, NULL, 20, problems);
      g_autofree char *program = sluice_pyspark_interactive_get_program (run);
      guint n_gems = g_list_model_get_n_items (sluice_pipeline_get_gems (p));

      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_cmpuint (sluice_pyspark_interactive_get_n_steps (run), ==, n_gems);
      g_assert_nonnull (strstr (sluice_pyspark_interactive_get_prelude (run), "_SLUICE_SAMPLE = 20\n"));
      for (guint k = 0; k < n_gems; k++)
        {
          const char *gem = sluice_pyspark_interactive_get_step_gem (run, k);
          g_autofree char *report = g_strdup_printf ("_sluice_report('%s', ", gem);
          g_autofree char *fail = g_strdup_printf ("_sluice_fail('%s', _sluice_error)", gem);

          g_assert_nonnull (sluice_pipeline_find_gem (p, gem));
          g_assert_nonnull (strstr (sluice_pyspark_interactive_get_step_code (run, k), report));
          g_assert_nonnull (strstr (sluice_pyspark_interactive_get_step_code (run, k), fail));
          /* Every gem's function is defined before any statement runs. */
          g_assert_nonnull (strstr (sluice_pyspark_interactive_get_prelude (run), "\ndef "));
        }
      py_compile_and_check (program);
      n_programs++;
    }
  g_assert_cmpuint (n_programs, ==, g_list_model_get_n_items (pipelines));
}

static void
test_until_gem_runs_only_what_it_needs (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  SluicePipeline *p = NULL;
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SluicePySparkInteractive) run = NULL;
  g_autofree char *program = NULL;
  GListModel *pipelines = sluice_project_get_pipelines (project);

  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) q = g_list_model_get_item (pipelines, i);
      if (g_str_equal (sluice_pipeline_get_name (q), "orders_enriched"))
        p = q;
    }
  g_assert_nonnull (p);
  r = sluice_resolver_new (p, sluice_project_get_datasets (project));
  run = sluice_pyspark_interactive_new (p, sluice_project_get_datasets (project), r, "completed_orders", 5, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  /* orders → completed_orders: nothing downstream, no other source. */
  g_assert_cmpuint (sluice_pyspark_interactive_get_n_steps (run), ==, 2);
  g_assert_cmpstr (sluice_pyspark_interactive_get_step_gem (run, 0), ==, "orders");
  g_assert_cmpstr (sluice_pyspark_interactive_get_step_gem (run, 1), ==, "completed_orders");
  g_assert_cmpstr (sluice_pyspark_interactive_get_step_code (run, 1), ==,
                   "try:\n"
                   "    completed_orders_out = completed_orders(spark, orders_out)\n"
                   "    _sluice_report('completed_orders', completed_orders_out)\n"
                   "except Exception as _sluice_error:\n"
                   "    _sluice_fail('completed_orders', _sluice_error)\n");
  program = sluice_pyspark_interactive_get_program (run);
  py_compile_and_check (program);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/codegen/pyspark-interactive/retail-programs-compile", test_retail_programs_compile);
  g_test_add_func ("/sluice/codegen/pyspark-interactive/until-gem-runs-only-what-it-needs",
                   test_until_gem_runs_only_what_it_needs);
  return g_test_run ();
}
