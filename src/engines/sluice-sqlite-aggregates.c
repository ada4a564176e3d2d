#define G_LOG_DOMAIN "sluice-sqlite"

#include "config.h"

#include <math.h>

#include "sluice-sqlite-private.h"

/* Spark's aggregates that SQLite lacks, each usable as a window function
 * too (with an inverse, so that sliding frames stay linear). */

typedef struct
{
  sqlite3_int64 n;
  double        mean;
  double        m2;
} Moments;

/* Spark casts strings to double; those that are not numbers are skipped. */
static gboolean
numeric_arg (sqlite3_value *value,
             double        *x)
{
  int type = sqlite3_value_numeric_type (value);

  if (type != SQLITE_INTEGER && type != SQLITE_FLOAT)
    return FALSE;
  *x = sqlite3_value_double (value);
  return TRUE;
}

/* Welford's update, and its inverse for rows leaving a window frame. */
static void
moments_step (sqlite3_context  *ctx,
              int               argc,
              sqlite3_value   **argv)
{
  Moments *m;
  double x, delta;

  if (!numeric_arg (argv[0], &x) || !(m = sqlite3_aggregate_context (ctx, sizeof *m)))
    return;
  m->n++;
  delta = x - m->mean;
  m->mean += delta / m->n;
  m->m2 += delta * (x - m->mean);
}

static void
moments_inverse (sqlite3_context  *ctx,
                 int               argc,
                 sqlite3_value   **argv)
{
  Moments *m;
  double x, delta;

  if (!numeric_arg (argv[0], &x) || !(m = sqlite3_aggregate_context (ctx, sizeof *m)))
    return;
  if (--m->n == 0)
    {
      m->mean = m->m2 = 0;
      return;
    }
  delta = x - m->mean;
  m->mean -= delta / m->n;
  m->m2 -= delta * (x - m->mean);
}

/* Sample statistics: Spark 3 gives NULL below two values. */
static void
variance_value (sqlite3_context *ctx)
{
  Moments *m = sqlite3_aggregate_context (ctx, 0);

  if (m == NULL || m->n < 2)
    return sqlite3_result_null (ctx);
  sqlite3_result_double (ctx, MAX (m->m2, 0) / (m->n - 1));
}

static void
stddev_value (sqlite3_context *ctx)
{
  Moments *m = sqlite3_aggregate_context (ctx, 0);

  if (m == NULL || m->n < 2)
    return sqlite3_result_null (ctx);
  sqlite3_result_double (ctx, sqrt (MAX (m->m2, 0) / (m->n - 1)));
}

/* first(): the rows of the frame in order, NULLs included (Spark's
 * ignoreNulls defaults to false). */
typedef struct
{
  GQueue *values;   /* owned, of sqlite3_value copies */
} First;

static void
first_step (sqlite3_context  *ctx,
            int               argc,
            sqlite3_value   **argv)
{
  First *f = sqlite3_aggregate_context (ctx, sizeof *f);

  if (f == NULL)
    return;
  if (f->values == NULL)
    f->values = g_queue_new ();
  g_queue_push_tail (f->values, sqlite3_value_dup (argv[0]));
}

static void
first_inverse (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  First *f = sqlite3_aggregate_context (ctx, sizeof *f);

  if (f != NULL && f->values != NULL)
    sqlite3_value_free (g_queue_pop_head (f->values));
}

static void
first_value (sqlite3_context *ctx)
{
  First *f = sqlite3_aggregate_context (ctx, 0);

  if (f == NULL || f->values == NULL || g_queue_is_empty (f->values))
    return sqlite3_result_null (ctx);
  sqlite3_result_value (ctx, g_queue_peek_head (f->values));
}

static void
first_final (sqlite3_context *ctx)
{
  First *f = sqlite3_aggregate_context (ctx, 0);

  first_value (ctx);
  if (f != NULL && f->values != NULL)
    g_queue_free_full (g_steal_pointer (&f->values), (GDestroyNotify) sqlite3_value_free);
}

/* approx_count_distinct, exactly: a count per distinct non-NULL value so
 * that rows can leave a window frame. */
typedef struct
{
  GHashTable *counts;   /* owned: key text → count */
} Distinct;

static char *
distinct_key (sqlite3_value *v)
{
  switch (sqlite3_value_type (v))
    {
    case SQLITE_NULL:    return NULL;
    case SQLITE_INTEGER: return g_strdup_printf ("i%lld", (long long) sqlite3_value_int64 (v));
    case SQLITE_FLOAT:   return g_strdup_printf ("r%.17g", sqlite3_value_double (v));
    default:
      {
        const char *s = (const char *) sqlite3_value_text (v);
        return s ? g_strconcat ("t", s, NULL) : NULL;
      }
    }
}

static void
distinct_step (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  Distinct *d = sqlite3_aggregate_context (ctx, sizeof *d);
  char *key = distinct_key (argv[0]);

  if (d == NULL || key == NULL)
    return g_free (key);
  if (d->counts == NULL)
    d->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_insert (d->counts, key, GSIZE_TO_POINTER (GPOINTER_TO_SIZE (g_hash_table_lookup (d->counts, key)) + 1));
}

static void
distinct_inverse (sqlite3_context  *ctx,
                  int               argc,
                  sqlite3_value   **argv)
{
  Distinct *d = sqlite3_aggregate_context (ctx, sizeof *d);
  g_autofree char *key = distinct_key (argv[0]);
  gsize count;

  if (d == NULL || key == NULL || d->counts == NULL)
    return;
  count = GPOINTER_TO_SIZE (g_hash_table_lookup (d->counts, key));
  if (count <= 1)
    g_hash_table_remove (d->counts, key);
  else
    g_hash_table_insert (d->counts, g_strdup (key), GSIZE_TO_POINTER (count - 1));
}

static void
distinct_value (sqlite3_context *ctx)
{
  Distinct *d = sqlite3_aggregate_context (ctx, 0);

  sqlite3_result_int64 (ctx, d && d->counts ? g_hash_table_size (d->counts) : 0);
}

static void
distinct_final (sqlite3_context *ctx)
{
  Distinct *d = sqlite3_aggregate_context (ctx, 0);

  distinct_value (ctx);
  if (d != NULL)
    g_clear_pointer (&d->counts, g_hash_table_unref);
}

/* Spark's count(a, b, …) counts the rows where no argument is NULL;
 * SQLite's count takes one. Registered for two arguments and more only, so
 * the built-in count(*) and count(x) stay. */
static void
count_step (sqlite3_context  *ctx,
            int               argc,
            sqlite3_value   **argv)
{
  sqlite3_int64 *n = sqlite3_aggregate_context (ctx, sizeof *n);

  if (n != NULL && !_sluice_sqlite_any_null (argc, argv))
    (*n)++;
}

static void
count_inverse (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  sqlite3_int64 *n = sqlite3_aggregate_context (ctx, sizeof *n);

  if (n != NULL && !_sluice_sqlite_any_null (argc, argv))
    (*n)--;
}

static void
count_value (sqlite3_context *ctx)
{
  sqlite3_int64 *n = sqlite3_aggregate_context (ctx, 0);

  sqlite3_result_int64 (ctx, n ? *n : 0);
}

static const struct
{
  const char *name;
  void      (*step) (sqlite3_context *, int, sqlite3_value **);
  void      (*final) (sqlite3_context *);
  void      (*value) (sqlite3_context *);
  void      (*inverse) (sqlite3_context *, int, sqlite3_value **);
} aggregates[] = {
  { "stddev", moments_step, stddev_value, stddev_value, moments_inverse },
  { "variance", moments_step, variance_value, variance_value, moments_inverse },
  { "first", first_step, first_final, first_value, first_inverse },
  { "approx_count_distinct", distinct_step, distinct_final, distinct_value, distinct_inverse },
};

int
_sluice_sqlite_register_aggregates (sqlite3 *db,
                                    int      flags)
{
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (aggregates); i++)
    if ((rc = sqlite3_create_window_function (db, aggregates[i].name, 1, flags, NULL,
                                              aggregates[i].step, aggregates[i].final,
                                              aggregates[i].value, aggregates[i].inverse,
                                              NULL)) != SQLITE_OK)
      return rc;
  for (int n = 2; n <= 32; n++)
    if ((rc = sqlite3_create_window_function (db, "count", n, flags, NULL, count_step, count_value,
                                              count_value, count_inverse, NULL)) != SQLITE_OK)
      return rc;
  return SQLITE_OK;
}
