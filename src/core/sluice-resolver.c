#define G_LOG_DOMAIN "sluice-resolver"

#include "config.h"

#include "sluice-diagnostic.h"
#include "sluice-edge.h"
#include "sluice-expr.h"
#include "sluice-gem-private.h"
#include "sluice-pipeline-private.h"
#include "sluice-resolver.h"

#include "sluice-resolver-private.h"

G_DEFINE_FINAL_TYPE (SluiceResolver, sluice_resolver, G_TYPE_OBJECT)

static void
result_free (SluiceResolverResult *r)
{
  g_clear_pointer (&r->named, g_array_unref);
  g_clear_pointer (&r->input_versions, g_array_unref);
  g_clear_pointer (&r->ups, g_ptr_array_unref);
  g_clear_pointer (&r->schema, g_array_unref);
  g_clear_pointer (&r->diagnostics, g_ptr_array_unref);
  g_clear_pointer (&r->exprs, g_array_unref);
  g_free (r);
}

typedef struct
{
  const char *at;     /* borrowed, never dereferenced: the text's address, the key */
  const char *text;   /* a copy, to tell a reused address: the tree's own, or owned without one */
  SluiceExpr *expr;   /* owned, nullable: the text does not parse */
} ParsedExpr;

static void
parsed_expr_clear (gpointer data)
{
  ParsedExpr *p = data;

  if (p->expr == NULL)
    g_free ((char *) p->text);
  p->text = NULL;
  g_clear_pointer (&p->expr, sluice_expr_unref);
}

typedef struct
{
  char   *key;      /* owned */
  GArray *items;    /* SluiceNamedExpr (expr owned), nullable: the setting is not a list */
  gboolean parsed;  /* every item's text has been looked up among the trees */
} NamedList;

static void
named_expr_clear (gpointer data)
{
  g_clear_pointer (&((SluiceNamedExpr *) data)->expr, sluice_expr_unref);
}

static void
named_list_clear (gpointer data)
{
  NamedList *l = data;

  g_free (l->key);
  g_clear_pointer (&l->items, g_array_unref);
}

GArray *
_sluice_resolver_named_list (SluiceResolverResult *r,
                             SluiceGem            *gem,
                             const char           *key)
{
  NamedList fresh = { NULL, NULL, FALSE };
  JsonNode *node;

  for (guint i = 0; r->named && i < r->named->len; i++)
    if (g_str_equal (g_array_index (r->named, NamedList, i).key, key))
      return g_array_index (r->named, NamedList, i).items;

  node = sluice_gem_get_config (gem, key);
  if (node && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      fresh.items = g_array_sized_new (FALSE, TRUE, sizeof (SluiceNamedExpr), n);
      g_array_set_clear_func (fresh.items, named_expr_clear);
      g_array_set_size (fresh.items, n);
      for (guint i = 0; i < n; i++)
        {
          JsonNode *rec = json_array_get_element (array, i);
          SluiceNamedExpr *item = &g_array_index (fresh.items, SluiceNamedExpr, i);

          if (!JSON_NODE_HOLDS_OBJECT (rec))
            continue;
          item->name = _sluice_resolver_config_string (gem, json_node_get_object (rec), "name");
          item->text = _sluice_resolver_config_string (gem, json_node_get_object (rec), "expression");
        }
    }
  if (r->named == NULL)
    {
      r->named = g_array_new (FALSE, FALSE, sizeof (NamedList));
      g_array_set_clear_func (r->named, named_list_clear);
    }
  fresh.key = g_strdup (key);
  g_array_append_val (r->named, fresh);
  return fresh.items;
}

/* A gem has a few expressions: a scan of their addresses beats hashing. */
static ParsedExpr *
find_expr (SluiceResolverResult *r,
           const char           *text)
{
  for (guint i = 0; r->exprs && i < r->exprs->len; i++)
    if (g_array_index (r->exprs, ParsedExpr, i).at == text)
      return &g_array_index (r->exprs, ParsedExpr, i);
  return NULL;
}

/* Keeps @expr (nullable, transfer full) as the tree of @text for the gem. */
SluiceExpr *
_sluice_resolver_keep_expr (SluiceResolverResult *r,
           const char           *text,
           SluiceExpr           *expr)
{
  ParsedExpr *p = find_expr (r, text);

  if (p != NULL)
    parsed_expr_clear (p);
  else
    {
      ParsedExpr fresh = { text, NULL, NULL };

      if (r->exprs == NULL)
        {
          r->exprs = g_array_sized_new (FALSE, FALSE, sizeof (ParsedExpr), 4);
          g_array_set_clear_func (r->exprs, parsed_expr_clear);
        }
      /* Text from elsewhere than the configuration has addresses that change:
       * bound what it can pile up. */
      if (r->exprs->len > 256)
        g_array_set_size (r->exprs, 0);
      g_array_append_val (r->exprs, fresh);
      p = &g_array_index (r->exprs, ParsedExpr, r->exprs->len - 1);
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

/* @gem's result, made empty the first time. */
static SluiceResolverResult *
result_for (SluiceResolver *self,
            SluiceGem      *gem)
{
  const char *id = sluice_gem_get_id (gem);
  SluiceResolverResult *r = g_hash_table_lookup (self->results, id);

  if (r == NULL)
    {
      r = g_new0 (SluiceResolverResult, 1);
      r->gem = gem;
      g_hash_table_insert (self->results, g_strdup (id), r);
    }
  return r;
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
  g_signal_connect_object (gem, "notify::config", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gem, "notify::id", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
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

/* The versions of the gem's inputs now; @into: the edges into it. */
static GArray *
input_versions (SluiceResolver *self,
                SluiceGem      *gem,
                GPtrArray      *into,
                GPtrArray     **ups)
{
  const char * const *names = _sluice_gem_peek_inputs (gem);
  guint n = g_strv_length ((char **) names), fed = 0;
  GArray *versions = g_array_sized_new (FALSE, TRUE, sizeof (guint), n);

  *ups = g_ptr_array_sized_new (n);
  for (guint i = 0; i < n; i++)
    {
      SluiceResolverResult *from;
      guint n_edges;
      guint v = input_version (self, into, names[i], &from, &n_edges);

      g_array_append_val (versions, v);
      g_ptr_array_add (*ups, from);
      fed += n_edges;
      if (n_edges > 1)
        fed = G_MAXUINT / 2;
    }
  /* A port fed twice, or an edge into a port the gem does not have: the
   * lookups decide, every time. */
  if (fed != (into ? into->len : 0))
    g_clear_pointer (ups, g_ptr_array_unref);
  return versions;
}

static gboolean
versions_equal (GArray *a,
                GArray *b)
{
  return a && b && a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (guint)) == 0;
}

/* The versions of @r's inputs still those it was computed from, read
 * through its results: no lookup. */
static gboolean
ups_unchanged (SluiceResolverResult *r)
{
  if (r->input_versions == NULL || r->input_versions->len != r->ups->len)
    return FALSE;
  for (guint i = 0; i < r->ups->len; i++)
    {
      SluiceResolverResult *up = g_ptr_array_index (r->ups, i);
      if (g_array_index (r->input_versions, guint, i) != (up ? up->version : 0))
        return FALSE;
    }
  return TRUE;
}

static gboolean
ups_trusted (SluiceResolver       *self,
             SluiceResolverResult *r)
{
  return r->ups != NULL && r->ups_epoch == self->epoch &&
         r->ups->len == g_strv_length ((char **) _sluice_gem_peek_inputs (r->gem));
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
  g_autoptr(GArray) versions = NULL;
  GPtrArray *ups = NULL;

  /* Upstream changed but no input's schema did: nothing here can change. */
  if (r->state == STATE_MAYBE && ups_trusted (self, r) && ups_unchanged (r))
    {
      r->state = STATE_VALID;
      return;
    }
  versions = input_versions (self, gem, into, &ups);
  g_clear_pointer (&r->ups, g_ptr_array_unref);
  r->ups = ups;
  r->ups_epoch = self->epoch;
  if (r->state == STATE_MAYBE && versions_equal (r->input_versions, versions))
    {
      r->state = STATE_VALID;
      return;
    }
  old_schema = g_steal_pointer (&r->schema);
  g_clear_pointer (&r->input_versions, g_array_unref);
  r->input_versions = g_steal_pointer (&versions);
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
  g_autofree GArray **in = g_new0 (GArray *, MAX (n, 1));
  SluiceResolverCtx ctx = { self, gem, r };

  if (r->diagnostics)
    g_ptr_array_set_size (r->diagnostics, 0);
  if (r->exprs)
    g_array_set_size (r->exprs, 0);
  if (r->named)
    g_array_set_size (r->named, 0);

  for (guint i = 0; i < n; i++)
    {
      SluiceEdge *edge = edge_into (self, gem, into, names[i]);
      SluiceResolverResult *up = edge ? g_hash_table_lookup (self->results, sluice_edge_get_from_gem (edge)) : NULL;
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
  r->state = STATE_VALID;
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
      known = result_for (self, target);
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
          for (guint i = 0; i < r->ups->len; i++)
            {
              SluiceResolverResult *ur = g_ptr_array_index (r->ups, i);

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

GArray *
sluice_resolver_get_schema (SluiceResolver *self,
                            const char     *gem_id)
{
  SluiceResolverResult *r;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);

  r = resolve (self, gem_id);
  return r ? r->schema : NULL;
}

GPtrArray *
sluice_resolver_get_diagnostics (SluiceResolver *self,
                                 const char     *gem_id)
{
  SluiceResolverResult *r;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);

  r = resolve (self, gem_id);
  if (r == NULL)
    return NULL;
  return r->diagnostics ? r->diagnostics : self->no_diagnostics;
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

guint
sluice_resolver_get_version (SluiceResolver *self,
                             const char     *gem_id)
{
  SluiceResolverResult *r;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), 0);

  r = resolve (self, gem_id);
  return r ? r->version : 0;
}

SluiceExpr *
sluice_resolver_get_expr (SluiceResolver *self,
                          const char     *gem_id,
                          const char     *text)
{
  SluiceResolverResult *r;
  ParsedExpr *p;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  r = resolve (self, gem_id);
  if (r == NULL)
    return NULL;
  p = find_expr (r, text);
  if (p && g_str_equal (p->text, text))
    return p->expr;
  /* Not checked (an input is missing) or not one of the gem's expressions. */
  return _sluice_resolver_keep_expr (r, text, _sluice_resolver_parse (self, text, NULL, NULL, NULL));
}

const SluiceNamedExpr *
sluice_resolver_get_named_exprs (SluiceResolver *self,
                                 const char     *gem_id,
                                 const char     *key,
                                 guint          *n_items)
{
  SluiceResolverResult *r;
  NamedList *list = NULL;
  GArray *items;

  g_return_val_if_fail (SLUICE_IS_RESOLVER (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (n_items != NULL, NULL);

  *n_items = 0;
  r = resolve (self, gem_id);
  if (r == NULL)
    return NULL;
  for (guint i = 0; r->named && i < r->named->len && list == NULL; i++)
    if (g_str_equal (g_array_index (r->named, NamedList, i).key, key))
      list = &g_array_index (r->named, NamedList, i);
  if (list == NULL)
    {
      _sluice_resolver_named_list (r, sluice_pipeline_find_gem (self->pipeline, gem_id), key);
      list = &g_array_index (r->named, NamedList, r->named->len - 1);
    }
  items = list->items;
  if (items == NULL)
    return NULL;
  /* Checking parsed what it could reach; a gem that was not checked (an
   * input is missing) has its trees made now. */
  if (!list->parsed)
    {
      for (guint i = 0; i < items->len; i++)
        {
          SluiceNamedExpr *item = &g_array_index (items, SluiceNamedExpr, i);
          ParsedExpr *p;
          SluiceExpr *e;

          if (item->text == NULL || item->expr != NULL)
            continue;
          p = find_expr (r, item->text);
          e = p && g_str_equal (p->text, item->text) ? p->expr
              : _sluice_resolver_keep_expr (r, item->text, _sluice_resolver_parse (self, item->text, NULL, NULL, NULL));
          item->expr = e ? sluice_expr_ref (e) : NULL;
        }
      list->parsed = TRUE;
    }
  *n_items = items->len;
  return (const SluiceNamedExpr *) items->data;
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
sluice_resolver_class_init (SluiceResolverClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sluice_resolver_dispose;
}

static void
sluice_resolver_init (SluiceResolver *self)
{
  self->results = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) result_free);
  self->no_diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_problem_free);
  self->trees = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) sluice_expr_unref);
  self->trees_sweep_at = 1024;
  self->stack = g_array_sized_new (FALSE, FALSE, sizeof (Pending), 64);
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
