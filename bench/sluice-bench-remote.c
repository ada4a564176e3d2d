/* How long the main loop stalls while a remote run goes on (issue 7): a
 * stand-in service (tests/servers/) answers every request after 2 s, a
 * pipeline of five gems runs on the engine on the main loop, and a
 * high-priority 1 ms timeout records the gaps between its dispatches. The
 * goal: no gap over 20 ms.
 *
 *   _build/bench/sluice-bench-remote [databricks-sql|snowflake] [LATENCY_S]
 *   _build/bench/sluice-bench-remote idle [SECONDS]
 *
 * "idle" measures the same timer with nothing running, for as long: on a
 * loaded machine its gaps are the scheduler's, the floor of the others. */
#include "config.h"

#include <libsoup/soup.h>

#include "sluice-core.h"
#include "sluice-engine.h"
#include "sluice-fabric.h"

static const char people_state[] =
  "{\"polls\": 1, \"tables\": {\"t.people\": {\"columns\": [[\"id\", \"bigint\"], [\"name\", \"string\"],"
  " [\"city\", \"string\"], [\"score\", \"double\"]], \"rows\": [[1, \"Ann\", \"Berlin\", 1.5], [2, \"Bob\", \"Paris\", 2.0],"
  " [3, \"Cyd\", \"Berlin\", null], [4, \"Dee\", \"Rome\", 4.25], [5, \"Eve\", \"Paris\", 5.0]]}}}";

#define GEM(id, type, config) \
  "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": \"" id "\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": " config "}"

static const char cities_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM ("adults", "Filter", "{\"condition\": \"id > 1\"}") ","
  GEM ("per_city", "Aggregate", "{\"group_by\": [{\"name\": \"city\", \"expression\": \"city\"}],"
       " \"aggregates\": [{\"name\": \"n\", \"expression\": \"count(*)\"}, {\"name\": \"total\", \"expression\": \"sum(score)\"}]}") ","
  GEM ("sorted", "OrderBy", "{\"keys\": [{\"expression\": \"city\", \"direction\": \"asc\"}]}") ","
  GEM ("write", "Target", "{\"dataset\": \"by_city\", \"mode\": \"overwrite\"}")
  "], \"edges\": ["
  "{\"from\": \"people.out\", \"to\": \"adults.in0\"}, {\"from\": \"adults.out\", \"to\": \"per_city.in0\"},"
  "{\"from\": \"per_city.out\", \"to\": \"sorted.in0\"}, {\"from\": \"sorted.out\", \"to\": \"write.in0\"}]}\n";

static void
write_file (const char *dir,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  if (!g_file_set_contents (path, text, -1, NULL))
    g_error ("cannot write %s", path);
}

static void
control (const char *base_url,
         const char *path,
         const char *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  if (answer == NULL || soup_message_get_status (msg) != 200)
    g_error ("%s%s: %s", base_url, path, error ? error->message : "not 200");
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

typedef struct
{
  gint64  last;
  GArray *gaps;   /* double, ms */
  gboolean done;
  gboolean ok;
  GError *error;
} Bench;

static gboolean
tick (gpointer data)
{
  Bench *b = data;
  gint64 now = g_get_monotonic_time ();

  if (b->last)
    {
      double gap = (now - b->last) / 1000.0;
      g_array_append_val (b->gaps, gap);
    }
  b->last = now;
  return G_SOURCE_CONTINUE;
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Bench *b = user_data;

  b->ok = sluice_engine_run_pipeline_finish (SLUICE_ENGINE (source), result, &b->error);
  b->done = TRUE;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  const char *kind = argc > 1 ? argv[1] : "databricks-sql";
  double latency = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 2.0;
  gboolean snowflake = g_str_equal (kind, "snowflake");
  g_autofree char *script = g_build_filename (SLUICE_SOURCE_ROOT, "tests", "servers",
                                              snowflake ? "snowflake-server.py" : "databricks-sql-server.py", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) server = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *latency_json = NULL;
  g_autoptr(GFile) project_dir = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluiceFabric) fabric = NULL;
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(SluiceEngine) engine = NULL;
  g_autoptr(SluiceRun) run = NULL;
  SluicePipeline *pipeline = NULL;
  Bench b = { 0 };
  double load_before, load_after, p99, max, seconds;
  guint over = 0, id;
  gint64 t0;
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (g_str_equal (kind, "idle"))
    {
      double duration = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 20.0;
      gint64 end;

      b.gaps = g_array_new (FALSE, FALSE, sizeof (double));
      load_before = load_average ();
      id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick, &b, NULL);
      end = g_get_monotonic_time () + (gint64) (duration * G_USEC_PER_SEC);
      while (g_get_monotonic_time () < end)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (id);
      g_array_sort (b.gaps, compare_double);
      for (guint i = 0; i < b.gaps->len; i++)
        if (g_array_index (b.gaps, double, i) > 20.0)
          over++;
      g_print ("idle %.1f s, %u ticks\n", duration, b.gaps->len);
      g_print ("main-loop gap: max %.2f ms, p99 %.2f ms, %u over 20 ms\n",
               b.gaps->len ? g_array_index (b.gaps, double, b.gaps->len - 1) : 0,
               b.gaps->len ? g_array_index (b.gaps, double, (guint) (b.gaps->len * 0.99)) : 0, over);
      g_print ("load average (1 min): %.2f before, %.2f after\n", load_before, load_average ());
      g_array_unref (b.gaps);
      return 0;
    }
  if (!snowflake && !g_str_equal (kind, "databricks-sql"))
    g_error ("usage: %s [databricks-sql|snowflake] [LATENCY_S] | idle [SECONDS]", argv[0]);

  /* stdin a pipe: the server ends with us. */
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error,
                             "/usr/bin/python3", script, NULL);
  if (server == NULL)
    g_error ("%s", error->message);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "PORT "))
    g_error ("%s did not start", script);
  base_url = g_strdup_printf ("http://127.0.0.1:%s", line + 5);
  control (base_url, "/__state", people_state);
  latency_json = g_strdup_printf ("{\"seconds\": %s}", g_ascii_dtostr (buf, sizeof buf, latency));
  control (base_url, "/__latency", latency_json);

  dir = g_dir_make_tmp ("sluice-bench-remote-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  write_file (dir, "sluice.json", "{\"format_version\": 1, \"name\": \"Bench\"}\n");
  write_file (dir, "datasets/people.json",
              "{\"format_version\": 1, \"format\": \"table\", \"location\": \"t.people\", \"schema\": ["
              "{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"name\", \"type\": \"string\"},"
              "{\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"score\", \"type\": \"double\"}]}\n");
  write_file (dir, "datasets/by_city.json",
              "{\"format_version\": 1, \"format\": \"table\", \"location\": \"t.by_city\", \"schema\": ["
              "{\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"n\", \"type\": \"bigint\"},"
              "{\"name\": \"total\", \"type\": \"double\"}]}\n");
  write_file (dir, "pipelines/cities.json", cities_pipeline);
  project_dir = g_file_new_for_path (dir);
  project = sluice_project_load (project_dir, NULL, &error);
  if (project == NULL)
    g_error ("%s", error->message);
  pipeline = g_list_model_get_item (sluice_project_get_pipelines (project), 0);

  fabric = sluice_fabric_new (snowflake ? SLUICE_FABRIC_SNOWFLAKE : SLUICE_FABRIC_DATABRICKS_SQL, "Bench");
  sluice_fabric_set_setting (fabric, "url", base_url);
  sluice_fabric_set_setting (fabric, snowflake ? "warehouse" : "warehouse_id", snowflake ? "COMPUTE_WH" : "wh1");
  g_hash_table_insert (secrets, (gpointer) "token", (gpointer) (snowflake ? "sf-test" : "dapi-test"));
  engine = sluice_engine_new_for_fabric (fabric, NULL, secrets);

  b.gaps = g_array_new (FALSE, FALSE, sizeof (double));
  run = sluice_run_new (project, pipeline, NULL, SLUICE_RUN_DEFAULT_SAMPLE_LIMIT);
  load_before = load_average ();
  id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick, &b, NULL);
  t0 = g_get_monotonic_time ();
  sluice_engine_run_pipeline_async (engine, run, NULL, run_done, &b);
  while (!b.done)
    g_main_context_iteration (NULL, TRUE);
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  g_source_remove (id);
  load_after = load_average ();
  if (!b.ok)
    g_error ("the run failed: %s", b.error->message);

  g_array_sort (b.gaps, compare_double);
  for (guint i = 0; i < b.gaps->len; i++)
    if (g_array_index (b.gaps, double, i) > 20.0)
      over++;
  max = b.gaps->len ? g_array_index (b.gaps, double, b.gaps->len - 1) : 0;
  p99 = b.gaps->len ? g_array_index (b.gaps, double, (guint) (b.gaps->len * 0.99)) : 0;
  g_print ("engine %s, latency %.1f s, %u gems, run %.1f s, %u ticks\n", kind, latency,
           g_list_model_get_n_items (sluice_run_get_results (run)), seconds, b.gaps->len);
  g_print ("main-loop gap: max %.2f ms, p99 %.2f ms, %u over 20 ms\n", max, p99, over);
  g_print ("load average (1 min): %.2f before, %.2f after\n", load_before, load_after);

  g_object_unref (pipeline);
  g_array_unref (b.gaps);
  g_subprocess_force_exit (server);
  g_subprocess_wait (server, NULL, NULL);
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", dir);
    (void) system (rm);
  }
  return over == 0 ? 0 : 1;
}
