/* sluice-cli run: a pipeline on the Local fabric, from the command line. */
#define G_LOG_DOMAIN "sluice-cli"

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <json-glib/json-glib.h>

#include "sluice-cli-private.h"
#include "sluice-engine-error.h"
#include "sluice-local-engine.h"

typedef struct
{
  GMainLoop    *loop;
  SluiceRun    *run;
  GCancellable *cancellable;
  GError       *error;
  gboolean      done;
  FILE         *progress;     /* stdout for a table, else stderr: data stays parseable */
  guint         id_width;
  guint         type_width;
} RunState;

static void
print_gem_line (RunState        *st,
                SluiceGemResult *r)
{
  SluicePipeline *p = sluice_run_get_pipeline (st->run);
  SluiceGem *gem = sluice_pipeline_find_gem (p, sluice_gem_result_get_gem_id (r));
  const char *id = sluice_gem_result_get_gem_id (r);
  const char *type = gem ? sluice_gem_get_type_name (gem) : "";
  const GError *e = sluice_gem_result_get_error (r);

  if (e)
    {
      fprintf (st->progress, "%-*s  %-*s  %s\n", st->id_width, id, st->type_width, type, _("failed"));
      return;
    }
  {
    gint64 n = sluice_gem_result_get_n_rows (r);
    g_autofree char *rows = sluice_format_row_count (n);
    fprintf (st->progress, "%-*s  %-*s  %14s  %9.1f ms%s%s\n", st->id_width, id, st->type_width, type, rows,
             sluice_gem_result_get_elapsed (r), sluice_gem_result_get_output (r) ? "  → " : "",
             sluice_gem_result_get_output (r) ? sluice_gem_result_get_output (r) : "");
  }
  fflush (st->progress);
}

static void
results_changed (GListModel *results,
                 guint       position,
                 guint       removed,
                 guint       added,
                 RunState   *st)
{
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SluiceGemResult) r = g_list_model_get_item (results, i);
      print_gem_line (st, r);
    }
}

static void
run_finished (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RunState *st = user_data;

  sluice_engine_run_pipeline_finish (SLUICE_ENGINE (source), result, &st->error);
  st->done = TRUE;
  g_main_loop_quit (st->loop);
}

static gboolean
interrupted (gpointer user_data)
{
  RunState *st = user_data;

  g_cancellable_cancel (st->cancellable);
  return G_SOURCE_CONTINUE;
}

/* ---- Printing rows (shared with the dataset command) ---- */

static gboolean
is_numeric (SluiceSqlType type)
{
  return sluice_sql_type_is_numeric (type);
}

/* Columns a terminal gives @text: wide (CJK, emoji) characters take two. */
static guint
display_width (const char *text)
{
  guint w = 0;

  for (const char *c = text; *c; c = g_utf8_next_char (c))
    {
      gunichar u = g_utf8_get_char (c);
      if (g_unichar_iszerowidth (u))
        continue;
      w += g_unichar_iswide (u) ? 2 : 1;
    }
  return w;
}

void
print_table (SluiceGemResult *r)
{
  guint n_cols = sluice_gem_result_get_n_columns (r);
  guint n_rows = sluice_gem_result_get_n_sample_rows (r);
  g_autofree guint *width = g_new0 (guint, n_cols);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint c = 0; c < n_cols; c++)
    {
      width[c] = display_width (sluice_gem_result_get_column (r, c)->name);
      for (guint i = 0; i < n_rows; i++)
        {
          const char *v = sluice_gem_result_get_value (r, i, c);
          width[c] = MAX (width[c], v ? display_width (v) : 4);
        }
    }

  for (guint row = 0; row < n_rows + 2; row++)
    {
      g_string_truncate (line, 0);
      for (guint c = 0; c < n_cols; c++)
        {
          const char *v;
          guint len;
          gboolean right;

          if (row == 1)
            {
              for (guint k = 0; k < width[c]; k++)
                g_string_append (line, "─");
              if (c + 1 < n_cols)
                g_string_append (line, "─┼─");
              continue;
            }
          v = row == 0 ? sluice_gem_result_get_column (r, c)->name : sluice_gem_result_get_value (r, row - 2, c);
          if (v == NULL)
            v = "NULL";
          len = display_width (v);
          right = row > 0 && is_numeric (sluice_gem_result_get_column (r, c)->type);
          for (guint k = len; right && k < width[c]; k++)
            g_string_append_c (line, ' ');
          /* Control characters would break the table's rows. */
          for (const char *ch = v; *ch; ch++)
            g_string_append_c (line, (*ch == '\n' || *ch == '\r' || *ch == '\t') ? ' ' : *ch);
          for (guint k = len; !right && k < width[c] && c + 1 < n_cols; k++)
            g_string_append_c (line, ' ');
          if (c + 1 < n_cols)
            g_string_append (line, " │ ");
        }
      g_print ("%s\n", line->str);
    }
}

static void
csv_field (GString    *out,
           const char *v)
{
  if (v == NULL)
    return;
  if (strpbrk (v, ",\"\r\n") == NULL && *v != ' ' && *v != '\0')
    {
      g_string_append (out, v);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *c = v; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
}

void
print_csv (SluiceGemResult *r)
{
  guint n_cols = sluice_gem_result_get_n_columns (r);
  guint n_rows = sluice_gem_result_get_n_sample_rows (r);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint c = 0; c < n_cols; c++)
    {
      if (c)
        g_string_append_c (out, ',');
      csv_field (out, sluice_gem_result_get_column (r, c)->name);
    }
  g_string_append (out, "\r\n");
  for (guint i = 0; i < n_rows; i++)
    {
      for (guint c = 0; c < n_cols; c++)
        {
          if (c)
            g_string_append_c (out, ',');
          csv_field (out, sluice_gem_result_get_value (r, i, c));
        }
      g_string_append (out, "\r\n");
    }
  fwrite (out->str, 1, out->len, stdout);
}

void
print_json (SluiceGemResult *r)
{
  guint n_cols = sluice_gem_result_get_n_columns (r);
  guint n_rows = sluice_gem_result_get_n_sample_rows (r);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (b);
  for (guint i = 0; i < n_rows; i++)
    {
      json_builder_begin_object (b);
      for (guint c = 0; c < n_cols; c++)
        {
          const SluiceColumn *col = sluice_gem_result_get_column (r, c);
          const char *v = sluice_gem_result_get_value (r, i, c);

          json_builder_set_member_name (b, col->name);
          if (v == NULL)
            json_builder_add_null_value (b);
          else if (col->type.kind == SLUICE_SQL_BOOLEAN)
            json_builder_add_boolean_value (b, g_str_equal (v, "true"));
          else if (sluice_sql_type_is_integral (col->type))
            json_builder_add_int_value (b, g_ascii_strtoll (v, NULL, 10));
          else if (sluice_sql_type_is_numeric (col->type))
            json_builder_add_double_value (b, g_ascii_strtod (v, NULL));
          else
            json_builder_add_string_value (b, v);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

gboolean
parse_format (const char *arg,
              Format     *out)
{
  if (arg == NULL || g_str_equal (arg, "table"))
    *out = FORMAT_TABLE;
  else if (g_str_equal (arg, "csv"))
    *out = FORMAT_CSV;
  else if (g_str_equal (arg, "json"))
    *out = FORMAT_JSON;
  else
    return FALSE;
  return TRUE;
}

/* ---- The command ---- */

int
cmd_run (int    argc,
         char **argv)
{
  g_autofree char *until = NULL;
  g_autofree char *format_arg = NULL;
  int limit = SLUICE_RUN_DEFAULT_SAMPLE_LIMIT;
  GOptionEntry entries[] = {
    { "until", 0, 0, G_OPTION_ARG_STRING, &until, N_("Run only what GEM needs, and GEM"), "GEM" },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("Rows to show (1000)"), "N" },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_arg, N_("table, csv or json"), "FORMAT" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("PROJECT_DIR PIPELINE"));
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluiceLocalEngine) engine = NULL;
  g_autoptr(SluiceRun) run = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SluicePipeline *pipeline;
  SluiceGemResult *last = NULL;
  Format format = FORMAT_TABLE;
  RunState st = { 0 };
  const char *dir_arg;
  GListModel *gems;
  guint sigint;
  int status = EXIT_VALID;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("sluice-cli run: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc != 3)
    {
      g_printerr ("sluice-cli run: %s\n", _("give a PROJECT_DIR and a PIPELINE (see sluice-cli --help)"));
      return EXIT_USAGE;
    }
  if (!parse_format (format_arg, &format))
    {
      g_printerr ("sluice-cli run: %s\n", _("--format is table, csv or json"));
      return EXIT_USAGE;
    }
  if (limit < 0)
    {
      g_printerr ("sluice-cli run: %s\n", _("--limit is a number of rows, 0 or more"));
      return EXIT_USAGE;
    }

  dir_arg = argv[1];
  if ((project = load_project (dir_arg, &status)) == NULL)
    return status;
  pipeline = sluice_project_find_pipeline (project, argv[2]);
  if (pipeline == NULL)
    {
      g_printerr ("sluice-cli run: %s: %s\n", dir_arg, _("there is no such pipeline"));
      g_printerr (_("Pipelines:"));
      for (guint i = 0; i < g_list_model_get_n_items (sluice_project_get_pipelines (project)); i++)
        {
          g_autoptr(SluicePipeline) p = g_list_model_get_item (sluice_project_get_pipelines (project), i);
          g_printerr (" %s", sluice_pipeline_get_name (p));
        }
      g_printerr ("\n");
      return EXIT_USAGE;
    }
  if (until && sluice_pipeline_find_gem (pipeline, until) == NULL)
    {
      g_printerr ("sluice-cli run: %s: %s\n", sluice_pipeline_get_file (pipeline), _("there is no such gem"));
      return EXIT_USAGE;
    }

  engine = sluice_local_engine_new (NULL);
  run = sluice_run_new (project, pipeline, until, limit);
  st.loop = loop;
  st.run = run;
  st.cancellable = cancellable;
  st.progress = format == FORMAT_TABLE ? stdout : stderr;
  gems = sluice_pipeline_get_gems (pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      st.id_width = MAX (st.id_width, strlen (sluice_gem_get_id (gem)));
      st.type_width = MAX (st.type_width, strlen (sluice_gem_get_type_name (gem)));
    }

  g_signal_connect (sluice_run_get_results (run), "items-changed", G_CALLBACK (results_changed), &st);
  sigint = g_unix_signal_add (SIGINT, interrupted, &st);
  sluice_engine_run_pipeline_async (SLUICE_ENGINE (engine), run, cancellable, run_finished, &st);
  if (!st.done)
    g_main_loop_run (loop);
  g_source_remove (sigint);
  g_signal_handlers_disconnect_by_data (sluice_run_get_results (run), &st);

  if (st.error)
    {
      GListModel *problems = sluice_run_get_problems (run);

      for (guint i = 0; i < g_list_model_get_n_items (problems); i++)
        {
          g_autoptr(SluiceDiagnostic) d = g_list_model_get_item (problems, i);
          g_autofree char *text = sluice_diagnostic_to_string (d);
          g_autofree char *shown = display_path (dir_arg, text);
          g_print ("%s\n", shown);
        }
      if (g_error_matches (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("sluice-cli run: %s\n", _("cancelled"));
      else if (g_error_matches (st.error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA) ||
               g_error_matches (st.error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE))
        {
          /* Both name a project file: show it as the user typed the folder. */
          g_autofree char *shown = display_path (dir_arg, st.error->message);
          g_printerr ("%s\n", shown);
        }
      else
        g_printerr ("sluice-cli run: %s\n", st.error->message);
      g_clear_error (&st.error);
      return EXIT_PROBLEMS;
    }

  {
    const char * const *order = sluice_run_get_gems (run);
    guint n = g_strv_length ((char **) order);

    if (n > 0)
      last = sluice_run_find_result (run, until ? until : order[n - 1]);
  }
  if (last == NULL)
    return EXIT_VALID;
  if (format == FORMAT_TABLE)
    {
      gint64 total = sluice_gem_result_get_n_rows (last);
      guint shown = sluice_gem_result_get_n_sample_rows (last);

      g_print ("\n%s:\n", sluice_gem_result_get_gem_id (last));
      print_table (last);
      if ((gint64) shown < total)
        {
          g_autofree char *all = sluice_format_row_count (total);
          g_print (_("(the first %u of %s)\n"), shown, all);
        }
    }
  else if (format == FORMAT_CSV)
    print_csv (last);
  else
    print_json (last);
  return EXIT_VALID;
}
