#include "pyspark-test-project.h"

#include <string.h>

#include <glib/gstdio.h>

#include "remote-test-util.h"

#define GEM(id, type, config) \
  "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": \"" id "\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": " config "}"

static const char sales_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("orders", "Source", "{\"dataset\": \"orders\"}") ","
  GEM ("customers", "Source", "{\"dataset\": \"customers\"}") ","
  GEM ("done", "Filter", "{\"condition\": \"status = 'done'\"}") ","
  "{\"id\": \"joined\", \"type\": \"Join\", \"label\": \"joined\", \"position\": {\"x\": 0, \"y\": 0},"
  " \"inputs\": [\"in0\", \"in1\"], \"config\": {\"joins\": [{\"input\": \"in1\", \"type\": \"left\","
  " \"condition\": \"in0.customer_id = in1.customer_id\"}], \"columns\": ["
  "{\"name\": \"order_id\", \"expression\": \"in0.order_id\"}, {\"name\": \"name\", \"expression\": \"in1.name\"},"
  " {\"name\": \"amount\", \"expression\": \"in0.amount\"}]}},"
  GEM ("by_customer", "Aggregate", "{\"group_by\": [{\"name\": \"name\", \"expression\": \"name\"}], \"aggregates\": ["
       "{\"name\": \"total\", \"expression\": \"sum(amount)\"}, {\"name\": \"n\", \"expression\": \"count(1)\"}]}") ","
  GEM ("write", "Target", "{\"dataset\": \"revenue\", \"mode\": \"overwrite\"}")
  "], \"edges\": [{\"from\": \"orders.out\", \"to\": \"done.in0\"}, {\"from\": \"done.out\", \"to\": \"joined.in0\"},"
  " {\"from\": \"customers.out\", \"to\": \"joined.in1\"}, {\"from\": \"joined.out\", \"to\": \"by_customer.in0\"},"
  " {\"from\": \"by_customer.out\", \"to\": \"write.in0\"}]}\n";

static const char broken_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("orders", "Source", "{\"dataset\": \"orders\"}") ","
  GEM ("boom", "Reformat", "{\"columns\": [{\"name\": \"c\", \"expression\": \"channel\"}]}")
  "], \"edges\": [{\"from\": \"orders.out\", \"to\": \"boom.in0\"}]}\n";

static const char orders_json[] =
  "{\"format_version\": 1, \"format\": \"delta\", \"location\": \"shop.orders\", \"schema\": ["
  "{\"name\": \"order_id\", \"type\": \"bigint\"}, {\"name\": \"customer_id\", \"type\": \"bigint\"},"
  " {\"name\": \"amount\", \"type\": \"double\"}, {\"name\": \"status\", \"type\": \"string\"},"
  " {\"name\": \"channel\", \"type\": \"string\"}]}\n";

static const char customers_json[] =
  "{\"format_version\": 1, \"format\": \"delta\", \"location\": \"shop.customers\", \"schema\": ["
  "{\"name\": \"customer_id\", \"type\": \"bigint\"}, {\"name\": \"name\", \"type\": \"string\"}]}\n";

static const char revenue_json[] =
  "{\"format_version\": 1, \"format\": \"delta\", \"location\": \"shop.revenue\", \"schema\": ["
  "{\"name\": \"name\", \"type\": \"string\"}, {\"name\": \"total\", \"type\": \"double\"},"
  " {\"name\": \"n\", \"type\": \"bigint\"}]}\n";


PySparkTestProject *
pyspark_test_project_new (void)
{
  PySparkTestProject *p = g_new0 (PySparkTestProject, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;

  p->dir = g_dir_make_tmp ("sluice-pyspark-XXXXXX", &error);
  g_assert_no_error (error);
  remote_test_write_file (p->dir, "sluice.json", "{\"format_version\": 1, \"name\": \"Shop\"}\n");
  remote_test_write_file (p->dir, "datasets/orders.json", orders_json);
  remote_test_write_file (p->dir, "datasets/customers.json", customers_json);
  remote_test_write_file (p->dir, "datasets/revenue.json", revenue_json);
  remote_test_write_file (p->dir, "pipelines/sales.json", sales_pipeline);
  remote_test_write_file (p->dir, "pipelines/broken.json", broken_pipeline);
  dir = g_file_new_for_path (p->dir);
  p->project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  return p;
}


void
pyspark_test_project_free (PySparkTestProject *p)
{
  if (p == NULL)
    return;
  g_clear_object (&p->project);
  remote_test_remove_tree (p->dir);
  g_free (p->dir);
  g_free (p);
}

SluiceRun *
pyspark_test_project_run (PySparkTestProject *p,
                          const char         *name,
                          const char         *until_gem)
{
  GListModel *pipelines = sluice_project_get_pipelines (p->project);

  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) pipeline = g_list_model_get_item (pipelines, i);
      if (g_str_equal (sluice_pipeline_get_name (pipeline), name))
        return sluice_run_new (p->project, pipeline, until_gem, 100);
    }
  g_assert_not_reached ();
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = sluice_engine_run_pipeline_finish (SLUICE_ENGINE (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
pyspark_test_run (SluiceEngine  *engine,
                  SluiceRun     *run,
                  GCancellable  *cancellable,
                  guint          timeout_ms,
                  GError       **error)
{
  Wait w = { 0 };
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  sluice_engine_run_pipeline_async (engine, run, cancellable, run_done, &w);
  while (!w.done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (w.done);
  g_source_remove (id);
  /* The run is settled before the callback. */
  g_assert_cmpint (sluice_run_get_state (run), >=, SLUICE_RUN_SUCCEEDED);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.ok;
}

static int
column_index (SluiceGemResult *result,
              const char      *name)
{
  for (guint c = 0; c < sluice_gem_result_get_n_columns (result); c++)
    if (g_str_equal (sluice_gem_result_get_column (result, c)->name, name))
      return (int) c;
  g_error ("gem “%s” has no column “%s”", sluice_gem_result_get_gem_id (result), name);
  return -1;
}

const char *
pyspark_test_value (SluiceGemResult *result,
                    const char      *key_column,
                    const char      *key,
                    const char      *column)
{
  int k = column_index (result, key_column);
  int c = column_index (result, column);

  for (guint r = 0; r < sluice_gem_result_get_n_sample_rows (result); r++)
    if (g_strcmp0 (sluice_gem_result_get_value (result, r, k), key) == 0)
      return sluice_gem_result_get_value (result, r, c);
  g_error ("gem “%s”: no row with %s = %s", sluice_gem_result_get_gem_id (result), key_column, key);
  return NULL;
}

void
pyspark_test_assert_sales (SluiceRun *run)
{
  static const struct { const char *gem; gint64 rows; } counts[] = {
    { "orders", 5 }, { "customers", 3 }, { "done", 4 }, { "joined", 4 }, { "by_customer", 3 }, { "write", 3 },
  };
  SluiceGemResult *r;

  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_SUCCEEDED);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (run)), ==, G_N_ELEMENTS (counts));
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      r = sluice_run_find_result (run, counts[i].gem);
      g_assert_nonnull (r);
      g_assert_null (sluice_gem_result_get_error (r));
      g_assert_cmpint (sluice_gem_result_get_n_rows (r), ==, counts[i].rows);
      g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (r), ==, counts[i].rows);
      g_assert_cmpint (sluice_run_get_gem_state (run, counts[i].gem), ==, SLUICE_GEM_DONE);
    }

  /* The values, as the data gives them. */
  r = sluice_run_find_result (run, "orders");
  g_assert_cmpuint (sluice_gem_result_get_n_columns (r), ==, 4);
  g_assert_cmpstr (sluice_gem_result_get_column (r, 0)->name, ==, "order_id");
  g_assert_cmpint (sluice_gem_result_get_column (r, 0)->type.kind, ==, SLUICE_SQL_BIGINT);
  g_assert_cmpint (sluice_gem_result_get_column (r, 2)->type.kind, ==, SLUICE_SQL_DOUBLE);
  g_assert_cmpstr (pyspark_test_value (r, "order_id", "3", "amount"), ==, "7.25");
  g_assert_cmpstr (pyspark_test_value (r, "order_id", "1", "amount"), ==, "10.0");
  g_assert_cmpstr (pyspark_test_value (r, "order_id", "2", "status"), ==, "open");

  r = sluice_run_find_result (run, "done");
  for (guint row = 0; row < sluice_gem_result_get_n_sample_rows (r); row++)
    g_assert_cmpstr (sluice_gem_result_get_value (r, row, 3), ==, "done");

  r = sluice_run_find_result (run, "joined");
  g_assert_cmpuint (sluice_gem_result_get_n_columns (r), ==, 3);
  g_assert_cmpstr (pyspark_test_value (r, "order_id", "4", "name"), ==, "Linus");

  r = sluice_run_find_result (run, "by_customer");
  g_assert_cmpstr (pyspark_test_value (r, "name", "Ada", "total"), ==, "12.5");
  g_assert_cmpstr (pyspark_test_value (r, "name", "Ada", "n"), ==, "2");
  g_assert_cmpstr (pyspark_test_value (r, "name", "Grace", "total"), ==, "7.25");
  g_assert_cmpstr (pyspark_test_value (r, "name", "Linus", "n"), ==, "1");

  r = sluice_run_find_result (run, "write");
  g_assert_cmpstr (sluice_gem_result_get_output (r), ==, "shop.revenue");
  g_assert_cmpstr (pyspark_test_value (r, "name", "Grace", "n"), ==, "1");
}

void
pyspark_test_fixture_set_up (PySparkTestFixture *f,
                             const char         *script)
{
  g_autoptr(JsonNode) state = NULL;

  f->server = remote_test_server_start (script, NULL);
  state = remote_test_server_control (f->server, "POST", "/__state", PYSPARK_TEST_TABLES);
  f->project = pyspark_test_project_new ();
}

void
pyspark_test_fixture_tear_down (PySparkTestFixture *f,
                                gconstpointer       data)
{
  pyspark_test_project_free (f->project);
  remote_test_server_stop (f->server);
}

static gboolean
tick_cb (gpointer user_data)
{
  gint64 *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  if (ticks[0])
    ticks[1] = MAX (ticks[1], now - ticks[0]);
  ticks[0] = now;
  return G_SOURCE_CONTINUE;
}

void
pyspark_test_assert_responsive (PySparkTestFixture *f,
                                SluiceEngine       *engine)
{
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;
  gint64 ticks[2] = { 0, 0 };   /* last tick, longest gap */
  guint id;

  set = remote_test_server_control (f->server, "POST", "/__latency", "{\"seconds\": 0.3}");
  id = g_timeout_add (10, tick_cb, ticks);
  g_assert_true (pyspark_test_run (engine, run, NULL, 60000, &error));
  g_source_remove (id);
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);
  /* Each answer took 0.3 s; the main loop never stopped for that long. */
  g_test_message ("longest main-loop gap: %" G_GINT64_FORMAT " ms", ticks[1] / 1000);
  g_assert_cmpint (ticks[1], <, 250 * 1000);
}

void
pyspark_test_collect_message (SluiceRun  *run,
                              GParamSpec *pspec,
                              GPtrArray  *messages)
{
  if (sluice_run_get_message (run))
    g_ptr_array_add (messages, g_strdup (sluice_run_get_message (run)));
}

gboolean
pyspark_test_has_message (GPtrArray  *messages,
                          const char *needle)
{
  for (guint i = 0; i < messages->len; i++)
    if (strstr (g_ptr_array_index (messages, i), needle))
      return TRUE;
  return FALSE;
}
