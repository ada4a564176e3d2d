/* sluice-cli: check Sluice projects and generate their code from the
 * command line, with the same core as the app. */
#define G_LOG_DOMAIN "sluice-cli"

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "sluice-atomic-file.h"
#include "sluice-cli-private.h"
#include "sluice-code-writer.h"
#include "sluice-job-request.h"
#include "sluice-core.h"
#include "sluice-http-client.h"
#include "sluice-pyspark-generator.h"
#include "sluice-redact.h"
#include "sluice-resolver.h"
#include "sluice-sql-generator.h"


static const char usage[] =
  "Usage: sluice-cli COMMAND [ARGS…]\n"
  "\n"
  "Commands:\n"
  "  validate PROJECT_DIR   Check a project and print every problem as\n"
  "                         FILE:LINE:COL: error: MESSAGE\n"
  "  generate PROJECT_DIR [--check]\n"
  "                         Write the code of every pipeline under code/ (the\n"
  "                         targets sluice.json lists); with --check, write nothing\n"
  "                         and list every file that differs from what is there\n"
  "  run PROJECT_DIR PIPELINE [--until GEM] [--limit N] [--format table|csv|json]\n"
  "                         Run a pipeline (or what GEM needs, and GEM) on the\n"
  "                         Local fabric: print each gem's row count and time,\n"
  "                         then the first N rows (1000) of the last gem\n"
  "  dataset infer FILE [--format csv|jsonl] [--name NAME] [--max-rows N]\n"
  "                         Print the dataset file (datasets/NAME.json) of a\n"
  "                         sample: its options and schema, inferred\n"
  "  dataset preview PROJECT_DIR NAME [--limit N] [--format table|csv|json]\n"
  "                         Print the first N rows (1000) of a dataset's sample,\n"
  "                         converted to its schema as a run reads it\n"
  "  merge-driver BASE OURS THEIRS [PATH]\n"
  "                         git's merge driver for pipelines/*.json: merges gem by\n"
  "                         gem and field by field into OURS; exit 1 on conflicts\n"
  "  diff-pipeline OLD NEW  What changed between two versions of a pipeline file\n"
  "\n"
  "Exit status: 0 valid (or up to date, or the run succeeded), 1 problems found\n"
  "(or files differ, or the run failed, or bad data in a sample), 2 bad arguments\n"
  "or unreadable project.\n";

char *
display_path (const char *dir_arg,
              const char *file)
{
  if (g_str_equal (dir_arg, "."))
    return g_strdup (file);
  if (g_str_has_suffix (dir_arg, "/"))
    return g_strconcat (dir_arg, file, NULL);
  return g_strconcat (dir_arg, "/", file, NULL);
}

static int
cmd_validate (int    argc,
              char **argv)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) files = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *problems;
  guint n, n_errors = 0;
  const char *dir_arg;

  if (argc != 2)
    {
      g_printerr ("sluice-cli: validate takes exactly one PROJECT_DIR\n\n%s", usage);
      return EXIT_USAGE;
    }
  dir_arg = argv[1];
  if (!g_file_test (dir_arg, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("sluice-cli: %s: %s\n", dir_arg,
                  g_file_test (dir_arg, G_FILE_TEST_EXISTS) ? _("not a folder") : _("no such folder"));
      return EXIT_USAGE;
    }

  dir = g_file_new_for_commandline_arg (dir_arg);
  project = sluice_project_load (dir, NULL, &error);
  if (project == NULL)
    {
      /* A broken manifest is a problem in the project, with a position;
       * a missing or newer one makes the project unreadable here. */
      if (g_error_matches (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE))
        {
          g_autofree char *shown = display_path (dir_arg, error->message);
          g_print ("%s\n", shown);
          return EXIT_PROBLEMS;
        }
      g_printerr ("sluice-cli: %s\n", error->message);
      return EXIT_USAGE;
    }

  problems = sluice_project_get_problems (project);
  n = g_list_model_get_n_items (problems);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceDiagnostic) d = g_list_model_get_item (problems, i);
      g_autofree char *text = sluice_diagnostic_to_string (d);
      g_autofree char *shown = display_path (dir_arg, text);

      g_print ("%s\n", shown);
      if (sluice_diagnostic_get_severity (d) == SLUICE_SEVERITY_ERROR)
        n_errors++;
      g_hash_table_add (files, (gpointer) sluice_diagnostic_get_file (d));
    }

  if (n_errors > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: %u error", "%s: %u errors", n_errors), dir_arg, n_errors);
      g_printerr (g_dngettext (GETTEXT_PACKAGE, " in %u file\n", " in %u files\n",
                               g_hash_table_size (files)), g_hash_table_size (files));
      return EXIT_PROBLEMS;
    }

  {
    guint n_pipelines = g_list_model_get_n_items (sluice_project_get_pipelines (project));
    guint n_datasets = g_list_model_get_n_items (sluice_project_get_datasets (project));
    guint n_jobs = g_list_model_get_n_items (sluice_project_get_jobs (project));

    g_printerr ("%s: ", dir_arg);
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "valid (%u pipeline, ", "valid (%u pipelines, ", n_pipelines), n_pipelines);
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u dataset, ", "%u datasets, ", n_datasets), n_datasets);
    g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u job)\n", "%u jobs)\n", n_jobs), n_jobs);
  }
  return EXIT_VALID;
}

SluiceProject *
load_project (const char *dir_arg,
              int        *status)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;
  SluiceProject *project;

  if (!g_file_test (dir_arg, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("sluice-cli: %s: %s\n", dir_arg,
                  g_file_test (dir_arg, G_FILE_TEST_EXISTS) ? _("not a folder") : _("no such folder"));
      *status = EXIT_USAGE;
      return NULL;
    }
  dir = g_file_new_for_commandline_arg (dir_arg);
  project = sluice_project_load (dir, NULL, &error);
  if (project == NULL)
    {
      if (g_error_matches (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE))
        {
          g_autofree char *shown = display_path (dir_arg, error->message);
          g_print ("%s\n", shown);
          *status = EXIT_PROBLEMS;
        }
      else
        {
          g_printerr ("sluice-cli: %s\n", error->message);
          *status = EXIT_USAGE;
        }
    }
  return project;
}

/* Every generated file of @pipeline for the project's code targets, by
 * project-relative path. FALSE (and the problems printed) when a target
 * cannot express the pipeline: nothing of it is written then. */
static gboolean
generate_pipeline (SluiceProject  *project,
                   SluicePipeline *pipeline,
                   GHashTable     *out,
                   const char     *dir_arg)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) files = sluice_code_files_for_pipeline (project, pipeline, NULL, problems);
  GHashTableIter iter;
  gpointer path, text;

  if (files == NULL)
    {
      for (guint i = 0; i < problems->len; i++)
        {
          g_autofree char *line = g_strdup_printf ("%s: error: %s", sluice_pipeline_get_file (pipeline),
                                                   (char *) g_ptr_array_index (problems, i));
          g_autofree char *shown = display_path (dir_arg, line);
          g_print ("%s\n", shown);
        }
      return FALSE;
    }
  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &path, &text))
    g_hash_table_insert (out, g_strdup (path), g_strdup (text));
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

/* Files under code/ that Sluice wrote once but no longer generates (a
 * pipeline renamed, deleted or a gem removed). Only files whose first line
 * carries Sluice's own header count, so nothing a person wrote is touched. */

/* Removes now-empty folders from @rel up to (not including) code/. */
static void
prune_empty_dirs (const char *root,
                  const char *rel)
{
  g_autofree char *current = g_path_get_dirname (rel);

  while (!g_str_equal (current, ".") && !g_str_equal (current, "code"))
    {
      g_autofree char *path = g_build_filename (root, current, NULL);
      char *up;

      if (g_rmdir (path) != 0)
        break;
      up = g_path_get_dirname (current);
      g_free (current);
      current = up;
    }
}

static int
cmd_generate (int    argc,
              char **argv)
{
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  const char *dir_arg = NULL;
  gboolean check = FALSE, ok = TRUE;
  guint written = 0, unchanged = 0, differ = 0, removed = 0;
  GListModel *pipelines;
  GHashTableIter iter;
  gpointer key;
  int status = EXIT_VALID;

  for (int i = 1; i < argc; i++)
    {
      if (g_str_equal (argv[i], "--check"))
        check = TRUE;
      else if (dir_arg == NULL && argv[i][0] != '-')
        dir_arg = argv[i];
      else
        {
          g_printerr ("sluice-cli: generate: unexpected “%s”\n\n%s", argv[i], usage);
          return EXIT_USAGE;
        }
    }
  if (dir_arg == NULL)
    {
      g_printerr ("sluice-cli: generate needs a PROJECT_DIR\n\n%s", usage);
      return EXIT_USAGE;
    }
  if (!(project = load_project (dir_arg, &status)))
    return status;

  /* Code from a project with problems would be wrong code: say so instead. */
  if (sluice_project_get_n_errors (project) > 0)
    {
      GListModel *problems = sluice_project_get_problems (project);
      for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
        {
          g_autoptr(SluiceDiagnostic) d = g_list_model_get_item (problems, i);
          g_autofree char *text = sluice_diagnostic_to_string (d);
          g_autofree char *shown = display_path (dir_arg, text);
          g_print ("%s\n", shown);
        }
      g_printerr (_("%s: the project has problems; no code was written\n"), dir_arg);
      return EXIT_PROBLEMS;
    }

  pipelines = sluice_project_get_pipelines (project);
  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      ok &= generate_pipeline (project, p, files, dir_arg);
    }

  /* Each job's Jobs API request; a job that cannot be deployed yet (no
   * cluster node type) has none, and the job editor says why. */
  for (guint i = 0; i < g_list_model_get_n_items (sluice_project_get_jobs (project)); i++)
    {
      g_autoptr(SluiceJob) j = g_list_model_get_item (sluice_project_get_jobs (project), i);
      g_autoptr(GPtrArray) job_problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GHashTable) job_files = sluice_code_files_for_job (project, j, job_problems);
      GHashTableIter job_iter;
      gpointer path, text;

      if (job_files == NULL)
        continue;
      g_hash_table_iter_init (&job_iter, job_files);
      while (g_hash_table_iter_next (&job_iter, &path, &text))
        g_hash_table_insert (files, g_strdup (path), g_strdup (text));
    }

  g_hash_table_iter_init (&iter, files);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (paths, key);
  g_ptr_array_sort (paths, compare_strings);

  for (guint i = 0; i < paths->len; i++)
    {
      const char *rel = g_ptr_array_index (paths, i);
      const char *text = g_hash_table_lookup (files, rel);
      g_autofree char *path = g_build_filename (dir_arg, rel, NULL);
      g_autofree char *current = NULL;

      if (g_file_get_contents (path, &current, NULL, NULL) && g_str_equal (current, text))
        {
          unchanged++;
          continue;
        }
      if (check)
        {
          g_autofree char *shown = display_path (dir_arg, rel);
          g_print ("%s\n", shown);
          differ++;
          continue;
        }
      {
        g_autofree char *folder = g_path_get_dirname (path);
        g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
        g_autoptr(GError) error = NULL;

        if (g_mkdir_with_parents (folder, 0755) != 0)
          {
            int saved = errno;
            g_printerr ("sluice-cli: %s: %s\n", folder, g_strerror (saved));
            return EXIT_PROBLEMS;
          }
        if (!sluice_atomic_write (path, bytes, NULL, &error))
          {
            g_printerr ("sluice-cli: %s\n", error->message);
            return EXIT_PROBLEMS;
          }
        written++;
      }
    }

  sluice_code_collect_stale (dir_arg, "code", files, stale);
  g_ptr_array_sort (stale, compare_strings);
  for (guint i = 0; i < stale->len; i++)
    {
      const char *rel = g_ptr_array_index (stale, i);
      g_autofree char *path = g_build_filename (dir_arg, rel, NULL);
      g_autofree char *shown = display_path (dir_arg, rel);

      if (check)
        {
          g_print (_("%s (no longer generated)\n"), shown);
          differ++;
          continue;
        }
      if (g_remove (path) != 0)
        {
          int saved = errno;
          g_printerr ("sluice-cli: %s: %s\n", shown, g_strerror (saved));
          return EXIT_PROBLEMS;
        }
      prune_empty_dirs (dir_arg, rel);
      removed++;
    }

  if (check)
    {
      if (differ > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: %u generated file differs from the pipelines\n",
                                 "%s: %u generated files differ from the pipelines\n", differ), dir_arg, differ);
      else if (ok)
        g_printerr (_("%s: generated code is up to date (%u files)\n"), dir_arg, unchanged);
      return differ > 0 || !ok ? EXIT_PROBLEMS : EXIT_VALID;
    }
  g_printerr (_("%s: wrote %u files, %u unchanged, %u removed\n"), dir_arg, written, unchanged, removed);
  return ok ? EXIT_VALID : EXIT_PROBLEMS;
}

int
main (int    argc,
      char **argv)
{
  /* First: no log line, not even a debug one, may carry a token; nor any
   * line or message of the remote engines' HTTP layer. */
  sluice_redact_install_log_writer ();
  sluice_http_set_redactor (sluice_redact);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    {
      g_printerr ("%s", usage);
      return EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h") || g_str_equal (argv[1], "help"))
    {
      g_print ("%s", usage);
      return EXIT_VALID;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("sluice-cli %s\n", PACKAGE_VERSION);
      return EXIT_VALID;
    }
  if (g_str_equal (argv[1], "validate"))
    return cmd_validate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "generate"))
    return cmd_generate (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "run"))
    return cmd_run (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "dataset"))
    return cmd_dataset (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "merge-driver"))
    return cmd_merge_driver (argc - 1, argv + 1);
  if (g_str_equal (argv[1], "diff-pipeline"))
    return cmd_diff_pipeline (argc - 1, argv + 1);

  g_printerr ("sluice-cli: unknown command “%s”\n\n%s", argv[1], usage);
  return EXIT_USAGE;
}
