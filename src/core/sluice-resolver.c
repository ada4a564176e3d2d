#define G_LOG_DOMAIN "sluice-resolver"

#include "config.h"

#include <string.h>

#include "sluice-diagnostic.h"
#include "sluice-edge.h"
#include "sluice-expr.h"
#include "sluice-gem-private.h"
#include "sluice-pipeline-private.h"
#include "sluice-resolver.h"

#include "sluice-resolver-private.h"

G_DEFINE_FINAL_TYPE (SluiceResolver, sluice_resolver, G_TYPE_OBJECT)

typedef struct
{
  const char *at;     /* borrowed, never dereferenced: the text's address, the key */
  const char *text;   /* a copy, to tell a reused address: the tree's own, or owned without one */
  SluiceExpr *expr;   /* owned, nullable: the text does not parse */
} ParsedExpr;

/* ParsedExprs a result has room for in its own block. */
#define RESULT_EXPRS 4

static void
parsed_expr_clear (gpointer data)
{
  ParsedExpr *p = data;

  if (p->expr == NULL)
    g_free ((char *) p->text);
  p->text = NULL;
  g_clear_pointer (&p->expr, sluice_expr_unref);
}

static void
exprs_truncate (SluiceResolverResult *r)
{
  ParsedExpr *exprs = r->exprs;

  for (guint i = 0; i < r->n_exprs; i++)
    parsed_expr_clear (&exprs[i]);
  r->n_exprs = 0;
}

static void named_lists_free (SluiceResolverResult *r);

static void
result_free (SluiceResolverResult *r)
{
  named_lists_free (r);
  g_free (r->ups);
  g_clear_pointer (&r->schema, g_array_unref);
  g_clear_pointer (&r->diagnostics, g_ptr_array_unref);
  exprs_truncate (r);
  if (r->exprs != (gpointer) (r + 1))
    g_free (r->exprs);
  g_free (r);
}

/* A gem's list of named expressions, in one block: the list, its items,
 * then its key. A gem's lists (one or two) are chained. */
typedef struct _NamedList NamedList;
struct _NamedList
{
  NamedList       *next;
  SluiceNamedExpr *items;     /* in the block (expr owned); NULL: the setting is not a list */
  guint            n_items;
  gboolean         parsed;    /* every item's text has been looked up among the trees */
  char            *key;       /* in the block */
};

static void
named_lists_free (SluiceResolverResult *r)
{
  NamedList *l = r->named;

  while (l != NULL)
    {
      NamedList *next = l->next;

      for (guint i = 0; i < l->n_items; i++)
        g_clear_pointer (&l->items[i].expr, sluice_expr_unref);
      g_free (l);
      l = next;
    }
  r->named = NULL;
}

static NamedList *
find_named_list (SluiceResolverResult *r,
                 const char           *key)
{
  for (NamedList *l = r->named; l != NULL; l = l->next)
    if (g_str_equal (l->key, key))
      return l;
  return NULL;
}

/* Reads the list @key of @gem into @r, or finds it read already. */
static NamedList *
named_list (SluiceResolverResult *r,
            SluiceGem            *gem,
            const char           *key)
{
  NamedList *l = find_named_list (r, key);
  const SluiceGemSettings *settings;
  gsize key_size = strlen (key) + 1;
  const char *stack_names[8], *stack_texts[8];
  g_autofree const char **heap = NULL;
  const char **names = stack_names, **texts = stack_texts;
  gboolean is_list;
  guint n;

  if (l != NULL)
    return l;
  settings = sluice_gem_peek_settings (gem);
  is_list = sluice_gem_settings_get_length (settings, key, &n);
  if (n > G_N_ELEMENTS (stack_names))
    {
      heap = g_new (const char *, 2 * n);
      names = heap;
      texts = heap + n;
    }
  l = g_malloc (sizeof (NamedList) + n * sizeof (SluiceNamedExpr) + key_size);
  l->items = is_list ? (SluiceNamedExpr *) (l + 1) : NULL;
  l->n_items = n;
  l->parsed = FALSE;
  l->key = (char *) ((SluiceNamedExpr *) (l + 1) + n);
  memcpy (l->key, key, key_size);
  /* NULL for what is not a record: validation reports it. */
  sluice_gem_settings_get_record_pairs (settings, key, "name", "expression", n, names, texts);
  for (guint i = 0; i < n; i++)
    l->items[i] = (SluiceNamedExpr) { names[i], texts[i], NULL };
  l->next = r->named;
  r->named = l;
  return l;
}

SluiceNamedExpr *
_sluice_resolver_named_list (SluiceResolverResult *r,
                             SluiceGem            *gem,
                             const char           *key,
                             guint                *n_items)
{
  NamedList *l = named_list (r, gem, key);

  *n_items = l->n_items;
  return l->items;
}

/* The list @key of @r, read by _sluice_resolver_named_list(), has had every
 * item checked (each item's tree made, or its text found not to parse): a
 * code generator's question about it needs no more work, and so, while the
 * resolver is shared, no write lock. */
void
_sluice_resolver_named_list_checked (SluiceResolverResult *r,
                                     const char           *key)
{
  NamedList *l = find_named_list (r, key);

  if (l != NULL)
    l->parsed = TRUE;
}

/* A gem has a few expressions: a scan of their addresses beats hashing. */
static ParsedExpr *
find_expr (SluiceResolverResult *r,
           const char           *text)
{
  ParsedExpr *exprs = r->exprs;

  for (guint i = 0; i < r->n_exprs; i++)
    if (exprs[i].at == text)
      return &exprs[i];
  return NULL;
}

/* Keeps @expr (nullable, transfer full) as the tree of @text for the gem. */
SluiceExpr *
_sluice_resolver_keep_expr (SluiceResolver       *self,
                            SluiceResolverResult *r,
                            const char           *text,
                            SluiceExpr           *expr)
{
  ParsedExpr *p = find_expr (r, text);

  if (p != NULL)
    parsed_expr_clear (p);
  else
    {
      /* Text from elsewhere than the configuration has addresses that change:
       * bound what it can pile up (not while shared: another thread may
       * hold one of these trees). */
      if (r->n_exprs > 256 && self->shared == 0)
        exprs_truncate (r);
      if (r->n_exprs == r->exprs_size)
        {
          r->exprs_size *= 2;
          if (r->exprs == (gpointer) (r + 1))
            r->exprs = g_memdup2 (r->exprs, r->n_exprs * sizeof (ParsedExpr));
          r->exprs = g_renew (ParsedExpr, r->exprs, r->exprs_size);
        }
      p = &((ParsedExpr *) r->exprs)[r->n_exprs++];
      p->at = text;
    }
  p->text = expr ? expr->source : g_strdup (text);
  p->expr = expr;
  return expr;
}

/* The shared trees that no gem holds, dropped once the table has doubled:
 * an edit leaves its old text's tree behind. */
static void
sweep_trees (SluiceResolver *self)
{
  GHashTableIter iter;
  gpointer tree;

  g_hash_table_iter_init (&iter, self->trees);
  while (g_hash_table_iter_next (&iter, NULL, &tree))
    if (g_atomic_ref_count_compare (&((SluiceExpr *) tree)->ref_count, 1))
      g_hash_table_iter_remove (&iter);
  self->trees_sweep_at = MAX (1024, 2 * g_hash_table_size (self->trees));
}

SluiceExpr *
_sluice_resolver_parse (SluiceResolver *self,
                        const char     *text,
                        guint          *error_start,
                        guint          *error_end,
                        GError        **error)
{
  SluiceExpr *e = g_hash_table_lookup (self->trees, text);

  if (e != NULL)
    return sluice_expr_ref (e);
  /* What does not parse is parsed again each time, for its error. */
  e = sluice_expr_parse (text, error_start, error_end, error);
  if (e == NULL)
    return NULL;
  if (g_hash_table_size (self->trees) >= self->trees_sweep_at)
    sweep_trees (self);
  g_hash_table_insert (self->trees, (gpointer) e->source, sluice_expr_ref (e));
  return e;
}

/* Expression texts run to tens of bytes: hashed eight at a time, where
 * g_str_hash() takes them one by one (a tenth of a full resolve). */
static guint
text_hash (gconstpointer key)
{
  const char *s = key;
  gsize n = strlen (s);
  guint64 h = G_GUINT64_CONSTANT (0x9E3779B97F4A7C15) ^ n;

  for (; n >= 8; s += 8, n -= 8)
    {
      guint64 w;

      memcpy (&w, s, 8);
      h = (h ^ w) * G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
      h ^= h >> 32;
    }
  if (n > 0)
    {
      guint64 w = 0;

      memcpy (&w, s, n);
      h = (h ^ w) * G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);
      h ^= h >> 32;
    }
  return (guint) (h ^ (h >> 29));
}

/* A new, empty result for @gem, which has none yet. */
static SluiceResolverResult *
result_add (SluiceResolver *self,
            SluiceGem      *gem)
{
  /* With room for the few trees of most gems, in the same block. */
  SluiceResolverResult *r = g_malloc0 (sizeof (SluiceResolverResult) + RESULT_EXPRS * sizeof (ParsedExpr));

  /* Readers look in the table meanwhile: begin_shared made every result. */
  g_assert (!self->beside);
  r->gem = gem;
  r->exprs = r + 1;
  r->exprs_size = RESULT_EXPRS;
  g_hash_table_insert (self->results, (gpointer) sluice_gem_get_id (gem), r);   /* the gem's own: see sluice_resolver_init() */
  return r;
}

/* @gem's result, made empty the first time. */
static SluiceResolverResult *
result_for (SluiceResolver *self,
            SluiceGem      *gem)
{
  SluiceResolverResult *r = g_hash_table_lookup (self->results, sluice_gem_get_id (gem));

  return r ? r : result_add (self, gem);
}

/* @r computed: published with a barrier, since threads sharing the
 * resolver read the results that are valid while the gems after them are
 * being resolved (sluice_resolver_resolve_shared()). */
static inline void
set_valid (SluiceResolverResult *r)
{
  G_STATIC_ASSERT (sizeof (SluiceResolverState) == sizeof (gint));
  g_atomic_int_set ((gint *) &r->state, STATE_VALID);
}

/* ---- invalidation ---- */

static void
invalidate (SluiceResolver *self,
            const char     *id)
{
  g_autoptr(GPtrArray) stack = NULL;
  SluiceResolverResult *first = g_hash_table_lookup (self->results, id);

  if (first == NULL)
    return;
  /* The gem itself must be recomputed; below it, only checked. */
  if (first->state != STATE_VALID)
    {
      first->state = STATE_DIRTY;
      return;
    }
  first->state = STATE_DIRTY;
  /* Ids borrowed from the edges, which nothing here changes. */
  stack = g_ptr_array_new ();
  g_ptr_array_add (stack, (gpointer) id);

  while (stack->len > 0)
    {
      const char *cur = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      SluiceResolverResult *r = g_hash_table_lookup (self->results, cur);
      GPtrArray *out;

      if (r == NULL)
        continue;
      if (r != first)
        {
          if (r->state != STATE_VALID)
            continue;   /* already marked: so is everything below it */
          r->state = STATE_MAYBE;
        }
      out = g_hash_table_lookup (self->pipeline->successors, cur);
      for (guint i = 0; out && i < out->len; i++)
        g_ptr_array_add (stack, (gpointer) sluice_edge_get_to_gem (g_ptr_array_index (out, i)));
    }
}

static void
gem_changed_cb (SluiceResolver *self,
                GParamSpec     *pspec,
                SluiceGem      *gem)
{
  if (g_str_equal (pspec->name, "id"))
    {
      self->last = NULL;
      self->epoch++;
      g_hash_table_remove_all (self->results);
    }
  else
    invalidate (self, sluice_gem_get_id (gem));
}

static void
watch_gem (SluiceResolver *self,
           SluiceGem      *gem)
{
  /* Not g_signal_connect_object(): each of those is watched by the resolver,
   * and dropping n of them costs n² (a scan of its watched closures each).
   * dispose() and gem_removed_cb() disconnect these. */
  g_signal_connect_swapped (gem, "notify::config", G_CALLBACK (gem_changed_cb), self);
  g_signal_connect_swapped (gem, "notify::id", G_CALLBACK (gem_changed_cb), self);
}

static void
gem_added_cb (SluiceResolver *self,
              SluiceGem      *gem)
{
  /* A gem an edge named but that was missing: who reads through its
   * results must look again. */
  self->epoch++;
  watch_gem (self, gem);
  invalidate (self, sluice_gem_get_id (gem));
}

static void
gem_removed_cb (SluiceResolver *self,
                SluiceGem      *gem)
{
  g_signal_handlers_disconnect_by_data (gem, self);
  invalidate (self, sluice_gem_get_id (gem));
  self->last = NULL;
  self->epoch++;
  g_hash_table_remove (self->results, sluice_gem_get_id (gem));
}

static void
edge_changed_cb (SluiceResolver *self,
                 SluiceEdge     *edge)
{
  invalidate (self, sluice_edge_get_to_gem (edge));
}

static gboolean
schema_equal (GArray *a,
              GArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      SluiceColumn *x = &g_array_index (a, SluiceColumn, i), *y = &g_array_index (b, SluiceColumn, i);
      if (!g_str_equal (x->name, y->name) || !sluice_sql_type_equal (x->type, y->type))
        return FALSE;
    }
  return TRUE;
}

/* The version of the gem's input @name now; 0 for an unconnected one.
 * Looked up among the edges into the gem, without building the key of the
 * "fed" index: an edit far upstream asks this for every gem below it. */
static guint
input_version (SluiceResolver        *self,
               GPtrArray             *into,
               const char            *name,
               SluiceResolverResult **from,
               guint                 *n_edges)
{
  guint version = 0;

  *from = NULL;
  *n_edges = 0;
  for (guint k = 0; into && k < into->len; k++)
    {
      SluiceEdge *edge = g_ptr_array_index (into, k);

      if (g_str_equal (sluice_edge_get_to_port (edge), name) && (*n_edges)++ == 0)
        {
          *from = g_hash_table_lookup (self->results, sluice_edge_get_from_gem (edge));
          version = *from ? (*from)->version : 0;
        }
    }
  return version;
}

/* The versions of the gem's inputs now, into @versions and the results
 * they come from into @ups (@n of each); @into: the edges into it. Whether
 * @ups can be trusted: not when a port is fed twice, or an edge goes into a
 * port the gem does not have (then the lookups decide, every time). */
static gboolean
read_inputs (SluiceResolver        *self,
             const char * const    *names,
             guint                  n,
             GPtrArray             *into,
             guint                 *versions,
             SluiceResolverResult **ups)
{
  guint fed = 0;

  for (guint i = 0; i < n; i++)
    {
      guint n_edges;

      versions[i] = input_version (self, into, names[i], &ups[i], &n_edges);
      fed += n_edges;
      if (n_edges > 1)
        fed = G_MAXUINT / 2;
    }
  return fed == (into ? into->len : 0);
}

/* The versions of @r's inputs still those it was computed from, read
 * through its results: no lookup. */
static gboolean
ups_unchanged (SluiceResolverResult *r)
{
  if (r->input_versions == NULL)
    return FALSE;
  for (guint i = 0; i < r->n_inputs; i++)
    {
      SluiceResolverResult *up = r->ups[i];
      if (r->input_versions[i] != (up ? up->version : 0))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ups_trusted (SluiceResolver       *self,
             SluiceResolverResult *r)
{
  return r->ups_valid && r->ups_epoch == self->epoch &&
         r->n_inputs == g_strv_length ((char **) _sluice_gem_peek_inputs (r->gem));
}

static void compute_schema (SluiceResolver *self, SluiceGem *gem, SluiceResolverResult *r, GPtrArray *into);

/* The edge that feeds the gem's input @name (the pipeline's "fed" index),
 * found among @into, the edges into the gem, without building the index's
 * key: only a broken file feeds one input twice, and then the index says
 * which edge counts. */
static SluiceEdge *
edge_into (SluiceResolver *self,
           SluiceGem      *gem,
           GPtrArray      *into,
           const char     *name)
{
  SluiceEdge *found = NULL;
  g_autofree char *key = NULL;

  for (guint k = 0; into && k < into->len; k++)
    {
      SluiceEdge *edge = g_ptr_array_index (into, k);

      if (!g_str_equal (sluice_edge_get_to_port (edge), name))
        continue;
      if (found != NULL)
        {
          key = g_strconcat (sluice_gem_get_id (gem), "\037", name, NULL);
          return g_hash_table_lookup (self->pipeline->fed, key);
        }
      found = edge;
    }
  return found;
}

/* @into: the edges into @gem */
static void
compute (SluiceResolver       *self,
         SluiceGem            *gem,
         SluiceResolverResult *r,
         GPtrArray            *into)
{
  g_autoptr(GArray) old_schema = NULL;
  const char * const *names = _sluice_gem_peek_inputs (gem);
  guint n = g_strv_length ((char **) names);
  guint stack_versions[8];
  SluiceResolverResult *stack_ups[8];
  g_autofree guint *heap_versions = n > 8 ? g_new (guint, n) : NULL;
  g_autofree SluiceResolverResult **heap_ups = n > 8 ? g_new (SluiceResolverResult *, n) : NULL;
  guint *versions = heap_versions ? heap_versions : stack_versions;
  SluiceResolverResult **ups = heap_ups ? heap_ups : stack_ups;
  gboolean trusted, same;

  /* Upstream changed but no input's schema did: nothing here can change. */
  if (r->state == STATE_MAYBE && ups_trusted (self, r) && ups_unchanged (r))
    {
      set_valid (r);
      return;
    }
  trusted = read_inputs (self, names, n, into, versions, ups);
  same = r->input_versions != NULL && r->n_inputs == n && memcmp (r->input_versions, versions, n * sizeof (guint)) == 0;
  if (r->ups == NULL || r->n_inputs != n)
    {
      /* One block per gem: its results, then its versions. */
      g_free (r->ups);
      r->n_inputs = n;
      r->ups = g_malloc (MAX (n, 1) * (sizeof (SluiceResolverResult *) + sizeof (guint)));
      r->input_versions = (guint *) (r->ups + MAX (n, 1));
    }
  memcpy (r->ups, ups, n * sizeof (SluiceResolverResult *));
  memcpy (r->input_versions, versions, n * sizeof (guint));
  r->ups_valid = trusted;
  r->ups_epoch = self->epoch;
  if (r->state == STATE_MAYBE && same)
    {
      set_valid (r);
      return;
    }
  old_schema = g_steal_pointer (&r->schema);
  compute_schema (self, gem, r, into);
  if (r->version == 0 || !schema_equal (old_schema, r->schema))
    r->version = ++self->last_version;
}

static void
compute_schema (SluiceResolver       *self,
                SluiceGem            *gem,
                SluiceResolverResult *r,
                GPtrArray            *into)
{
  const char * const *names = _sluice_gem_peek_inputs (gem);
  guint n = g_strv_length ((char **) names);
  GArray *stack_in[8];
  g_autofree GArray **heap_in = n > 8 ? g_new0 (GArray *, n) : NULL;
  GArray **in = heap_in ? heap_in : stack_in;
  SluiceResolverCtx ctx = { self, gem, r };

  if (r->diagnostics)
    g_ptr_array_set_size (r->diagnostics, 0);
  exprs_truncate (r);
  named_lists_free (r);

  for (guint i = 0; i < n; i++)
    {
      SluiceResolverResult *up;

      /* compute() has just read the results feeding each port: with one
       * edge per port they are the ones the edges name. */
      if (r->ups_valid && r->n_inputs == n)
        up = r->ups[i];
      else
        {
          SluiceEdge *edge = edge_into (self, gem, into, names[i]);
          up = edge ? g_hash_table_lookup (self->results, sluice_edge_get_from_gem (edge)) : NULL;
        }
      in[i] = up && up->state == STATE_VALID ? up->schema : NULL;
    }

  /* With an input missing or unknown there is nothing sound to check against:
   * validation already reports the missing wire. */
  for (guint i = 0; i < n; i++)
    if (in[i] == NULL)
      goto done;
  if (sluice_gem_get_gem_type (gem) != NULL)
    r->schema = _sluice_resolver_resolve_gem (&ctx, in, (char **) names, n);
done:
  set_valid (r);
  self->resolved++;
}

/* A gem waiting on the stack of resolve(), with what it needs. */
typedef struct
{
  SluiceResolverResult *r;
  GPtrArray            *into;       /* borrowed, nullable: the edges into its gem */
  gboolean              into_known; /* @into looked up (a gem below an edit may not need it) */
} Pending;

static void
push_pending (GArray               *stack,
              SluiceResolverResult *r)
{
  Pending p = { r, NULL, FALSE };
  g_array_append_val (stack, p);
}

static GPtrArray *
pending_into (SluiceResolver *self,
              Pending        *p)
{
  if (!p->into_known)
    {
      p->into = g_hash_table_lookup (self->pipeline->predecessors, sluice_gem_get_id (p->r->gem));
      p->into_known = TRUE;
    }
  return p->into;
}

/* Resolves @id and, first, whatever feeds it; iterative, so a 10,000-gem
 * chain does not exhaust the stack. Each gem is looked up by id once per
 * visit: its result knows its gem, and the stack the edges into it. */
static SluiceResolverResult *
resolve (SluiceResolver *self,
         const char     *id)
{
  GArray *stack;
  SluiceResolverResult *known = NULL;
  gpointer key = NULL;

  /* Code generation asks for every gem, nearly always resolved already,
   * and for the same gem several times in a row (once per expression). */
  if (id && self->last && self->last->state == STATE_VALID && g_str_equal (id, self->last_id))
    return self->last;
  if (id && g_hash_table_lookup_extended (self->results, id, &key, (gpointer *) &known) && known->state == STATE_VALID)
    {
      self->last_id = key;
      self->last = known;
      return known;
    }
  if (known == NULL)
    {
      SluiceGem *target = sluice_pipeline_find_gem (self->pipeline, id);

      if (target == NULL)
        return NULL;
      /* Just looked up and not there: made without a second lookup. */
      known = result_add (self, target);
    }
  /* Kept between calls: a full resolve makes one call per gem. Nothing
   * below calls back in here. */
  stack = self->stack;
  g_assert (stack->len == 0);
  push_pending (stack, known);
  while (stack->len > 0)
    {
      Pending *cur = &g_array_index (stack, Pending, stack->len - 1);
      SluiceResolverResult *r = cur->r;
      SluiceGem *gem = r->gem;
      gboolean ready = TRUE;

      if (r->state == STATE_VALID)
        {
          g_array_set_size (stack, stack->len - 1);
          continue;
        }
      if (!r->busy && r->state == STATE_MAYBE && ups_trusted (self, r))
        {
          /* Below an edit: its inputs are the results it last read. */
          r->busy = TRUE;
          for (guint i = 0; i < r->n_inputs; i++)
            {
              SluiceResolverResult *ur = r->ups[i];

              if (ur && ur->state != STATE_VALID && !ur->busy)
                {
                  push_pending (stack, ur);   /* @cur may move: not used again */
                  ready = FALSE;
                }
            }
          if (!ready)
            continue;
        }
      else if (!r->busy)
        {
          const char * const *names = _sluice_gem_peek_inputs (gem);
          GPtrArray *into = pending_into (self, cur);

          r->busy = TRUE;
          for (guint i = 0; names[i]; i++)
            {
              SluiceEdge *edge = edge_into (self, gem, into, names[i]);
              const char *from = edge ? sluice_edge_get_from_gem (edge) : NULL;
              SluiceResolverResult *ur = from ? g_hash_table_lookup (self->results, from) : NULL;

              if (from && ur == NULL)
                {
                  SluiceGem *up = sluice_pipeline_find_gem (self->pipeline, from);
                  ur = up ? result_for (self, up) : NULL;
                }
              /* A busy input is on a cycle: validation reports it; resolve without it. */
              if (ur && ur->state != STATE_VALID && !ur->busy)
                {
                  push_pending (stack, ur);   /* @cur may move: not used again */
                  ready = FALSE;
                }
            }
          if (!ready)
            continue;
        }
      compute (self, gem, r, pending_into (self, cur));
      r->busy = FALSE;
      g_array_set_size (stack, stack->len - 1);
    }
  return known;
}

/* A result that needs no work, found without touching @last: what threads
 * sharing the resolver may read at once. */
static SluiceResolverResult *
peek_valid (SluiceResolver *self,
            const char     *gem_id)
{
  SluiceResolverResult *r = gem_id ? g_hash_table_lookup (self->results, gem_id) : NULL;

  return r && g_atomic_int_get ((gint *) &r->state) == STATE_VALID ? r : NULL;
}

/* While shared, a question is first tried under the read lock (@fast,
 * which answers only from valid results and returns FALSE otherwise), and
 * only then asked again under the write lock. */
#define SHARED_QUESTION(self, fast, slow)                  \
  G_STMT_START {                                          \
    if ((self)->shared > 0)                               \
      {                                                   \
        gboolean answered;                                \
        g_rw_lock_reader_lock (&(self)->lock);            \
        answered = (fast);                                \
        g_rw_lock_reader_unlock (&(self)->lock);          \
        if (!answered)                                    \
          {                                               \
            g_rw_lock_writer_lock (&(self)->lock);        \
            g_rec_mutex_lock (&(self)->work);             \
            slow;                                         \
            g_rec_mutex_unlock (&(self)->work);           \
            g_rw_lock_writer_unlock (&(self)->lock);      \
          }                                               \
      }                                                   \
    else                                                  \
      {                                                   \
        slow;                                             \
      }                                                   \
  } G_STMT_END

static gboolean
peek_schema (SluiceResolver *self,
             const char     *gem_id,
             GArray        **schema)
{
  SluiceResolverResult *r = peek_valid (self, gem_id);

  *schema = r ? r->schema : NULL;
  return r != NULL;
}

static GArray *
get_schema (SluiceResolver *self,
            const char     *gem_id)
{
  SluiceResolverResult *r = resolve (self, gem_id);
  return r ? r->schema : NULL;
}

GArray *
sluice_resolver_get_schema (SluiceResolver *self,
                            const char     *gem_id)
{
  GArray *schema = NULL;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);

  SHARED_QUESTION (self, peek_schema (self, gem_id, &schema), schema = get_schema (self, gem_id));
  return schema;
}

static GPtrArray *
diagnostics_of (SluiceResolver       *self,
                SluiceResolverResult *r)
{
  if (r == NULL)
    return NULL;
  return r->diagnostics ? r->diagnostics : self->no_diagnostics;
}

static gboolean
peek_diagnostics (SluiceResolver *self,
                  const char     *gem_id,
                  GPtrArray     **out)
{
  SluiceResolverResult *r = peek_valid (self, gem_id);

  *out = diagnostics_of (self, r);
  return r != NULL;
}

GPtrArray *
sluice_resolver_get_diagnostics (SluiceResolver *self,
                                 const char     *gem_id)
{
  GPtrArray *d = NULL;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);

  SHARED_QUESTION (self, peek_diagnostics (self, gem_id, &d), d = diagnostics_of (self, resolve (self, gem_id)));
  return d;
}

GPtrArray *
sluice_resolver_get_all_diagnostics (SluiceResolver *self)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *gems;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), all);

  gems = sluice_pipeline_peek_gem_array (self->pipeline);
  for (guint i = 0; i < gems->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (gems, i);
      GPtrArray *d = sluice_resolver_get_diagnostics (self, sluice_gem_get_id (gem));
      for (guint k = 0; d && k < d->len; k++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (d, k)));
    }
  g_ptr_array_sort (all, sluice_diagnostic_compare);
  return all;
}

static gboolean
peek_version (SluiceResolver *self,
              const char     *gem_id,
              guint          *version)
{
  SluiceResolverResult *r = peek_valid (self, gem_id);

  *version = r ? r->version : 0;
  return r != NULL;
}

static guint
get_version (SluiceResolver *self,
             const char     *gem_id)
{
  SluiceResolverResult *r = resolve (self, gem_id);
  return r ? r->version : 0;
}

guint
sluice_resolver_get_version (SluiceResolver *self,
                             const char     *gem_id)
{
  guint version = 0;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), 0);

  SHARED_QUESTION (self, peek_version (self, gem_id, &version), version = get_version (self, gem_id));
  return version;
}

static gboolean
peek_expr (SluiceResolver *self,
           const char     *gem_id,
           const char     *text,
           SluiceExpr    **expr)
{
  SluiceResolverResult *r = peek_valid (self, gem_id);
  ParsedExpr *p = r ? find_expr (r, text) : NULL;

  *expr = NULL;
  if (r == NULL && sluice_pipeline_find_gem (self->pipeline, gem_id) == NULL)
    return TRUE;   /* no such gem: NULL, as resolve() would say */
  if (p == NULL || !g_str_equal (p->text, text))
    return FALSE;
  *expr = p->expr;
  return TRUE;
}

static SluiceExpr *
get_expr (SluiceResolver *self,
          const char     *gem_id,
          const char     *text)
{
  SluiceResolverResult *r = resolve (self, gem_id);
  ParsedExpr *p;

  if (r == NULL)
    return NULL;
  p = find_expr (r, text);
  if (p && g_str_equal (p->text, text))
    return p->expr;
  /* Not checked (an input is missing) or not one of the gem's expressions. */
  return _sluice_resolver_keep_expr (self, r, text, _sluice_resolver_parse (self, text, NULL, NULL, NULL));
}

SluiceExpr *
sluice_resolver_get_expr (SluiceResolver *self,
                          const char     *gem_id,
                          const char     *text)
{
  SluiceExpr *expr = NULL;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  SHARED_QUESTION (self, peek_expr (self, gem_id, text, &expr), expr = get_expr (self, gem_id, text));
  return expr;
}

static gboolean
peek_named_exprs (SluiceResolver         *self,
                  const char             *gem_id,
                  const char             *key,
                  const SluiceNamedExpr **items,
                  guint                  *n_items)
{
  SluiceResolverResult *r = peek_valid (self, gem_id);
  NamedList *list = r ? find_named_list (r, key) : NULL;

  *items = NULL;
  *n_items = 0;
  if (list == NULL || !(list->parsed || list->items == NULL))
    return FALSE;
  *n_items = list->n_items;
  *items = list->items;
  return TRUE;
}

static const SluiceNamedExpr *
get_named_exprs (SluiceResolver *self,
                 const char     *gem_id,
                 const char     *key,
                 guint          *n_items)
{
  SluiceResolverResult *r;
  NamedList *list;

  *n_items = 0;
  r = resolve (self, gem_id);
  if (r == NULL)
    return NULL;
  list = named_list (r, r->gem, key);
  if (list->items == NULL)
    return NULL;
  /* Checking parsed what it could reach; a gem that was not checked (an
   * input is missing) has its trees made now. */
  if (!list->parsed)
    {
      for (guint i = 0; i < list->n_items; i++)
        {
          SluiceNamedExpr *item = &list->items[i];
          ParsedExpr *p;
          SluiceExpr *e;

          if (item->text == NULL || item->expr != NULL)
            continue;
          p = find_expr (r, item->text);
          e = p && g_str_equal (p->text, item->text) ? p->expr
              : _sluice_resolver_keep_expr (self, r, item->text, _sluice_resolver_parse (self, item->text, NULL, NULL, NULL));
          item->expr = e ? sluice_expr_ref (e) : NULL;
        }
      list->parsed = TRUE;
    }
  *n_items = list->n_items;
  return list->items;
}

const SluiceNamedExpr *
sluice_resolver_get_named_exprs (SluiceResolver *self,
                                 const char     *gem_id,
                                 const char     *key,
                                 guint          *n_items)
{
  const SluiceNamedExpr *items = NULL;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (n_items != NULL, NULL);

  SHARED_QUESTION (self, peek_named_exprs (self, gem_id, key, &items, n_items),
                   items = get_named_exprs (self, gem_id, key, n_items));
  return items;
}

void
sluice_resolver_begin_shared (SluiceResolver *self)
{
  GPtrArray *gems;

  g_return_if_fail (SLUICE_IS_RESOLVER (self));

  if (self->shared++ > 0)
    return;
  /* A result for every gem now: resolving them while shared then changes
   * what the results hold, never the table that the readers look in. */
  g_rw_lock_writer_lock (&self->lock);
  gems = sluice_pipeline_peek_gem_array (self->pipeline);
  for (guint i = 0; i < gems->len; i++)
    result_for (self, g_ptr_array_index (gems, i));
  g_rw_lock_writer_unlock (&self->lock);
}

void
sluice_resolver_resolve_shared (SluiceResolver *self,
                                const char     *gem_id)
{
  g_return_if_fail (SLUICE_IS_RESOLVER (self));
  g_return_if_fail (self->shared > 0);

  /* Not the write side of @lock: the other threads go on reading the
   * results already valid, which resolve() leaves alone. */
  g_rec_mutex_lock (&self->work);
  self->beside = TRUE;
  resolve (self, gem_id);
  self->beside = FALSE;
  g_rec_mutex_unlock (&self->work);
}

void
sluice_resolver_end_shared (SluiceResolver *self)
{
  g_return_if_fail (SLUICE_IS_RESOLVER (self));
  g_return_if_fail (self->shared > 0);

  self->shared--;
}

guint
sluice_resolver_take_resolve_count (SluiceResolver *self)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), 0);
  n = self->resolved;
  self->resolved = 0;
  return n;
}

static void
sluice_resolver_dispose (GObject *object)
{
  SluiceResolver *self = SLUICE_RESOLVER (object);

  if (self->pipeline)
    {
      GListModel *gems = sluice_pipeline_get_gems (self->pipeline);
      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          g_signal_handlers_disconnect_by_data (gem, self);
        }
      g_signal_handlers_disconnect_by_data (self->pipeline, self);
    }
  g_clear_object (&self->pipeline);
  g_clear_object (&self->datasets);
  self->last = NULL;
  g_clear_pointer (&self->results, g_hash_table_unref);
  g_clear_pointer (&self->no_diagnostics, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_pointer (&self->trees, g_hash_table_unref);
  g_clear_pointer (&self->stack, g_array_unref);

  G_OBJECT_CLASS (sluice_resolver_parent_class)->dispose (object);
}

static void
sluice_resolver_finalize (GObject *object)
{
  g_rw_lock_clear (&SLUICE_RESOLVER (object)->lock);
  g_rec_mutex_clear (&SLUICE_RESOLVER (object)->work);

  G_OBJECT_CLASS (sluice_resolver_parent_class)->finalize (object);
}

static void
sluice_resolver_class_init (SluiceResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sluice_resolver_dispose;
  G_OBJECT_CLASS (klass)->finalize = sluice_resolver_finalize;
}

static void
sluice_resolver_init (SluiceResolver *self)
{
  /* Keyed by the gem's own id string: a result goes when its gem does
   * (gem_removed_cb()) and all of them when an id changes (gem_changed_cb()),
   * before anything looks a key up again. */
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) result_free);
  self->no_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_problem_free);
  self->trees = g_hash_table_new_full (text_hash, g_str_equal, NULL, (GDestroyNotify) sluice_expr_unref);
  self->trees_sweep_at = 1024;
  self->stack = g_array_sized_new (FALSE, FALSE, sizeof (Pending), 64);
  g_rw_lock_init (&self->lock);
  g_rec_mutex_init (&self->work);
}

SluiceResolver *
sluice_resolver_new (SluicePipeline *pipeline,
                     GListModel     *datasets)
{
  SluiceResolver *self;
  GListModel *gems;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (datasets), NULL);

  self = g_object_new (SLUICE_TYPE_RESOLVER, NULL);
  self->pipeline = g_object_ref (pipeline);
  self->datasets = g_object_ref (datasets);

  gems = sluice_pipeline_get_gems (pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      watch_gem (self, gem);
    }
  g_signal_connect_object (pipeline, "gem-added", G_CALLBACK (gem_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "gem-removed", G_CALLBACK (gem_removed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "edge-added", G_CALLBACK (edge_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "edge-removed", G_CALLBACK (edge_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}
