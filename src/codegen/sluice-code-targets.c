#define G_LOG_DOMAIN "sluice-codegen"

#include "config.h"

#include "sluice-code-targets.h"
#include "sluice-codegen-private.h"
#include "sluice-sql-generator.h"

#define MAX_PARTS 16

/* @name's whole number from the environment (tests and benchmarks set
 * these), or @otherwise. */
static guint
env_number (const char *name,
            guint       otherwise)
{
  const char *forced = g_getenv (name);
  guint64 n;

  if (forced && g_ascii_string_to_unsigned (forced, 10, 1, G_MAXUINT, &n, NULL))
    return n;
  return otherwise;
}

/* How many threads may share the work: the processors, or
 * SLUICE_CODEGEN_THREADS. */
static guint
n_threads (void)
{
  return env_number ("SLUICE_CODEGEN_THREADS", g_get_num_processors ());
}

/* The fewest gems worth a thread (below, threads cost more than they
 * save), or SLUICE_CODEGEN_PART_MIN. */
static guint
min_gems_per_part (void)
{
  return env_number ("SLUICE_CODEGEN_PART_MIN", 256);
}

/* Where one gem's piece ends in its part's buffers. */
typedef struct
{
  gboolean written;
  gsize    text_end;
  gsize    path_end;      /* PySpark */
  gsize    import_end;    /* PySpark */
  gsize    run_end;       /* PySpark */
  guint    problems_end;
} PieceEnd;

#define N_SLOTS 3

/* The gems resolved so far, in the generation order, as the caller
 * resolves them (sluice_resolver_resolve_shared()) and the threads writing
 * the parts wait for them; and the parts not yet taken. */
typedef struct
{
  guint  resolved;    /* atomic: order[0, resolved) are */
  guint  waiting;     /* atomic: threads in wait_resolved() */
  guint  next_part;   /* atomic */
  GMutex lock;
  GCond  cond;
} Gate;

/* Every this many gems, a resolving caller wakes the threads waiting. */
#define WAKE_EVERY 32

static void
wait_resolved (Gate  *gate,
               guint  n)
{
  if ((guint) g_atomic_int_get (&gate->resolved) >= n)
    return;
  g_mutex_lock (&gate->lock);
  g_atomic_int_inc (&gate->waiting);
  while ((guint) g_atomic_int_get (&gate->resolved) < n)
    g_cond_wait (&gate->cond, &gate->lock);
  g_atomic_int_add (&gate->waiting, -1);
  g_mutex_unlock (&gate->lock);
}

/* The seq-cst store then load here, and the increment then load in
 * wait_resolved(): a waiter either sees the count or is seen waiting. */
static void
publish_resolved (Gate     *gate,
                  guint     n,
                  gboolean  last)
{
  g_atomic_int_set (&gate->resolved, n);
  if ((last || n % WAKE_EVERY == 0) && g_atomic_int_get (&gate->waiting) > 0)
    {
      g_mutex_lock (&gate->lock);
      g_cond_broadcast (&gate->cond);
      g_mutex_unlock (&gate->lock);
    }
}

/* The pieces of a run of the gems, in generation order, for every target
 * asked for, by whichever thread takes it (write_parts()). Each gem's
 * configuration, trees and upstream schemas are read once, while in the
 * cache, for all three targets. */
typedef struct
{
  SluicePipeline        *pipeline;
  GListModel            *datasets;   /* owned: a part's own copy (see copy_datasets()) */
  SluiceResolver        *resolver;
  GPtrArray             *order;      /* borrowed */
  Gate                  *gate;       /* borrowed */
  guint                  from, to;
  SluiceCodeTargetFlags  targets;
  GString               *text[N_SLOTS];   /* CTEs, modules */
  GString               *paths;
  GString               *imports;
  GString               *runs;
  GPtrArray             *problems[N_SLOTS];
  PieceEnd              *ends[N_SLOTS];   /* one per gem of the run */
} Part;

static const SluiceCodeTargetFlags slot_targets[N_SLOTS] = {
  SLUICE_CODE_TARGET_SPARK_SQL, SLUICE_CODE_TARGET_SNOWFLAKE, SLUICE_CODE_TARGET_PYSPARK,
};

static gpointer
write_part (gpointer data)
{
  Part *p = data;
  guint n = p->to - p->from;
  SluiceSqlGen sql[2] = {
    { p->pipeline, p->datasets, p->resolver, SLUICE_DIALECT_SPARK, p->problems[SLUICE_CODE_SLOT_SPARK], NULL, NULL, NULL },
    { p->pipeline, p->datasets, p->resolver, SLUICE_DIALECT_SNOWFLAKE, p->problems[SLUICE_CODE_SLOT_SNOWFLAKE], NULL, NULL, NULL },
  };
  g_autoptr(GString) scratch = g_string_new (NULL);
  g_autoptr(GString) body = g_string_new (NULL);
  SluicePySparkGen py;

  /* About what a gem's CTE and module take: a few doublings, not twenty. */
  for (guint s = 0; s < N_SLOTS; s++)
    if (p->targets & slot_targets[s])
      {
        p->text[s] = g_string_sized_new (n * (s == SLUICE_CODE_SLOT_PYSPARK ? 384 : 192));
        p->problems[s] = g_ptr_array_new_with_free_func (g_free);
        p->ends[s] = g_new0 (PieceEnd, n);
      }
  sql[0].problems = p->problems[SLUICE_CODE_SLOT_SPARK];
  sql[1].problems = p->problems[SLUICE_CODE_SLOT_SNOWFLAKE];
  if (p->targets & SLUICE_CODE_TARGET_PYSPARK)
    {
      p->paths = g_string_sized_new (n * 48);
      p->imports = g_string_sized_new (n * 64);
      p->runs = g_string_sized_new (n * 64);
      _sluice_pyspark_gen_init (&py, p->pipeline, p->datasets, p->resolver, p->problems[SLUICE_CODE_SLOT_PYSPARK],
                                scratch, body);
    }

  for (guint i = p->from; i < p->to; i++)
    {
      SluiceGem *gem = g_ptr_array_index (p->order, i);
      gboolean is_target;

      wait_resolved (p->gate, i + 1);
      is_target = g_str_equal (sluice_gem_get_type_name (gem), "Target");

      for (guint s = SLUICE_CODE_SLOT_SPARK; s <= SLUICE_CODE_SLOT_SNOWFLAKE; s++)
        {
          PieceEnd *end;

          if (!(p->targets & slot_targets[s]))
            continue;
          end = &p->ends[s][i - p->from];
          /* A Target is a statement, not a CTE: written with the file. */
          if (!is_target)
            _sluice_sql_write_cte (&sql[s], p->text[s], gem);
          end->written = !is_target;
          end->text_end = p->text[s]->len;
          end->problems_end = p->problems[s]->len;
        }
      if (p->targets & SLUICE_CODE_TARGET_PYSPARK)
        {
          PieceEnd *end = &p->ends[SLUICE_CODE_SLOT_PYSPARK][i - p->from];

          _sluice_pyspark_write_gem (&py, gem, p->paths, p->text[SLUICE_CODE_SLOT_PYSPARK], p->imports, p->runs);
          end->written = TRUE;
          end->text_end = p->text[SLUICE_CODE_SLOT_PYSPARK]->len;
          end->path_end = p->paths->len;
          end->import_end = p->imports->len;
          end->run_end = p->runs->len;
          end->problems_end = p->problems[SLUICE_CODE_SLOT_PYSPARK]->len;
        }
    }

  _sluice_sql_gen_clear (&sql[0]);
  _sluice_sql_gen_clear (&sql[1]);
  if (p->targets & SLUICE_CODE_TARGET_PYSPARK)
    _sluice_pyspark_gen_clear (&py);
  return NULL;
}

/* A thread's work: the parts not yet taken, one after the other. */
typedef struct
{
  Part  *parts;
  guint  n_parts;
  Gate  *gate;
} Parts;

static gpointer
write_parts (gpointer data)
{
  Parts *all = data;
  guint n;

  while ((n = (guint) g_atomic_int_add (&all->gate->next_part, 1)) < all->n_parts)
    write_part (&all->parts[n]);
  return NULL;
}

static void
part_clear (Part *p)
{
  for (guint s = 0; s < N_SLOTS; s++)
    {
      if (p->text[s])
        g_string_free (p->text[s], TRUE);
      g_clear_pointer (&p->problems[s], g_ptr_array_unref);
      g_clear_pointer (&p->ends[s], g_free);
    }
  if (p->paths)
    g_string_free (p->paths, TRUE);
  if (p->imports)
    g_string_free (p->imports, TRUE);
  if (p->runs)
    g_string_free (p->runs, TRUE);
  g_clear_object (&p->datasets);
}

/* What the generators find written ahead: the parts, and for each target
 * where in the order its last lookup stopped. */
typedef struct
{
  Part      *parts;
  guint      n_parts;
  GPtrArray *order;
  guint      cursor[N_SLOTS];
} Written;

/* The generators ask for gems in the order (SQL: a Target's chain, which
 * keeps the order's), so a cursor finds each where the last one was. */
static gboolean
find_piece (gpointer         data,
            SluiceCodeSlot   slot,
            guint            k,
            SluiceGem       *gem,
            SluiceCodePiece *piece)
{
  Written *w = data;
  guint i = k == 0 ? 0 : w->cursor[slot];
  const Part *p = NULL;
  const PieceEnd *end, *before;

  while (i < w->order->len && g_ptr_array_index (w->order, i) != gem)
    i++;
  if (i == w->order->len)
    {
      w->cursor[slot] = 0;
      return FALSE;
    }
  w->cursor[slot] = i + 1;
  for (guint n = 0; n < w->n_parts && p == NULL; n++)
    if (i >= w->parts[n].from && i < w->parts[n].to)
      p = &w->parts[n];
  if (p == NULL || p->ends[slot] == NULL || !p->ends[slot][i - p->from].written)
    return FALSE;

  end = &p->ends[slot][i - p->from];
  before = i > p->from ? &p->ends[slot][i - p->from - 1] : NULL;
  {
    gsize text_start = before ? before->text_end : 0;
    guint problems_start = before ? before->problems_end : 0;

    piece->text = p->text[slot]->str + text_start;
    piece->len = end->text_end - text_start;
    piece->problems = (char * const *) p->problems[slot]->pdata + problems_start;
    piece->n_problems = end->problems_end - problems_start;
  }
  if (slot == SLUICE_CODE_SLOT_PYSPARK)
    {
      gsize path_start = before ? before->path_end : 0;
      gsize import_start = before ? before->import_end : 0;
      gsize run_start = before ? before->run_end : 0;

      piece->path = p->paths->str + path_start;
      piece->path_len = end->path_end - path_start;
      piece->import_line = p->imports->str + import_start;
      piece->import_len = end->import_end - import_start;
      piece->run_line = p->runs->str + run_start;
      piece->run_len = end->run_end - run_start;
    }
  return TRUE;
}

/* A list store caches where its last lookup was: two threads asking one
 * store would race on that. The items themselves are only read. */
static GListModel *
copy_datasets (GListModel *datasets)
{
  GListStore *copy = g_list_store_new (SLUICE_TYPE_DATASET);

  for (guint i = 0; i < g_list_model_get_n_items (datasets); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (datasets, i);
      g_list_store_append (copy, d);
    }
  return G_LIST_MODEL (copy);
}

/* A dialect's file, put together from the pieces on a thread of its own. */
typedef struct
{
  SluicePipeline    *pipeline;
  GListModel        *datasets;   /* owned */
  SluiceResolver    *resolver;
  GPtrArray         *problems;
  SluiceCodePieceFn  pieces;
  Written           *written;
  char              *sql;        /* owned: the result */
  GThread           *thread;
} SqlFile;

static gpointer
write_spark_sql (gpointer data)
{
  SqlFile *f = data;

  f->sql = _sluice_sql_generate_with (f->pipeline, f->datasets, f->resolver, SLUICE_DIALECT_SPARK, f->problems,
                                      f->pieces, f->written);
  return NULL;
}

void
sluice_code_targets_generate (SluiceCodeTargets     *out,
                              SluicePipeline        *pipeline,
                              GListModel            *datasets,
                              SluiceResolver        *resolver,
                              SluiceCodeTargetFlags  targets,
                              GPtrArray             *problems)
{
  g_autoptr(GPtrArray) order = NULL;
  Part parts[MAX_PARTS];
  Written written = { parts, 0, NULL, { 0, 0, 0 } };
  SluiceCodePieceFn pieces = NULL;
  SqlFile spark = { NULL };
  g_autoptr(GPtrArray) spark_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) snowflake_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GListModel) here = NULL;
  guint n_parts, n_threads_wanted;

  g_return_if_fail (out != NULL);
  g_return_if_fail (SLUICE_IS_PIPELINE (pipeline));
  g_return_if_fail (SLUICE_IS_RESOLVER (resolver));
  g_return_if_fail (problems != NULL);

  memset (out, 0, sizeof *out);
  targets &= SLUICE_CODE_TARGET_ALL;
  if (targets == 0)
    return;

  /* Split into runs of the generation order, taken in turn by the threads
   * while this one resolves the gems in that order, so that writing code
   * starts as soon as the first run is resolved; then this one writes
   * runs too. With too few gems (or one thread) everything is written
   * below, on this thread. */
  order = _sluice_codegen_order (pipeline, NULL, FALSE);
  n_threads_wanted = n_threads ();
  n_parts = MIN (MAX_PARTS, order->len / min_gems_per_part ());
  if (n_threads_wanted > 1 && n_parts > 1)
    {
      Gate gate = { 0, 0, 0 };
      Parts all = { parts, n_parts, &gate };
      GThread *threads[MAX_PARTS];
      guint n_started = 0;

      g_mutex_init (&gate.lock);
      g_cond_init (&gate.cond);
      /* The gem array is made on first use: made here, before the threads
       * read it. */
      sluice_pipeline_peek_gem_array (pipeline);
      sluice_resolver_begin_shared (resolver);
      for (guint n = 0; n < n_parts; n++)
        {
          parts[n] = (Part) { pipeline, copy_datasets (datasets), resolver, order, &gate, order->len * n / n_parts,
                              order->len * (n + 1) / n_parts, targets, { NULL } };
        }
      for (guint t = 0; t + 1 < MIN (n_threads_wanted, n_parts); t++)
        if ((threads[n_started] = g_thread_try_new ("sluice-codegen", write_parts, &all, NULL)) != NULL)
          n_started++;
      for (guint i = 0; i < order->len; i++)
        {
          sluice_resolver_resolve_shared (resolver, sluice_gem_get_id (g_ptr_array_index (order, i)));
          publish_resolved (&gate, i + 1, i + 1 == order->len);
        }
      write_parts (&all);
      for (guint t = 0; t < n_started; t++)
        g_thread_join (threads[t]);
      g_mutex_clear (&gate.lock);
      g_cond_clear (&gate.cond);
      written.n_parts = n_parts;
      written.order = order;
      pieces = find_piece;
    }

  /* The files, from the pieces (or written now): problems in the order of
   * PySpark, Spark SQL, Snowflake SQL, as if each were written alone. With
   * the pieces, Spark SQL's file is put together on a thread of its own
   * while the others are here: copying megabytes of CTEs is not nothing. */
  if (targets & SLUICE_CODE_TARGET_SPARK_SQL)
    {
      spark.pipeline = pipeline;
      spark.datasets = pieces ? copy_datasets (datasets) : g_object_ref (datasets);
      spark.resolver = resolver;
      spark.problems = spark_problems;
      spark.pieces = pieces;
      spark.written = &written;
      if (pieces)
        spark.thread = g_thread_try_new ("sluice-codegen", write_spark_sql, &spark, NULL);
    }
  /* The caller's list may be the resolver's, which a question that needs
   * resolving reads on the Spark SQL thread. */
  here = pieces ? copy_datasets (datasets) : g_object_ref (datasets);
  if (targets & SLUICE_CODE_TARGET_PYSPARK)
    out->pyspark = _sluice_pyspark_generate_with (pipeline, here, resolver, problems, pieces, &written);
  if (targets & SLUICE_CODE_TARGET_SNOWFLAKE)
    out->snowflake_sql = _sluice_sql_generate_with (pipeline, here, resolver, SLUICE_DIALECT_SNOWFLAKE,
                                                    snowflake_problems, pieces, &written);
  if (targets & SLUICE_CODE_TARGET_SPARK_SQL)
    {
      if (spark.thread)
        g_thread_join (spark.thread);
      else
        write_spark_sql (&spark);
      out->spark_sql = spark.sql;
      g_object_unref (spark.datasets);
    }
  if (pieces)
    sluice_resolver_end_shared (resolver);
  for (guint i = 0; i < spark_problems->len; i++)
    g_ptr_array_add (problems, g_steal_pointer (&spark_problems->pdata[i]));
  for (guint i = 0; i < snowflake_problems->len; i++)
    g_ptr_array_add (problems, g_steal_pointer (&snowflake_problems->pdata[i]));
  for (guint n = 0; n < written.n_parts; n++)
    part_clear (&parts[n]);
}

void
sluice_code_targets_clear (SluiceCodeTargets *self)
{
  g_clear_pointer (&self->pyspark, sluice_pyspark_package_free);
  g_clear_pointer (&self->spark_sql, g_free);
  g_clear_pointer (&self->snowflake_sql, g_free);
}
