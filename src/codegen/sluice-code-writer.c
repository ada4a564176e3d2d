#define G_LOG_DOMAIN "sluice-code-writer"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sluice-atomic-file.h"
#include "sluice-code-writer.h"
#include "sluice-job-request.h"
#include "sluice-pyspark-generator.h"
#include "sluice-sql-generator.h"

GHashTable *
sluice_code_files_for_pipeline (SluiceProject  *project,
                                SluicePipeline *pipeline,
                                SluiceResolver *resolver,
                                GPtrArray      *problems)
{
  GListModel *datasets = sluice_project_get_datasets (project);
  const char * const *targets = sluice_project_get_code_targets (project);
  g_autoptr(SluiceResolver) own = resolver ? NULL : sluice_resolver_new (pipeline, datasets);
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const char *name = sluice_pipeline_get_name (pipeline);
  guint before = problems->len;

  g_return_val_if_fail (SLUICE_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);

  if (resolver == NULL)
    resolver = own;
  if (targets && g_strv_contains (targets, "pyspark"))
    {
      g_autoptr(SluicePySparkPackage) package = sluice_pyspark_generate (pipeline, datasets, resolver, problems);

      for (guint i = 0; i < sluice_pyspark_package_get_n_files (package); i++)
        g_hash_table_insert (files, g_strdup_printf ("code/pyspark/%s/%s", name, sluice_pyspark_package_get_path (package, i)),
                             g_strdup (sluice_pyspark_package_get_contents (package, i, NULL)));
    }
  if (targets && g_strv_contains (targets, "spark-sql"))
    g_hash_table_insert (files, g_strdup_printf ("code/sql/spark/%s.sql", name),
                         sluice_sql_generate (pipeline, datasets, resolver, SLUICE_DIALECT_SPARK, problems));
  if (targets && g_strv_contains (targets, "snowflake-sql"))
    g_hash_table_insert (files, g_strdup_printf ("code/sql/snowflake/%s.sql", name),
                         sluice_sql_generate (pipeline, datasets, resolver, SLUICE_DIALECT_SNOWFLAKE, problems));

  return problems->len > before ? NULL : g_steal_pointer (&files);
}

gboolean
sluice_code_file_is_generated (const char *path)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  const char *eol;
  g_autofree char *first = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_SYMLINK) || !g_file_get_contents (path, &text, &len, NULL))
    return FALSE;
  eol = memchr (text, '\n', len);
  first = g_ascii_strdown (text, eol ? (gssize) (eol - text) : (gssize) len);
  if (strstr (first, "written by sluice from pipelines/") != NULL)
    return TRUE;
  /* JSON has no comments: a job request says it is Sluice's by its tag. */
  return (strstr (path, "code/jobs/") || strstr (path, "code" G_DIR_SEPARATOR_S "jobs" G_DIR_SEPARATOR_S)) &&
         g_str_has_suffix (path, ".json") && sluice_code_file_is_job_request (path);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GPtrArray *
sluice_code_find_hand_edited (const char *project_dir,
                              GHashTable *last_written)
{
  GPtrArray *edited = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (project_dir != NULL, edited);
  g_return_val_if_fail (last_written != NULL, edited);

  g_hash_table_iter_init (&iter, last_written);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *path = g_build_filename (project_dir, key, NULL);
      g_autofree char *current = NULL;
      gsize len = 0;

      if (!g_file_get_contents (path, &current, &len, NULL))
        continue;
      if (len != strlen (value) || memcmp (current, value, len) != 0)
        g_ptr_array_add (edited, g_strdup (key));
    }
  g_ptr_array_sort (edited, compare_paths);
  return edited;
}

void
sluice_code_collect_stale (const char *root,
               const char *rel,
               GHashTable *files,
               GPtrArray  *stale)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child_rel = g_build_filename (rel, name, NULL);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        sluice_code_collect_stale (root, child_rel, files, stale);
      else if (!g_hash_table_contains (files, child_rel) && sluice_code_file_is_generated (child))
        g_ptr_array_add (stale, g_steal_pointer (&child_rel));
    }
}

gboolean
sluice_code_write_pipeline (const char  *project_dir,
                            const char  *pipeline_name,
                            GHashTable  *files,
                            guint       *written,
                            guint       *removed,
                            GError     **error)
{
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *package = g_build_filename ("code", "pyspark", pipeline_name, NULL);
  GHashTableIter iter;
  gpointer key, value;

  *written = *removed = 0;
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_autofree char *path = g_build_filename (project_dir, key, NULL);
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree char *current = NULL;
      g_autoptr(GBytes) bytes = NULL;

      if (g_file_get_contents (path, &current, NULL, NULL) && g_str_equal (current, value))
        continue;
      if (g_mkdir_with_parents (folder, 0755) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", folder, g_strerror (saved));
          return FALSE;
        }
      bytes = g_bytes_new (value, strlen (value));
      if (!sluice_atomic_write (path, bytes, NULL, error))
        return FALSE;
      (*written)++;
    }

  /* Only this pipeline's package: its SQL files are always in @files. */
  sluice_code_collect_stale (project_dir, package, files, stale);
  for (guint i = 0; i < stale->len; i++)
    {
      g_autofree char *path = g_build_filename (project_dir, g_ptr_array_index (stale, i), NULL);

      if (g_remove (path) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
          return FALSE;
        }
      (*removed)++;
    }
  return TRUE;
}

/* Removes the empty folders from @rel (project-relative) down to @stop. */
static void
remove_empty_folders (const char *project_dir,
                      const char *rel,
                      const char *stop)
{
  g_autofree char *folder = g_path_get_dirname (rel);

  while (!g_str_equal (folder, stop) && !g_str_equal (folder, "."))
    {
      g_autofree char *path = g_build_filename (project_dir, folder, NULL);
      char *parent;

      if (g_rmdir (path) != 0)
        return;
      parent = g_path_get_dirname (folder);
      g_free (folder);
      folder = parent;
    }
}

GHashTable *
sluice_code_remove_pipeline (const char  *project_dir,
                             const char  *pipeline_name,
                             GError     **error)
{
  g_autoptr(GHashTable) removed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *package = g_build_filename ("code", "pyspark", pipeline_name, NULL);
  const char *dialects[] = { "spark", "snowflake" };

  g_return_val_if_fail (project_dir != NULL, NULL);
  g_return_val_if_fail (pipeline_name != NULL, NULL);

  sluice_code_collect_stale (project_dir, package, none, files);
  for (guint i = 0; i < G_N_ELEMENTS (dialects); i++)
    {
      g_autofree char *sql = g_strconcat (pipeline_name, ".sql", NULL);
      char *rel = g_build_filename ("code", "sql", dialects[i], sql, NULL);
      g_autofree char *path = g_build_filename (project_dir, rel, NULL);

      if (sluice_code_file_is_generated (path))
        g_ptr_array_add (files, rel);
      else
        g_free (rel);
    }

  /* Read them all first, so a failure leaves every file in place. */
  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (project_dir, rel, NULL);
      char *text = NULL;

      if (!g_file_get_contents (path, &text, NULL, error))
        return NULL;
      g_hash_table_insert (removed, g_strdup (rel), text);
    }
  for (guint i = 0; i < files->len; i++)
    {
      const char *rel = g_ptr_array_index (files, i);
      g_autofree char *path = g_build_filename (project_dir, rel, NULL);

      if (g_remove (path) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
          return NULL;
        }
      /* A module's folders inside the package, then the package itself. */
      if (g_str_has_prefix (rel, package))
        remove_empty_folders (project_dir, rel, "code/pyspark");
    }
  return g_steal_pointer (&removed);
}

gboolean
sluice_code_write_job (const char  *project_dir,
                       const char  *job_name,
                       GHashTable  *files,
                       GError     **error)
{
  g_autofree char *rel = g_strdup_printf ("code/jobs/%s.json", job_name);
  g_autofree char *path = g_build_filename (project_dir, rel, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *current = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *text = files ? g_hash_table_lookup (files, rel) : NULL;

  if (text == NULL)
    {
      if (sluice_code_file_is_generated (path) && g_remove (path) != 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  if (g_file_get_contents (path, &current, NULL, NULL) && g_str_equal (current, text))
    return TRUE;
  if (g_mkdir_with_parents (folder, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", folder, g_strerror (saved));
      return FALSE;
    }
  bytes = g_bytes_new (text, strlen (text));
  return sluice_atomic_write (path, bytes, NULL, error);
}
