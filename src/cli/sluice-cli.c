/* sluice-cli: check and (in later versions) generate and run Sluice projects
 * from the command line, with the same core as the app. */
#define G_LOG_DOMAIN "sluice-cli"

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib/gi18n.h>

#include "sluice-core.h"

enum {
  EXIT_VALID = 0,
  EXIT_PROBLEMS = 1,
  EXIT_USAGE = 2,
};

static const char usage[] =
  "Usage: sluice-cli COMMAND [ARGS…]\n"
  "\n"
  "Commands:\n"
  "  validate PROJECT_DIR   Check a project and print every problem as\n"
  "                         FILE:LINE:COL: error: MESSAGE\n"
  "\n"
  "Exit status: 0 valid, 1 problems found, 2 bad arguments or unreadable project.\n";

/* Paths as the user typed the folder, so editors can jump to them. */
static char *
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

int
main (int    argc,
      char **argv)
{
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

  g_printerr ("sluice-cli: unknown command “%s”\n\n%s", argv[1], usage);
  return EXIT_USAGE;
}
