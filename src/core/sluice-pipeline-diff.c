#define G_LOG_DOMAIN "sluice-pipeline-diff"

#include "config.h"

#include "sluice-json-writer.h"
#include "sluice-model-error.h"
#include "sluice-pipeline.h"
#include "sluice-pipeline-diff.h"
#include "sluice-pipeline-merge-private.h"

/* ---- reading a file as a tree ---- */

char *
_sluice_edge_key (JsonObject *edge)
{
  return g_strdup_printf ("%s → %s",
                          json_object_get_string_member_with_default (edge, "from", ""),
                          json_object_get_string_member_with_default (edge, "to", ""));
}

void
_sluice_pipeline_tree_free (SluicePipelineTree *tree)
{
  if (tree == NULL)
    return;
  g_clear_pointer (&tree->gem_ids, g_ptr_array_unref);
  g_clear_pointer (&tree->gems, g_hash_table_unref);
  g_clear_pointer (&tree->edge_set, g_hash_table_unref);
  g_clear_pointer (&tree->edges, g_ptr_array_unref);
  g_clear_pointer (&tree->root, json_node_unref);
  g_free (tree);
}

SluicePipelineTree *
_sluice_pipeline_tree_new (const char  *file,
                           GBytes      *bytes,
                           GError     **error)
{
  g_autoptr(SluicePipelineTree) tree = g_new0 (SluicePipelineTree, 1);
  JsonObject *root;
  JsonArray *gems, *edges;

  tree->gem_ids = g_ptr_array_new ();
  tree->gems = g_hash_table_new (g_str_hash, g_str_equal);
  tree->edges = g_ptr_array_new_with_free_func (g_free);
  tree->edge_set = g_hash_table_new (g_str_hash, g_str_equal);

  if (bytes == NULL)
    {
      g_autoptr(JsonObject) object = json_object_new ();

      json_object_set_int_member (object, "format_version", 1);
      json_object_set_array_member (object, "gems", json_array_new ());
      json_object_set_array_member (object, "edges", json_array_new ());
      tree->root = json_node_init_object (json_node_alloc (), object);
      return g_steal_pointer (&tree);
    }
  else
    {
      /* The loader checks the shape and names the place of any problem. */
      g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(SluicePipeline) pipeline = sluice_pipeline_load_from_bytes ("pipeline", file, bytes, diagnostics, error);
      g_autoptr(JsonParser) parser = NULL;
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);

      if (pipeline == NULL)
        return NULL;
      /* A byte-order mark is allowed by the loader; json-glib wants none. */
      if (len >= 3 && (guchar) data[0] == 0xEF && (guchar) data[1] == 0xBB && (guchar) data[2] == 0xBF)
        data += 3, len -= 3;
      parser = json_parser_new_immutable ();
      if (!json_parser_load_from_data (parser, data, (gssize) len, error))
        {
          g_prefix_error (error, "%s: ", file);
          return NULL;
        }
      tree->root = json_parser_steal_root (parser);
    }

  root = json_node_get_object (tree->root);
  gems = json_object_get_array_member (root, "gems");
  edges = json_object_get_array_member (root, "edges");
  for (guint i = 0; i < json_array_get_length (gems); i++)
    {
      JsonObject *gem = json_array_get_object_element (gems, i);
      const char *id = json_object_get_string_member (gem, "id");

      if (g_hash_table_contains (tree->gems, id))
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                       "%s: gem id “%s” is used twice", file, id);
          return NULL;
        }
      g_ptr_array_add (tree->gem_ids, (gpointer) id);
      g_hash_table_insert (tree->gems, (gpointer) id, gem);
    }
  for (guint i = 0; i < json_array_get_length (edges); i++)
    {
      JsonObject *edge = json_array_get_object_element (edges, i);
      char *key = _sluice_edge_key (edge);

      if (g_hash_table_contains (tree->edge_set, key))
        {
          g_free (key);
          continue;
        }
      g_ptr_array_add (tree->edges, key);
      g_hash_table_insert (tree->edge_set, key, edge);
    }
  return g_steal_pointer (&tree);
}

/* ---- changes ---- */

void
sluice_pipeline_change_free (SluicePipelineChange *change)
{
  if (change == NULL)
    return;
  g_free (change->gem_id);
  g_free (change->path);
  g_free (change->edge);
  g_clear_pointer (&change->old_value, json_node_unref);
  g_clear_pointer (&change->new_value, json_node_unref);
  g_free (change);
}

static char *
value_text (JsonNode *node)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (node == NULL)
    return g_strdup ("(absent)");
  if (JSON_NODE_HOLDS_OBJECT (node) || JSON_NODE_HOLDS_ARRAY (node))
    return json_to_string (node, FALSE);
  bytes = sluice_json_write (node, NULL);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return g_strdup (g_strchomp (text));
}

char *
sluice_pipeline_change_describe (const SluicePipelineChange *change)
{
  g_autofree char *old_text = value_text (change->old_value);
  g_autofree char *new_text = value_text (change->new_value);

  switch (change->kind)
    {
    case SLUICE_PIPELINE_CHANGE_GEM_ADDED:
      return g_strdup_printf ("gem “%s” added", change->gem_id);
    case SLUICE_PIPELINE_CHANGE_GEM_REMOVED:
      return g_strdup_printf ("gem “%s” removed", change->gem_id);
    case SLUICE_PIPELINE_CHANGE_GEM_MOVED:
      return g_strdup_printf ("gem “%s” moved: %s → %s", change->gem_id, old_text, new_text);
    case SLUICE_PIPELINE_CHANGE_GEM_RELABELLED:
      return g_strdup_printf ("gem “%s” relabelled: %s → %s", change->gem_id, old_text, new_text);
    case SLUICE_PIPELINE_CHANGE_CONFIG_CHANGED:
    case SLUICE_PIPELINE_CHANGE_GEM_CHANGED:
      return g_strdup_printf ("gem “%s”: %s changed: %s → %s", change->gem_id, change->path, old_text, new_text);
    case SLUICE_PIPELINE_CHANGE_EDGE_ADDED:
      return g_strdup_printf ("edge %s added", change->edge);
    case SLUICE_PIPELINE_CHANGE_EDGE_REMOVED:
      return g_strdup_printf ("edge %s removed", change->edge);
    case SLUICE_PIPELINE_CHANGE_PIPELINE_CHANGED:
    default:
      return g_strdup_printf ("pipeline: %s changed: %s → %s", change->path, old_text, new_text);
    }
}

static void
add_change (GPtrArray                *changes,
            SluicePipelineChangeKind  kind,
            const char               *gem_id,
            const char               *path,
            JsonNode                 *old_value,
            JsonNode                 *new_value)
{
  SluicePipelineChange *change = g_new0 (SluicePipelineChange, 1);

  change->kind = kind;
  change->gem_id = g_strdup (gem_id);
  change->path = g_strdup (path);
  change->old_value = old_value ? json_node_copy (old_value) : NULL;
  change->new_value = new_value ? json_node_copy (new_value) : NULL;
  g_ptr_array_add (changes, change);
}

static gboolean
values_equal (JsonNode *a,
              JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

/* Members of @old and @new (either may be NULL), leaf by leaf: objects are
 * compared member by member (except position, which is one value), arrays
 * and scalars as wholes. */
static void
diff_objects (GPtrArray  *changes,
              const char *gem_id,
              const char *prefix,
              JsonObject *old_object,
              JsonObject *new_object,
              const char * const *skip)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (new_object != NULL)
    {
      json_object_iter_init_ordered (&iter, new_object);
      while (json_object_iter_next_ordered (&iter, &key, &value))
        g_ptr_array_add (keys, (gpointer) key);
    }
  if (old_object != NULL)
    {
      json_object_iter_init_ordered (&iter, old_object);
      while (json_object_iter_next_ordered (&iter, &key, &value))
        if (new_object == NULL || !json_object_has_member (new_object, key))
          g_ptr_array_add (keys, (gpointer) key);
    }

  for (guint i = 0; i < keys->len; i++)
    {
      const char *k = g_ptr_array_index (keys, i);
      JsonNode *a = old_object ? json_object_get_member (old_object, k) : NULL;
      JsonNode *b = new_object ? json_object_get_member (new_object, k) : NULL;
      g_autofree char *path = prefix ? g_strconcat (prefix, ".", k, NULL) : g_strdup (k);

      if (skip && g_strv_contains (skip, k))
        continue;
      if (values_equal (a, b))
        continue;
      if (gem_id == NULL)
        add_change (changes, SLUICE_PIPELINE_CHANGE_PIPELINE_CHANGED, NULL, path, a, b);
      else if (prefix == NULL && g_str_equal (k, "position"))
        add_change (changes, SLUICE_PIPELINE_CHANGE_GEM_MOVED, gem_id, path, a, b);
      else if (prefix == NULL && g_str_equal (k, "label"))
        add_change (changes, SLUICE_PIPELINE_CHANGE_GEM_RELABELLED, gem_id, path, a, b);
      else if (a && b && JSON_NODE_HOLDS_OBJECT (a) && JSON_NODE_HOLDS_OBJECT (b))
        diff_objects (changes, gem_id, path, json_node_get_object (a), json_node_get_object (b), NULL);
      else if (g_str_has_prefix (path, "config."))
        add_change (changes, SLUICE_PIPELINE_CHANGE_CONFIG_CHANGED, gem_id, path, a, b);
      else
        add_change (changes, SLUICE_PIPELINE_CHANGE_GEM_CHANGED, gem_id, path, a, b);
    }
}

GPtrArray *
sluice_pipeline_diff (const char  *old_file,
                      GBytes      *old_bytes,
                      const char  *new_file,
                      GBytes      *new_bytes,
                      GError     **error)
{
  static const char * const top_skip[] = { "gems", "edges", NULL };
  g_autoptr(SluicePipelineTree) a = NULL;
  g_autoptr(SluicePipelineTree) b = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_pipeline_change_free);

  if (!(a = _sluice_pipeline_tree_new (old_file ? old_file : "(old)", old_bytes, error)))
    return NULL;
  if (!(b = _sluice_pipeline_tree_new (new_file ? new_file : "(new)", new_bytes, error)))
    return NULL;

  diff_objects (changes, NULL, NULL, json_node_get_object (a->root), json_node_get_object (b->root), top_skip);

  for (guint i = 0; i < b->gem_ids->len; i++)
    {
      const char *id = g_ptr_array_index (b->gem_ids, i);
      JsonObject *old_gem = g_hash_table_lookup (a->gems, id);
      JsonObject *new_gem = g_hash_table_lookup (b->gems, id);

      if (old_gem == NULL)
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), new_gem);
          add_change (changes, SLUICE_PIPELINE_CHANGE_GEM_ADDED, id, NULL, NULL, node);
        }
      else
        diff_objects (changes, id, NULL, old_gem, new_gem, NULL);
    }
  for (guint i = 0; i < a->gem_ids->len; i++)
    {
      const char *id = g_ptr_array_index (a->gem_ids, i);

      if (!g_hash_table_contains (b->gems, id))
        {
          g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), g_hash_table_lookup (a->gems, id));
          add_change (changes, SLUICE_PIPELINE_CHANGE_GEM_REMOVED, id, NULL, node, NULL);
        }
    }

  for (guint i = 0; i < b->edges->len; i++)
    if (!g_hash_table_contains (a->edge_set, g_ptr_array_index (b->edges, i)))
      {
        add_change (changes, SLUICE_PIPELINE_CHANGE_EDGE_ADDED, NULL, NULL, NULL, NULL);
        ((SluicePipelineChange *) g_ptr_array_index (changes, changes->len - 1))->edge = g_strdup (g_ptr_array_index (b->edges, i));
      }
  for (guint i = 0; i < a->edges->len; i++)
    if (!g_hash_table_contains (b->edge_set, g_ptr_array_index (a->edges, i)))
      {
        add_change (changes, SLUICE_PIPELINE_CHANGE_EDGE_REMOVED, NULL, NULL, NULL, NULL);
        ((SluicePipelineChange *) g_ptr_array_index (changes, changes->len - 1))->edge = g_strdup (g_ptr_array_index (a->edges, i));
      }

  return g_steal_pointer (&changes);
}
