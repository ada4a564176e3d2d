/* sluice-cli dataset: infer a dataset file from a sample, and preview a
 * dataset's rows as the Local fabric reads them. */
#define G_LOG_DOMAIN "sluice-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "sluice-cli-private.h"
#include "sluice-dataset-preview.h"
#include "sluice-engine-error.h"
#include "sluice-inference.h"
#include "sluice-run.h"

/* The file's name without its folder and last extension. */
static char *
stem_of (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *dot = strrchr (base, '.');

  if (dot && dot != base)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static int
cmd_infer (int    argc,
           char **argv)
{
  g_autofree char *format = NULL;
  g_autofree char *name = NULL;
  gint64 max_rows = 0;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv or jsonl (by default by the file's extension)"), "FORMAT" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The dataset's name (by default the file's stem)"), "NAME" },
    { "max-rows", 0, 0, G_OPTION_ARG_INT64, &max_rows, N_("Read only the first N rows (0: all)"), "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceInference) inf = NULL;
  g_autoptr(SluiceDataset) dataset = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *file;
  gsize len;
  const char *text;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sluice-cli dataset infer: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr ("sluice-cli dataset infer: %s\n", _("give one FILE (see sluice-cli --help)"));
      return EXIT_USAGE;
    }
  if (format && !g_str_equal (format, "csv") && !g_str_equal (format, "jsonl"))
    {
      g_printerr ("sluice-cli dataset infer: %s\n", _("--format is csv or jsonl"));
      return EXIT_USAGE;
    }
  if (max_rows < 0)
    {
      g_printerr ("sluice-cli dataset infer: %s\n", _("--max-rows is a number of rows, 0 or more"));
      return EXIT_USAGE;
    }
  file = argv[1];
  if (!g_file_test (file, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("sluice-cli dataset infer: %s: %s\n", file,
                  g_file_test (file, G_FILE_TEST_EXISTS) ? _("not a file") : _("no such file"));
      return EXIT_USAGE;
    }

  inf = sluice_inference_run (file, format, NULL, (guint64) max_rows, NULL, &error);
  if (inf == NULL)
    {
      /* bad data names its place, FILE:LINE:COL, as the user typed FILE */
      if (g_error_matches (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA))
        {
          g_printerr ("%s\n", error->message);
          return EXIT_PROBLEMS;
        }
      g_printerr ("sluice-cli dataset infer: %s\n", error->message);
      return EXIT_USAGE;
    }

  if (name == NULL)
    name = stem_of (file);
  dataset = sluice_inference_to_dataset (inf, name, file);
  bytes = sluice_dataset_to_bytes (dataset);
  text = g_bytes_get_data (bytes, &len);
  fwrite (text, 1, len, stdout);

  for (guint i = 0; i < sluice_inference_get_n_columns (inf); i++)
    if (sluice_inference_get_column_note (inf, i))
      g_printerr (_("%s: column “%s”: %s\n"), file, sluice_inference_get_column_name (inf, i),
                  sluice_inference_get_column_note (inf, i));
  if (!sluice_inference_is_complete (inf))
    {
      g_autofree char *rows = sluice_format_row_count ((gint64) sluice_inference_get_n_rows (inf));
      g_printerr (_("%s: read the first %s only; the file goes on\n"), file, rows);
    }
  return EXIT_VALID;
}

static int
cmd_preview (int    argc,
             char **argv)
{
  g_autofree char *format_arg = NULL;
  int limit = SLUICE_RUN_DEFAULT_SAMPLE_LIMIT;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Rows to show (1000)"), "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_arg, N_("table, csv or json"), "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT_DIR NAME"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluiceGemResult) result = NULL;
  SluiceDataset *dataset;
  Format format = FORMAT_TABLE;
  const char *dir_arg;
  int status = EXIT_VALID;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sluice-cli dataset preview: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc != 3)
    {
      g_printerr ("sluice-cli dataset preview: %s\n", _("give a PROJECT_DIR and a dataset NAME (see sluice-cli --help)"));
      return EXIT_USAGE;
    }
  if (!parse_format (format_arg, &format))
    {
      g_printerr ("sluice-cli dataset preview: %s\n", _("--format is table, csv or json"));
      return EXIT_USAGE;
    }
  if (limit < 0)
    {
      g_printerr ("sluice-cli dataset preview: %s\n", _("--limit is a number of rows, 0 or more"));
      return EXIT_USAGE;
    }

  dir_arg = argv[1];
  if ((project = load_project (dir_arg, &status)) == NULL)
    return status;
  dataset = sluice_project_find_dataset (project, argv[2]);
  if (dataset == NULL)
    {
      GListModel *datasets = sluice_project_get_datasets (project);

      g_printerr ("sluice-cli dataset preview: %s: %s\n", dir_arg, _("there is no such dataset"));
      g_printerr (_("Datasets:"));
      for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
        {
          g_autoptr(SluiceDataset) d = g_list_model_get_item (datasets, i);
          g_printerr (" %s", sluice_dataset_get_name (d));
        }
      g_printerr ("\n");
      return EXIT_USAGE;
    }

  result = sluice_dataset_preview (dataset, dir_arg, (guint) limit, NULL, &error);
  if (result == NULL)
    {
      /* a data problem names a project file: show it as the user typed the folder */
      if (g_error_matches (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA) || error->domain == G_IO_ERROR)
        {
          g_autofree char *shown = display_path (dir_arg, error->message);
          g_printerr ("%s\n", shown);
        }
      else
        g_printerr ("sluice-cli dataset preview: %s\n", error->message);
      return EXIT_PROBLEMS;
    }

  if (format == FORMAT_TABLE)
    print_table (result);
  else if (format == FORMAT_CSV)
    print_csv (result);
  else
    print_json (result);
  return EXIT_VALID;
}

int
cmd_dataset (int    argc,
             char **argv)
{
  if (argc >= 2 && g_str_equal (argv[1], "infer"))
    return cmd_infer (argc - 1, argv + 1);
  if (argc >= 2 && g_str_equal (argv[1], "preview"))
    return cmd_preview (argc - 1, argv + 1);
  g_printerr ("sluice-cli dataset: %s\n", _("give infer FILE or preview PROJECT_DIR NAME (see sluice-cli --help)"));
  return EXIT_USAGE;
}
