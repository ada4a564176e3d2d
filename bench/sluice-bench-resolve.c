/* The compiler: a full resolve of long chains and a wide DAG, code
 * generation for every target from long chains, the wide DAG and a chain
 * listed downstream first, and incremental re-resolution and regeneration
 * after editing one expression.
 *
 *   _build/bench/sluice-bench-resolve [--runs N]
 */
#include "config.h"

#include "sluice-code-cache.h"
#include "sluice-code-targets.h"
#include "sluice-core.h"
#include "sluice-pyspark-generator.h"
#include "sluice-resolver.h"
#include "sluice-sql-generator.h"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *ms)
{
  g_array_sort (ms, compare_doubles);
  return g_array_index (ms, double, ms->len / 2);
}

static GListStore *
datasets (void)
{
  const char *text = "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.o\", \"schema\": ["
                     "{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
                     "{\"name\": \"region\", \"type\": \"string\"}, {\"name\": \"day\", \"type\": \"date\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(SluiceDataset) d = sluice_dataset_load_from_bytes ("orders", "datasets/orders.json", bytes, NULL, NULL);
  /* What the wide DAG's joins write. */
  const char *pairs_text = "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.p\", \"schema\": ["
                           "{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"amount\", \"type\": \"decimal(12,2)\"}]}";
  g_autoptr(GBytes) pairs_bytes = g_bytes_new_static (pairs_text, strlen (pairs_text));
  g_autoptr(SluiceDataset) pairs = sluice_dataset_load_from_bytes ("pairs", "datasets/pairs.json", pairs_bytes, NULL, NULL);
  GListStore *store = g_list_store_new (SLUICE_TYPE_DATASET);

  g_list_store_append (store, d);
  g_list_store_append (store, pairs);
  return store;
}

static void
set_string (SluicePipeline *p,
            const char     *id,
            const char     *key,
            const char     *value)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);
  sluice_pipeline_set_config (p, id, key, node, NULL);
}

static void
set_columns (SluicePipeline *p,
             const char     *id,
             guint           salt)
{
  g_autoptr(JsonArray) columns = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  const char *names[] = { "id", "amount", "region", "day" };
  const char *exprs[] = { "id", "amount * 1.1 + %u", "upper(region)", "date_add(day, %u)" };

  for (guint c = 0; c < 4; c++)
    {
      g_autoptr(JsonObject) col = json_object_new ();
      g_autofree char *e = g_strdup_printf (exprs[c], salt % 100);
      json_object_set_string_member (col, "name", names[c]);
      json_object_set_string_member (col, "expression", e);
      json_array_add_object_element (columns, g_steal_pointer (&col));
    }
  node = json_node_init_array (json_node_alloc (), columns);
  sluice_pipeline_set_config (p, id, "columns", node, NULL);
}

/* Source → (Filter, Reformat)* → …, n gems in one chain. */
static SluicePipeline *
chain (guint n)
{
  SluicePipeline *p = sluice_pipeline_new ("chain");

  sluice_pipeline_begin_group (p, "Build");
  sluice_pipeline_add_gem (p, "Source", "g 0", 0, 0, NULL);
  set_string (p, "g_0", "dataset", "orders");
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("g %u", i);
      g_autofree char *prev = g_strdup_printf ("g_%u", i - 1);
      SluiceGem *gem = sluice_pipeline_add_gem (p, i % 2 ? "Filter" : "Reformat", label, 0, 0, NULL);
      const char *id = sluice_gem_get_id (gem);

      if (i % 2)
        {
          g_autofree char *cond = g_strdup_printf ("amount > %u AND region <> 'r%u'", i, i % 7);
          set_string (p, id, "condition", cond);
        }
      else
        set_columns (p, id, i);
      sluice_pipeline_connect (p, prev, "out", id, "in0", NULL);
    }
  sluice_pipeline_end_group (p);
  return p;
}

/* Many short branches from a few sources, joined pairwise: a wide DAG. */
static SluicePipeline *
wide (guint n)
{
  SluicePipeline *p = sluice_pipeline_new ("wide");
  g_autoptr(GPtrArray) ends = g_ptr_array_new_with_free_func (g_free);
  guint made = 0;

  sluice_pipeline_begin_group (p, "Build");
  while (made < n)
    {
      g_autofree char *label = g_strdup_printf ("w %u", made);
      SluiceGem *gem;
      const char *id;

      if (ends->len < 2 || made % 5 == 0)
        {
          gem = sluice_pipeline_add_gem (p, "Source", label, 0, 0, NULL);
          id = sluice_gem_get_id (gem);
          set_string (p, id, "dataset", "orders");
        }
      else if (made % 5 == 4)
        {
          char *a = g_ptr_array_steal_index (ends, 0);
          char *b = g_ptr_array_steal_index (ends, 0);
          g_autoptr(JsonArray) joins = json_array_new ();
          g_autoptr(JsonObject) join = json_object_new ();
          g_autoptr(JsonArray) cols = json_array_new ();
          g_autoptr(JsonObject) c1 = json_object_new ();
          g_autoptr(JsonObject) c2 = json_object_new ();

          gem = sluice_pipeline_add_gem (p, "Join", label, 0, 0, NULL);
          id = sluice_gem_get_id (gem);
          json_object_set_string_member (join, "input", "in1");
          json_object_set_string_member (join, "type", "left");
          json_object_set_string_member (join, "condition", "in0.id = in1.id");
          json_array_add_object_element (joins, g_steal_pointer (&join));
          sluice_pipeline_set_config (p, id, "joins", json_node_init_array (json_node_alloc (), joins), NULL);
          json_object_set_string_member (c1, "name", "id");
          json_object_set_string_member (c1, "expression", "in0.id");
          json_object_set_string_member (c2, "name", "amount");
          json_object_set_string_member (c2, "expression", "in0.amount + coalesce(in1.amount, 0)");
          json_array_add_object_element (cols, g_steal_pointer (&c1));
          json_array_add_object_element (cols, g_steal_pointer (&c2));
          sluice_pipeline_set_config (p, id, "columns", json_node_init_array (json_node_alloc (), cols), NULL);
          sluice_pipeline_connect (p, a, "out", id, "in0", NULL);
          sluice_pipeline_connect (p, b, "out", id, "in1", NULL);
          g_free (a);
          g_free (b);
        }
      else
        {
          char *from = g_ptr_array_steal_index (ends, ends->len - 1);
          g_autofree char *cond = g_strdup_printf ("amount > %u", made);

          gem = sluice_pipeline_add_gem (p, "Filter", label, 0, 0, NULL);
          id = sluice_gem_get_id (gem);
          set_string (p, id, "condition", cond);
          sluice_pipeline_connect (p, from, "out", id, "in0", NULL);
          g_free (from);
        }
      g_ptr_array_add (ends, g_strdup (id));
      made++;
    }
  sluice_pipeline_end_group (p);
  return p;
}

/* The chain with a Target at its end, so that there is code to generate. */
static SluicePipeline *
chain_to_target (guint n)
{
  SluicePipeline *p = chain (n - 1);
  g_autofree char *last = g_strdup_printf ("g_%u", n - 2);

  sluice_pipeline_add_gem (p, "Target", "write", 0, 0, NULL);
  set_string (p, "write", "dataset", "orders");
  sluice_pipeline_connect (p, last, "out", "write", "in0", NULL);
  return p;
}

/* The wide DAG with a Target on every gem that feeds nothing, writing
 * orders or, after a join, pairs. */
static SluicePipeline *
wide_to_targets (guint n)
{
  SluicePipeline *p = wide (n);
  GListModel *gems = sluice_pipeline_get_gems (p);
  g_autoptr(GPtrArray) ends = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GListStore) ds = datasets ();
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (ds));

  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      if (sluice_pipeline_peek_edges_of (p, sluice_gem_get_id (gem), SLUICE_PORT_OUTPUT) == NULL)
        g_ptr_array_add (ends, g_strdup (sluice_gem_get_id (gem)));
    }
  sluice_pipeline_begin_group (p, "Targets");
  for (guint i = 0; i < ends->len; i++)
    {
      g_autofree char *label = g_strdup_printf ("write %u", i);
      GArray *schema = sluice_resolver_get_schema (r, g_ptr_array_index (ends, i));
      SluiceGem *t = sluice_pipeline_add_gem (p, "Target", label, 0, 0, NULL);
      set_string (p, sluice_gem_get_id (t), "dataset", schema && schema->len == 2 ? "pairs" : "orders");
      sluice_pipeline_connect (p, g_ptr_array_index (ends, i), "out", sluice_gem_get_id (t), "in0", NULL);
    }
  sluice_pipeline_end_group (p);
  return p;
}

/* A chain of Filters ending in a Target, as a file that lists every gem
 * before the gem feeding it (the generators' order used to be quadratic
 * in this). */
static SluicePipeline *
reversed_chain (guint n)
{
  GString *json = g_string_new ("{\"format_version\": 1, \"gems\": [\n");
  g_autoptr(GBytes) bytes = NULL;

  g_string_append (json, "{\"id\": \"write\", \"type\": \"Target\", \"label\": \"write\", \"position\": {\"x\": 0, \"y\": 0},"
                         " \"config\": {\"dataset\": \"orders\"}},\n");
  for (guint i = n - 2; i > 0; i--)
    g_string_append_printf (json, "{\"id\": \"g_%u\", \"type\": \"Filter\", \"label\": \"g %u\", \"position\": {\"x\": 0, \"y\": 0},"
                                  " \"config\": {\"condition\": \"amount > %u AND region <> 'r%u'\"}},\n", i, i, i, i % 7);
  g_string_append (json, "{\"id\": \"g_0\", \"type\": \"Source\", \"label\": \"g 0\", \"position\": {\"x\": 0, \"y\": 0},"
                         " \"config\": {\"dataset\": \"orders\"}}\n], \"edges\": [\n");
  for (guint i = 1; i < n - 1; i++)
    g_string_append_printf (json, "{\"from\": \"g_%u.out\", \"to\": \"g_%u.in0\"},\n", i - 1, i);
  g_string_append_printf (json, "{\"from\": \"g_%u.out\", \"to\": \"write.in0\"}\n]}\n", n - 2);
  bytes = g_string_free_to_bytes (json);
  return sluice_pipeline_load_from_bytes ("reversed", "pipelines/reversed.json", bytes, NULL, NULL);
}

/* Spark SQL, Snowflake SQL and the PySpark package of @p, from a resolved
 * @r, as a save writes them (sluice_code_targets_generate(): PySpark on a
 * thread of its own), or with @one_thread each after the other; returns
 * the milliseconds and the bytes written. */
static double
generate_all (SluicePipeline *p,
              GListModel     *ds,
              SluiceResolver *r,
              gboolean        one_thread,
              gsize          *bytes)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_auto(SluiceCodeTargets) code = { NULL, NULL, NULL };
  gint64 t0 = g_get_monotonic_time ();
  double ms;

  if (one_thread)
    {
      code.spark_sql = sluice_sql_generate (p, ds, r, SLUICE_DIALECT_SPARK, problems);
      code.snowflake_sql = sluice_sql_generate (p, ds, r, SLUICE_DIALECT_SNOWFLAKE, problems);
      code.pyspark = sluice_pyspark_generate (p, ds, r, problems);
    }
  else
    sluice_code_targets_generate (&code, p, ds, r, SLUICE_CODE_TARGET_ALL, problems);
  ms = (g_get_monotonic_time () - t0) / 1000.0;

  g_assert (problems->len == 0);
  *bytes = strlen (code.spark_sql) + strlen (code.snowflake_sql);
  for (guint i = 0; i < sluice_pyspark_package_get_n_files (code.pyspark); i++)
    *bytes += strlen (sluice_pyspark_package_get_contents (code.pyspark, i, NULL));
  return ms;
}

static double
full_resolve (SluicePipeline *p,
              GListModel     *ds,
              guint          *n_problems)
{
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, ds);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr(GPtrArray) problems = sluice_resolver_get_all_diagnostics (r);
  double ms = (g_get_monotonic_time () - t0) / 1000.0;

  *n_problems = problems->len;
  return ms;
}

int
main (int    argc,
      char **argv)
{
  int runs = 9;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Measured runs (9)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GListStore) ds = datasets ();
  struct { const char *name; SluicePipeline *(*make) (guint); guint n; } shapes[] = {
    { "chain", chain, 10000 }, { "chain", chain, 20000 }, { "wide DAG", wide, 2000 },
  };
  double chain10k = 0;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, NULL))
    return 2;

  /* The shapes take turns (see below, for the ratio). */
  {
    SluicePipeline *made[G_N_ELEMENTS (shapes)];
    GArray *ms[G_N_ELEMENTS (shapes)];
    guint problems[G_N_ELEMENTS (shapes)] = { 0 };

    for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
      {
        made[s] = shapes[s].make (shapes[s].n);
        ms[s] = g_array_new (FALSE, FALSE, sizeof (double));
      }
    for (int i = 0; i < runs; i++)
      for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
        {
          double t = full_resolve (made[s], G_LIST_MODEL (ds), &problems[s]);
          g_array_append_val (ms[s], t);
        }
    for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
      {
        double m = median (ms[s]);

        if (s == 0)
          chain10k = m;
        g_print ("full resolve, %-8s %6u gems: median %8.2f ms  (%u problems)\n", shapes[s].name, shapes[s].n, m,
                 problems[s]);
        if (s == 1)
          g_print ("  20k / 10k ratio: %.2f (goal <= 2.2)\n", m / chain10k);
      }
    for (guint s = 0; s < G_N_ELEMENTS (shapes); s++)
      {
        g_object_unref (made[s]);
        g_array_unref (ms[s]);
      }
  }

  /* Code generation from resolved schemas, and resolve + generate together
   * (what saving a pipeline costs), for chains that end in a Target: as
   * two steps, and as a save of a pipeline just opened does them, handing
   * sluice_code_targets_generate() a fresh resolver (it resolves in the
   * generation order while its threads write the gems already resolved).
   * The 10k and 20k chains take turns, so that the ratio of the two is not
   * a ratio of two different minutes of a shared machine. */
  {
    enum { GEN, BOTH, SERIAL, SERIAL_BOTH, SAVE, N_FIGURES };
    const guint sizes[] = { 10000, 20000 };
    SluicePipeline *chains[G_N_ELEMENTS (sizes)];
    GArray *figures[G_N_ELEMENTS (sizes)][N_FIGURES];
    gsize bytes[G_N_ELEMENTS (sizes)] = { 0 };

    for (guint c = 0; c < G_N_ELEMENTS (sizes); c++)
      {
        chains[c] = chain_to_target (sizes[c]);
        for (guint f = 0; f < N_FIGURES; f++)
          figures[c][f] = g_array_new (FALSE, FALSE, sizeof (double));
      }
    /* In turn: resolve then the save's way, resolve then the three one
     * after the other, and the save from a fresh resolver. */
    for (int i = 0; i < 3 * runs; i++)
      for (guint c = 0; c < G_N_ELEMENTS (sizes); c++)
        {
          g_autoptr(SluiceResolver) r = sluice_resolver_new (chains[c], G_LIST_MODEL (ds));
          g_autoptr(GPtrArray) problems = NULL;
          gint64 t0 = g_get_monotonic_time ();
          double resolve, t;

          if (i % 3 == 2)
            {
              t = generate_all (chains[c], G_LIST_MODEL (ds), r, FALSE, &bytes[c]);
              g_array_append_val (figures[c][SAVE], t);
              problems = sluice_resolver_get_all_diagnostics (r);
              g_assert (problems->len == 0);
              continue;
            }
          problems = sluice_resolver_get_all_diagnostics (r);
          resolve = (g_get_monotonic_time () - t0) / 1000.0;
          g_assert (problems->len == 0);
          t = generate_all (chains[c], G_LIST_MODEL (ds), r, i % 3 == 1, &bytes[c]);
          g_array_append_val (figures[c][i % 3 ? SERIAL : GEN], t);
          t += resolve;
          g_array_append_val (figures[c][i % 3 ? SERIAL_BOTH : BOTH], t);
        }
    for (guint c = 0; c < G_N_ELEMENTS (sizes); c++)
      {
        g_print ("generate (Spark SQL + Snowflake SQL + PySpark), chain %6u gems: median %8.2f ms  (%.1f MB); "
                 "resolve + generate %8.2f ms\n", sizes[c], median (figures[c][GEN]), bytes[c] / 1e6,
                 median (figures[c][BOTH]));
        g_print ("  the same on one thread: generate %8.2f ms, resolve + generate %8.2f ms\n",
                 median (figures[c][SERIAL]), median (figures[c][SERIAL_BOTH]));
        g_print ("  save with a fresh resolver (resolve and generate overlapped): %8.2f ms%s\n",
                 median (figures[c][SAVE]), c == 0 ? " (goal <= 100)" : "");
      }
    g_print ("  20k / 10k ratio: generate %.2f, resolve + generate %.2f, save %.2f (goal <= 2.2)\n",
             median (figures[1][GEN]) / median (figures[0][GEN]),
             median (figures[1][BOTH]) / median (figures[0][BOTH]),
             median (figures[1][SAVE]) / median (figures[0][SAVE]));
    for (guint c = 0; c < G_N_ELEMENTS (sizes); c++)
      {
        g_object_unref (chains[c]);
        for (guint f = 0; f < N_FIGURES; f++)
          g_array_unref (figures[c][f]);
      }
  }

  /* The same for the wide DAG (a Target on each of its ends) and for a
   * chain whose file lists it downstream first. */
  {
    struct { const char *name; SluicePipeline *(*make) (guint); guint n; } others[] = {
      { "wide DAG", wide_to_targets, 2000 }, { "reversed chain", reversed_chain, 10000 },
    };

    for (guint s = 0; s < G_N_ELEMENTS (others); s++)
      {
        g_autoptr(SluicePipeline) p = others[s].make (others[s].n);
        g_autoptr(GArray) gen = g_array_new (FALSE, FALSE, sizeof (double));
        g_autoptr(GArray) both = g_array_new (FALSE, FALSE, sizeof (double));
        guint n_gems = g_list_model_get_n_items (sluice_pipeline_get_gems (p));
        gsize bytes = 0;

        for (int i = 0; i < runs; i++)
          {
            g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (ds));
            gint64 t0 = g_get_monotonic_time ();
            g_autoptr(GPtrArray) problems = sluice_resolver_get_all_diagnostics (r);
            double resolve = (g_get_monotonic_time () - t0) / 1000.0;
            double t;

            g_assert (problems->len == 0);
            t = generate_all (p, G_LIST_MODEL (ds), r, FALSE, &bytes);
            g_array_append_val (gen, t);
            t += resolve;
            g_array_append_val (both, t);
          }
        g_print ("generate (Spark SQL + Snowflake SQL + PySpark), %-14s %5u gems: median %8.2f ms  (%.1f MB); "
                 "resolve + generate %8.2f ms\n", others[s].name, n_gems, median (gen), bytes / 1e6, median (both));
      }
  }

  /* Incremental: edit one expression in the middle of a 2,000-gem chain. */
  {
    g_autoptr(SluicePipeline) p = chain (2000);
    g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (ds));
    g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) tail = g_array_new (FALSE, FALSE, sizeof (double));

    sluice_resolver_get_schema (r, "g_1999");
    for (int i = 0; i < runs * 3; i++)
      {
        g_autofree char *cond = g_strdup_printf ("amount > %d", i);
        gint64 t0;
        double t;

        set_string (p, "g_1999", "condition", cond);
        t0 = g_get_monotonic_time ();
        sluice_resolver_get_schema (r, "g_1999");
        t = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (tail, t);

        set_string (p, "g_1001", "condition", cond);
        t0 = g_get_monotonic_time ();
        sluice_resolver_get_schema (r, "g_1999");
        t = (g_get_monotonic_time () - t0) / 1000.0;
        g_array_append_val (ms, t);
      }
    g_print ("incremental, 2000-gem chain: edit the last gem %.3f ms, edit gem 1001 (999 downstream) %.2f ms (medians)\n",
             median (tail), median (ms));
  }

  /* Incremental generation: the same edit, then re-resolve and regenerate
   * every target through a SluiceCodeCache kept across edits. */
  {
    g_autoptr(SluicePipeline) p = chain_to_target (2000);
    g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (ds));
    g_autoptr(SluiceCodeCache) cache = sluice_code_cache_new (p, G_LIST_MODEL (ds), r);
    g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
    guint written = 0;

    for (int i = -1; i < runs * 3; i++)
      {
        g_autofree char *cond = g_strdup_printf ("amount > %d", i);
        g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
        gint64 t0;
        double t;

        if (i >= 0)
          set_string (p, "g_1001", "condition", cond);
        t0 = g_get_monotonic_time ();
        sluice_resolver_get_schema (r, "write");
        sluice_code_cache_generate_sql (cache, SLUICE_DIALECT_SPARK, problems);
        sluice_code_cache_generate_sql (cache, SLUICE_DIALECT_SNOWFLAKE, problems);
        sluice_code_cache_generate_pyspark (cache, problems);
        t = (g_get_monotonic_time () - t0) / 1000.0;
        g_assert (problems->len == 0);
        written = sluice_code_cache_take_written_count (cache);
        if (i >= 0)   /* the first run fills the cache */
          g_array_append_val (ms, t);
      }
    g_print ("incremental generation, 2000-gem chain: edit gem 1001, re-resolve and regenerate all targets %.2f ms "
             "(median; %u pieces rewritten)\n", median (ms), written);
  }
  return 0;
}
