/* sluice_code_find_hand_edited: generated files changed by hand. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-code-writer.h"

static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_mkdir_with_parents (to, 0755);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *a = g_build_filename (from, name, NULL);
      g_autofree char *b = g_build_filename (to, name, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;

      if (g_file_test (a, G_FILE_TEST_IS_DIR))
        copy_tree (a, b);
      else
        {
          g_assert_true (g_file_get_contents (a, &text, &len, NULL));
          g_assert_true (g_file_set_contents (b, text, (gssize) len, NULL));
        }
    }
}

static void
test_lists_only_generated_files_edited_by_hand (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *dir = g_dir_make_tmp ("sluice-hand-XXXXXX", NULL);
  g_autoptr(GFile) folder = g_file_new_for_path (dir);
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) files = NULL;
  g_autoptr(GPtrArray) edited = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  guint written = 0, removed = 0;
  SluicePipeline *pipeline;

  copy_tree (example, dir);
  project = sluice_project_load (folder, NULL, &error);
  g_assert_no_error (error);
  pipeline = sluice_project_find_pipeline (project, "orders_enriched");
  g_assert_nonnull (pipeline);
  files = sluice_code_files_for_pipeline (project, pipeline, NULL, problems);
  g_assert_nonnull (files);
  g_assert_true (sluice_code_write_pipeline (dir, "orders_enriched", files, &written, &removed, &error));

  edited = sluice_code_find_hand_edited (dir, files);
  g_assert_cmpuint (edited->len, ==, 0);
  g_clear_pointer (&edited, g_ptr_array_unref);

  /* A hand edit, and a file deleted (not an edit: it is just written again). */
  sql = g_build_filename (dir, "code", "sql", "spark", "orders_enriched.sql", NULL);
  g_assert_true (g_file_set_contents (sql, "-- mine\nSELECT 1;\n", -1, NULL));
  {
    g_autofree char *snow = g_build_filename (dir, "code", "sql", "snowflake", "orders_enriched.sql", NULL);
    g_assert_cmpint (g_remove (snow), ==, 0);
  }
  edited = sluice_code_find_hand_edited (dir, files);
  g_assert_cmpuint (edited->len, ==, 1);
  g_assert_cmpstr (edited->pdata[0], ==, "code/sql/spark/orders_enriched.sql");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/codegen/code-writer/lists-only-generated-files-edited-by-hand",
                   test_lists_only_generated_files_edited_by_hand);
  return g_test_run ();
}
