#define G_LOG_DOMAIN "sluice-pipeline-merge"

#include "config.h"

#include <string.h>

#include "sluice-json-writer.h"
#include "sluice-model-error.h"
#include "sluice-pipeline.h"
#include "sluice-pipeline-merge.h"
#include "sluice-pipeline-merge-private.h"

#define CONFLICTS_KEY "merge_conflicts"

void
sluice_pipeline_conflict_free (SluicePipelineConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->gem_id);
  g_free (conflict->path);
  g_clear_pointer (&conflict->base, json_node_unref);
  g_clear_pointer (&conflict->ours, json_node_unref);
  g_clear_pointer (&conflict->theirs, json_node_unref);
  g_free (conflict);
}

static char *
short_text (JsonNode *node)
{
  if (node == NULL)
    return g_strdup ("(removed)");
  return json_to_string (node, FALSE);
}

char *
sluice_pipeline_conflict_describe (const SluicePipelineConflict *conflict)
{
  g_autofree char *ours = short_text (conflict->ours);
  g_autofree char *theirs = short_text (conflict->theirs);

  if (conflict->gem_id == NULL)
    return g_strdup_printf ("pipeline: %s: ours %s, theirs %s", conflict->path, ours, theirs);
  if (conflict->path[0] == '\0')
    return g_strdup_printf ("gem “%s”: %s on one side, changed on the other",
                            conflict->gem_id,
                            conflict->ours == NULL ? "removed by ours" : "removed by theirs");
  return g_strdup_printf ("gem “%s”: %s: ours %s, theirs %s", conflict->gem_id, conflict->path, ours, theirs);
}

static void
add_conflict (GPtrArray  *conflicts,
              const char *gem_id,
              const char *path,
              JsonNode   *base,
              JsonNode   *ours,
              JsonNode   *theirs)
{
  SluicePipelineConflict *conflict = g_new0 (SluicePipelineConflict, 1);

  conflict->gem_id = g_strdup (gem_id);
  conflict->path = g_strdup (path);
  conflict->base = base ? json_node_copy (base) : NULL;
  conflict->ours = ours ? json_node_copy (ours) : NULL;
  conflict->theirs = theirs ? json_node_copy (theirs) : NULL;
  g_ptr_array_add (conflicts, conflict);
}

static gboolean
same (JsonNode *a,
      JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static gboolean
is_object (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node);
}

/* Member by member: ours' order, then members only theirs has, in their
 * order. Nested objects merge recursively, except a gem's position (x and
 * y are one value: a move). */
static JsonObject *
merge_objects (JsonObject         *base,
               JsonObject         *ours,
               JsonObject         *theirs,
               const char         *gem_id,
               const char         *prefix,
               const char * const *skip,
               GPtrArray          *conflicts)
{
  JsonObject *out = json_object_new ();
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init_ordered (&iter, ours);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    g_ptr_array_add (keys, (gpointer) key);
  json_object_iter_init_ordered (&iter, theirs);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    if (!json_object_has_member (ours, key))
      g_ptr_array_add (keys, (gpointer) key);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *k = g_ptr_array_index (keys, i);
      JsonNode *b = base ? json_object_get_member (base, k) : NULL;
      JsonNode *o = json_object_get_member (ours, k);
      JsonNode *t = json_object_get_member (theirs, k);
      g_autofree char *path = prefix ? g_strconcat (prefix, ".", k, NULL) : g_strdup (k);
      JsonNode *result;

      if (skip && g_strv_contains (skip, k))
        continue;
      if (same (o, t))
        result = o;
      else if (same (o, b))
        result = t;
      else if (same (t, b))
        result = o;
      else if (is_object (o) && is_object (t) && (b == NULL || is_object (b))
               && !(prefix == NULL && gem_id != NULL && g_str_equal (k, "position")))
        {
          JsonObject *merged = merge_objects (b ? json_node_get_object (b) : NULL,
                                              json_node_get_object (o), json_node_get_object (t),
                                              gem_id, path, NULL, conflicts);
          json_object_set_object_member (out, k, merged);
          continue;
        }
      else
        {
          add_conflict (conflicts, gem_id, path, b, o, t);
          result = o;
        }
      if (result != NULL)
        json_object_set_member (out, k, json_node_copy (result));
    }
  return out;
}

/* Where an edge goes in: "gem.port" */
static const char *
edge_target (JsonObject *edge)
{
  return json_object_get_string_member_with_default (edge, "to", "");
}

static char *
edge_gem (const char *end)
{
  const char *dot = strrchr (end, '.');
  return dot ? g_strndup (end, dot - end) : g_strdup (end);
}

JsonNode *
sluice_pipeline_conflicts_to_json (GPtrArray *conflicts)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < conflicts->len; i++)
    {
      SluicePipelineConflict *c = g_ptr_array_index (conflicts, i);
      JsonObject *object = json_object_new ();

      if (c->gem_id != NULL)
        json_object_set_string_member (object, "gem", c->gem_id);
      json_object_set_string_member (object, "path", c->path);
      json_object_set_member (object, "base", c->base ? json_node_copy (c->base) : json_node_new (JSON_NODE_NULL));
      json_object_set_member (object, "ours", c->ours ? json_node_copy (c->ours) : json_node_new (JSON_NODE_NULL));
      json_object_set_member (object, "theirs", c->theirs ? json_node_copy (c->theirs) : json_node_new (JSON_NODE_NULL));
      json_array_add_object_element (array, object);
    }
  return json_node_init_array (json_node_alloc (), array);
}

GBytes *
sluice_pipeline_merge (GBytes      *base_bytes,
                       GBytes      *ours_bytes,
                       GBytes      *theirs_bytes,
                       gboolean     embed_conflicts,
                       GPtrArray  **conflicts_out,
                       GError     **error)
{
  static const char * const top_skip[] = { "gems", "edges", CONFLICTS_KEY, NULL };
  g_autoptr(SluicePipelineTree) base = NULL;
  g_autoptr(SluicePipelineTree) ours = NULL;
  g_autoptr(SluicePipelineTree) theirs = NULL;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_pipeline_conflict_free);
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GHashTable) kept = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) inputs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  g_autoptr(JsonNode) root_node = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SluicePipeline) pipeline = NULL;
  JsonArray *gems, *edges;

  g_return_val_if_fail (ours_bytes != NULL && theirs_bytes != NULL, NULL);

  if (!(base = _sluice_pipeline_tree_new ("base", base_bytes, error))
      || !(ours = _sluice_pipeline_tree_new ("ours", ours_bytes, error))
      || !(theirs = _sluice_pipeline_tree_new ("theirs", theirs_bytes, error)))
    return NULL;

  /* Pipeline members (description, unknown keys). */
  root = merge_objects (json_node_get_object (base->root), json_node_get_object (ours->root),
                        json_node_get_object (theirs->root), NULL, NULL, top_skip, conflicts);

  /* Gems: ours' order, then the ones theirs added, in their order. */
  for (guint i = 0; i < ours->gem_ids->len; i++)
    g_ptr_array_add (order, g_ptr_array_index (ours->gem_ids, i));
  for (guint i = 0; i < theirs->gem_ids->len; i++)
    if (!g_hash_table_contains (ours->gems, g_ptr_array_index (theirs->gem_ids, i)))
      g_ptr_array_add (order, g_ptr_array_index (theirs->gem_ids, i));

  gems = json_array_new ();
  for (guint i = 0; i < order->len; i++)
    {
      const char *id = g_ptr_array_index (order, i);
      JsonObject *b = g_hash_table_lookup (base->gems, id);
      JsonObject *o = g_hash_table_lookup (ours->gems, id);
      JsonObject *t = g_hash_table_lookup (theirs->gems, id);
      g_autoptr(JsonNode) bn = b ? json_node_init_object (json_node_alloc (), b) : NULL;
      g_autoptr(JsonNode) on = o ? json_node_init_object (json_node_alloc (), o) : NULL;
      g_autoptr(JsonNode) tn = t ? json_node_init_object (json_node_alloc (), t) : NULL;

      if (o != NULL && t != NULL)
        {
          json_array_add_object_element (gems, merge_objects (b, o, t, id, NULL, NULL, conflicts));
          g_hash_table_add (kept, (gpointer) id);
        }
      else if (b == NULL)
        {
          /* Added on one side only. */
          json_array_add_object_element (gems, json_object_ref (o ? o : t));
          g_hash_table_add (kept, (gpointer) id);
        }
      else if (o != NULL)
        {
          /* Theirs removed it: gone unless ours changed it. */
          if (!same (bn, on))
            {
              add_conflict (conflicts, id, "", bn, on, NULL);
              json_array_add_object_element (gems, json_object_ref (o));
              g_hash_table_add (kept, (gpointer) id);
            }
        }
      else if (t != NULL)
        {
          /* Ours removed it: a conflict if theirs changed it; ours wins. */
          if (!same (bn, tn))
            add_conflict (conflicts, id, "", bn, NULL, tn);
        }
    }
  json_object_set_array_member (root, "gems", gems);

  /* Edges: those both keep, plus those either side added; none to a gem
   * that is gone; one wire per input (ours' when they differ). */
  edges = json_array_new ();
  for (int side = 0; side < 2; side++)
    {
      SluicePipelineTree *mine = side == 0 ? ours : theirs;
      SluicePipelineTree *other = side == 0 ? theirs : ours;

      for (guint i = 0; i < mine->edges->len; i++)
        {
          const char *key = g_ptr_array_index (mine->edges, i);
          JsonObject *edge = g_hash_table_lookup (mine->edge_set, key);
          gboolean in_base = g_hash_table_contains (base->edge_set, key);
          gboolean in_other = g_hash_table_contains (other->edge_set, key);
          g_autofree char *from_gem = edge_gem (json_object_get_string_member_with_default (edge, "from", ""));
          g_autofree char *to_gem = edge_gem (edge_target (edge));
          JsonObject *holder;

          if (side == 1 && in_other)
            continue;                       /* already taken from ours */
          if (in_base && !in_other)
            continue;                       /* removed by the other side */
          if (!g_hash_table_contains (kept, from_gem) || !g_hash_table_contains (kept, to_gem))
            continue;
          holder = g_hash_table_lookup (inputs, edge_target (edge));
          if (holder != NULL)
            {
              g_autofree char *path = g_strconcat ("edges:", edge_target (edge), NULL);
              g_autoptr(JsonNode) on = json_node_init_object (json_node_alloc (), holder);
              g_autoptr(JsonNode) tn = json_node_init_object (json_node_alloc (), edge);
              add_conflict (conflicts, NULL, path, NULL, on, tn);
              continue;
            }
          g_hash_table_insert (inputs, (gpointer) edge_target (edge), edge);
          json_array_add_object_element (edges, json_object_ref (edge));
        }
    }
  json_object_set_array_member (root, "edges", edges);

  if (embed_conflicts && conflicts->len > 0)
    json_object_set_member (root, CONFLICTS_KEY, sluice_pipeline_conflicts_to_json (conflicts));

  /* Through the loader and its serializer: canonical order and text. */
  root_node = json_node_init_object (json_node_alloc (), root);
  written = sluice_json_write (root_node, NULL);
  pipeline = sluice_pipeline_load_from_bytes ("pipeline", "merge result", written, diagnostics, error);
  if (pipeline == NULL)
    return NULL;
  if (conflicts_out != NULL)
    *conflicts_out = g_steal_pointer (&conflicts);
  return sluice_pipeline_to_bytes (pipeline);
}
