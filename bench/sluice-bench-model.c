/* Load and save of a large pipeline: the model's share of opening and
 * saving a project. Prints medians and p95 over repeated runs.
 *
 *   _build/bench/sluice-bench-model [--gems N] [--runs N]
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-core.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms,
        double      goal)
{
  double median, p95;

  g_array_sort (ms, compare_doubles);
  median = g_array_index (ms, double, ms->len / 2);
  p95 = g_array_index (ms, double, MIN (ms->len - 1, (guint) (ms->len * 0.95)));
  if (goal > 0)
    g_print ("%-34s median %7.2f ms   p95 %7.2f ms   goal <= %.0f ms (median): %s\n", what, median, p95, goal,
             median <= goal ? "met" : "MISSED");
  else
    g_print ("%-34s median %7.2f ms   p95 %7.2f ms\n", what, median, p95);
}

static JsonNode *
string_node (const char *s)
{
  return json_node_init_string (json_node_alloc (), s);
}

/* A realistic DAG: chains of sources, filters and reformats joined and
 * aggregated, ending in targets; about 1.25 edges per gem. */
static SluicePipeline *
generate (guint n_gems)
{
  SluicePipeline *p = sluice_pipeline_new ("bench");
  g_autoptr(GPtrArray) open_ends = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint made = 0;

  sluice_pipeline_begin_group (p, "Generate");
  while (made < n_gems)
    {
      guint kind = made < 4 ? 0 : g_rand_int_range (rand, 0, 10);
      int x = (made % 40) * 260, y = (made / 40) * 160;
      g_autofree char *label = NULL;
      SluiceGem *gem;
      const char *id;

      if (kind == 0 || open_ends->len < 2)
        {
          label = g_strdup_printf ("Source %u", made);
          gem = sluice_pipeline_add_gem (p, "Source", label, x, y, NULL);
          id = sluice_gem_get_id (gem);
          {
            g_autoptr(JsonNode) dataset = string_node ("orders");
            sluice_pipeline_set_config (p, id, "dataset", dataset, NULL);
          }
        }
      else if (kind <= 3)
        {
          g_autofree char *cond = g_strdup_printf ("amount > %u AND region <> 'r%u'", made, made % 7);
          g_autoptr(JsonNode) value = string_node (cond);
          char *from = g_ptr_array_steal_index (open_ends, g_rand_int_range (rand, 0, open_ends->len));

          label = g_strdup_printf ("Filter %u", made);
          gem = sluice_pipeline_add_gem (p, "Filter", label, x, y, NULL);
          id = sluice_gem_get_id (gem);
          sluice_pipeline_set_config (p, id, "condition", value, NULL);
          sluice_pipeline_connect (p, from, "out", id, "in0", NULL);
          g_free (from);
        }
      else if (kind <= 6)
        {
          g_autoptr(JsonArray) columns = json_array_new ();
          g_autoptr(JsonNode) value = NULL;
          char *from = g_ptr_array_steal_index (open_ends, g_rand_int_range (rand, 0, open_ends->len));
          guint n = g_rand_int_range (rand, 3, 9);

          for (guint c = 0; c < n; c++)
            {
              g_autoptr(JsonObject) col = json_object_new ();
              g_autofree char *name = g_strdup_printf ("col_%u", c);
              g_autofree char *expr = g_strdup_printf ("coalesce(value_%u, 0) * %u + 1", c, c + 1);
              json_object_set_string_member (col, "name", name);
              json_object_set_string_member (col, "expression", expr);
              json_array_add_object_element (columns, g_steal_pointer (&col));
            }
          value = json_node_init_array (json_node_alloc (), columns);
          label = g_strdup_printf ("Reformat %u", made);
          gem = sluice_pipeline_add_gem (p, "Reformat", label, x, y, NULL);
          id = sluice_gem_get_id (gem);
          sluice_pipeline_set_config (p, id, "columns", value, NULL);
          sluice_pipeline_connect (p, from, "out", id, "in0", NULL);
          g_free (from);
        }
      else if (kind <= 8)
        {
          char *a = g_ptr_array_steal_index (open_ends, g_rand_int_range (rand, 0, open_ends->len));
          char *b = g_ptr_array_steal_index (open_ends, g_rand_int_range (rand, 0, open_ends->len));

          label = g_strdup_printf ("Join %u", made);
          gem = sluice_pipeline_add_gem (p, "Join", label, x, y, NULL);
          id = sluice_gem_get_id (gem);
          sluice_pipeline_connect (p, a, "out", id, "in0", NULL);
          sluice_pipeline_connect (p, b, "out", id, "in1", NULL);
          g_free (a);
          g_free (b);
        }
      else
        {
          char *from = g_ptr_array_steal_index (open_ends, g_rand_int_range (rand, 0, open_ends->len));
          g_autoptr(JsonNode) dataset = string_node ("out");

          label = g_strdup_printf ("Target %u", made);
          gem = sluice_pipeline_add_gem (p, "Target", label, x, y, NULL);
          id = sluice_gem_get_id (gem);
          sluice_pipeline_set_config (p, id, "dataset", dataset, NULL);
          sluice_pipeline_connect (p, from, "out", id, "in0", NULL);
          g_free (from);
          made++;
          continue;
        }
      g_ptr_array_add (open_ends, g_strdup (id));
      made++;
    }
  sluice_pipeline_end_group (p);
  return p;
}

int
main (int    argc,
      char **argv)
{
  int gems = 2000, runs = 25;
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "gems", 0, 0, G_OPTION_ARG_INT, &gems, "Gems in the generated pipeline (2000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Measured runs of each step (25)", "N" },
    { "output", 0, 0, G_OPTION_ARG_FILENAME, &output, "Also write the generated pipeline here (for profiling)", "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) p = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GArray) load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) serialize = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) save = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) validate = g_array_new (FALSE, FALSE, sizeof (double));

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  p = generate (gems);
  bytes = sluice_pipeline_to_bytes (p);
  if (output && !g_file_set_contents (output, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
    g_error ("%s", error->message);
  dir = g_dir_make_tmp ("sluice-bench-XXXXXX", NULL);
  path = g_build_filename (dir, "bench.json", NULL);
  file = g_file_new_for_path (path);
  if (!sluice_pipeline_save (p, file, NULL, &error))
    g_error ("%s", error->message);

  g_print ("Pipeline: %u gems, %u edges, %zu bytes of JSON; %d runs each; GLib %u.%u, json-glib %d.%d\n\n",
           g_list_model_get_n_items (sluice_pipeline_get_gems (p)),
           g_list_model_get_n_items (sluice_pipeline_get_edges (p)),
           g_bytes_get_size (bytes), runs, glib_major_version, glib_minor_version,
           JSON_MAJOR_VERSION, JSON_MINOR_VERSION);

  for (int i = 0; i < runs + 2; i++)
    {
      gint64 t0, t1, t2, t3, t4;
      g_autofree char *contents = NULL;
      gsize len;
      g_autoptr(GBytes) read = NULL;
      g_autoptr(SluicePipeline) loaded = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      double ms;

      t0 = g_get_monotonic_time ();
      if (!g_file_get_contents (path, &contents, &len, &error))
        g_error ("%s", error->message);
      read = g_bytes_new_take (g_steal_pointer (&contents), len);
      loaded = sluice_pipeline_load_from_bytes ("bench", "pipelines/bench.json", read, NULL, &error);
      if (!loaded)
        g_error ("%s", error->message);
      t1 = g_get_monotonic_time ();
      out = sluice_pipeline_to_bytes (loaded);
      t2 = g_get_monotonic_time ();
      if (!sluice_pipeline_save (loaded, file, NULL, &error))
        g_error ("%s", error->message);
      t3 = g_get_monotonic_time ();
      problems = sluice_pipeline_validate (loaded, NULL);
      t4 = g_get_monotonic_time ();

      if (i < 2)
        continue; /* warm-up */
      ms = (t1 - t0) / 1000.0; g_array_append_val (load, ms);
      ms = (t2 - t1) / 1000.0; g_array_append_val (serialize, ms);
      ms = (t3 - t2) / 1000.0; g_array_append_val (save, ms);
      ms = (t4 - t3) / 1000.0; g_array_append_val (validate, ms);
    }

  report ("load (read + parse + model)", load, gems == 2000 ? 50 : 0);
  report ("save (serialize + write + fsync)", save, gems == 2000 ? 30 : 0);
  report ("  of which serialize only", serialize, 0);
  report ("validate", validate, 0);

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
