#define G_LOG_DOMAIN "sluice-codegen"

#include "config.h"

#include <string.h>

#include "sluice-codegen-private.h"
#include "sluice-sql-writer.h"

/* The generators used to order gems by repeated passes over the file, each
 * taking (in file order) every gem whose inputs were all taken, earlier in
 * the same pass included. That order is what every committed golden file
 * has, so it is kept; but passes cost one per level, and a pipeline whose
 * file lists gems downstream first took n passes over n gems. Instead:
 * Kahn's algorithm finds each gem's pass directly (a gem goes in the pass of
 * its last input, or the next one if that input comes later in the file),
 * and a counting sort by (pass, file position) gives the same order in
 * linear time. */
static GPtrArray *
compute_order (SluicePipeline *pipeline,
               const char     *target,
               gboolean        include_target)
{
  GPtrArray *gems = sluice_pipeline_peek_gem_array (pipeline);
  guint n = gems->len, m = MAX (n, 1);
  g_autoptr(GHashTable) position = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree SluiceGem **at = g_new0 (SluiceGem *, m);
  g_autofree guint *first_up = g_new0 (guint, n + 1);   /* gem i's inputs: ups[first_up[i] .. first_up[i + 1]) */
  g_autoptr(GArray) ups = g_array_new (FALSE, FALSE, sizeof (guint));   /* input gem + 1; 0 for a missing one */
  g_autofree guint *first_down = g_new0 (guint, n + 1); /* gem u's outputs: downs[first_down[u] .. first_down[u + 1]) */
  g_autofree guint *fill = g_new0 (guint, m);
  g_autofree guint *downs = NULL;
  g_autofree guint *waiting = g_new0 (guint, m);       /* input edges not yet taken */
  g_autofree guint *pass = g_new0 (guint, m);
  g_autofree gboolean *needed = g_new0 (gboolean, m);
  g_autofree guint *queue = g_new (guint, m);
  g_autofree guint *count = NULL;
  guint head = 0, tail = 0, taken = 0, passes = 0;
  gint skip = -1;
  GPtrArray *order = g_ptr_array_new ();

  for (guint i = 0; i < n; i++)
    at[i] = g_ptr_array_index (gems, i);
  /* Backwards, so that of two gems with one id the first wins (a duplicate
   * was never taken: its twin always came first). */
  for (guint i = n; i > 0; i--)
    g_hash_table_insert (position, (gpointer) sluice_gem_get_id (at[i - 1]), GUINT_TO_POINTER (i));
  /* Each gem's inputs, and from them its outputs, as indices: the walks
   * below then look nothing up. */
  for (guint i = 0; i < n; i++)
    {
      GPtrArray *in = sluice_pipeline_peek_edges_of (pipeline, sluice_gem_get_id (at[i]), SLUICE_PORT_INPUT);

      first_up[i] = ups->len;
      for (guint k = 0; in && k < in->len; k++)
        {
          guint up = GPOINTER_TO_UINT (g_hash_table_lookup (position, sluice_edge_get_from_gem (g_ptr_array_index (in, k))));
          g_array_append_val (ups, up);
          if (up > 0)
            first_down[up]++;   /* counts gem up - 1's outputs, at its end */
        }
    }
  first_up[n] = ups->len;
  for (guint i = 0; i < n; i++)
    first_down[i + 1] += first_down[i];
  downs = g_new (guint, MAX (first_down[n], 1));
  for (guint u = 0; u < n; u++)
    fill[u] = first_down[u];
  for (guint i = 0; i < n; i++)
    for (guint k = first_up[i]; k < first_up[i + 1]; k++)
      if (g_array_index (ups, guint, k) > 0)
        downs[fill[g_array_index (ups, guint, k) - 1]++] = i;

  /* Which gems: the target and what it needs, or all. */
  if (target == NULL)
    for (guint i = 0; i < n; i++)
      needed[i] = GPOINTER_TO_UINT (g_hash_table_lookup (position, sluice_gem_get_id (at[i]))) == i + 1;
  else
    {
      guint start = GPOINTER_TO_UINT (g_hash_table_lookup (position, target));

      if (start > 0)
        {
          needed[start - 1] = TRUE;
          queue[tail++] = start - 1;
          if (!include_target)
            skip = start - 1;
        }
      while (head < tail)
        {
          guint v = queue[head++];
          for (guint k = first_up[v]; k < first_up[v + 1]; k++)
            {
              guint up = g_array_index (ups, guint, k);
              if (up > 0 && !needed[up - 1])
                {
                  needed[up - 1] = TRUE;
                  queue[tail++] = up - 1;
                }
            }
        }
      head = tail = 0;
    }

  /* Kahn: a gem is ready when every input edge's gem is taken. An edge from
   * a missing gem is never taken, and nor is the target left out. */
  for (guint i = 0; i < n; i++)
    if (needed[i])
      {
        waiting[i] = first_up[i + 1] - first_up[i];
        if (waiting[i] == 0 && (gint) i != skip)
          queue[tail++] = i;
      }
  while (head < tail)
    {
      guint u = queue[head++];

      taken++;
      passes = MAX (passes, pass[u] + 1);
      for (guint k = first_down[u]; k < first_down[u + 1]; k++)
        {
          guint v = downs[k];

          if (!needed[v] || waiting[v] == 0)
            continue;
          pass[v] = MAX (pass[v], pass[u] + (u > v ? 1 : 0));
          if (--waiting[v] == 0 && (gint) v != skip)
            queue[tail++] = v;
        }
    }

  /* Counting sort by pass, stable by file position. */
  count = g_new0 (guint, passes + 1);
  for (guint h = 0; h < tail; h++)
    count[pass[queue[h]] + 1]++;
  for (guint p = 1; p <= passes; p++)
    count[p] += count[p - 1];
  g_ptr_array_set_size (order, taken);
  for (guint i = 0; i < n; i++)
    if (needed[i] && waiting[i] == 0 && (gint) i != skip)
      order->pdata[count[pass[i]]++] = at[i];
  return order;
}

/* The orders asked of a pipeline, kept on it until its structure changes:
 * generating every target asks for the same ones (one per Target for each
 * SQL dialect, every gem for PySpark), and so does each later generation
 * of an unchanged pipeline. */
typedef struct
{
  guint       version;   /* sluice_pipeline_get_structure_version() they were made at */
  GHashTable *orders;    /* char* (owned: include flag and target id, "" for all) → GPtrArray* (owned) */
} OrderCache;

G_LOCK_DEFINE_STATIC (order_cache);

static void
order_cache_free (gpointer data)
{
  OrderCache *cache = data;

  g_hash_table_unref (cache->orders);
  g_free (cache);
}

GPtrArray *
_sluice_codegen_order (SluicePipeline *pipeline,
                       const char     *target,
                       gboolean        include_target)
{
  static GQuark quark;
  guint version = sluice_pipeline_get_structure_version (pipeline);
  g_autofree char *key = target ? g_strconcat (include_target ? "+" : "-", target, NULL) : g_strdup ("");
  OrderCache *cache;
  GPtrArray *order;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("sluice-codegen-orders");

  G_LOCK (order_cache);
  cache = g_object_get_qdata (G_OBJECT (pipeline), quark);
  if (cache == NULL)
    {
      cache = g_new0 (OrderCache, 1);
      cache->orders = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
      cache->version = version;
      g_object_set_qdata_full (G_OBJECT (pipeline), quark, cache, order_cache_free);
    }
  else if (cache->version != version)
    {
      g_hash_table_remove_all (cache->orders);
      cache->version = version;
    }
  order = g_hash_table_lookup (cache->orders, key);
  if (order == NULL)
    {
      order = compute_order (pipeline, target, include_target);
      g_hash_table_insert (cache->orders, g_steal_pointer (&key), order);
    }
  g_ptr_array_ref (order);
  G_UNLOCK (order_cache);
  return order;
}

void
_sluice_codegen_append_comment (GString    *out,
                                const char *text)
{
  const char *c = text ? text : "";

  while (*c)
    {
      const char *run = c;

      /* Runs of what is kept, appended at once; each control character
       * becomes a space. */
      while ((guchar) *c >= 0x20 && *c != 0x7F)
        c++;
      _sluice_append_len (out, run, c - run);
      if (*c)
        {
          g_string_append_c (out, ' ');
          c++;
        }
    }
}

SluiceExpr *
_sluice_codegen_expr (SluiceResolver *resolver,
                      SluiceGem      *gem,
                      const char     *text)
{
  return sluice_resolver_get_expr (resolver, sluice_gem_get_id (gem), text);
}

static const char *
qualifier_as_is (const char *qualifier,
                 gpointer    user_data)
{
  return qualifier;
}

gboolean
_sluice_codegen_append_sql (GString       *out,
                            SluiceExpr    *e,
                            SluiceDialect  dialect,
                            gboolean       qualified,
                            GError       **error)
{
  guint slot = _sluice_codegen_sql_memo (dialect, qualified);
  gsize at = out->len, len = 0;
  const char *memo = sluice_expr_get_memo (e, slot, &len);

  if (memo != NULL)
    {
      _sluice_append_len (out, memo, len);
      return TRUE;
    }
  if (!sluice_sql_append_expr (out, e, dialect, qualified ? qualifier_as_is : NULL, NULL, NULL, NULL, NULL, error))
    return FALSE;
  sluice_expr_set_memo (e, slot, out->str + at, out->len - at);
  return TRUE;
}
