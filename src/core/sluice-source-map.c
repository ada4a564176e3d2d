#define G_LOG_DOMAIN "sluice-source-map"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sluice-source-map.h"

/* Paths are resolved when asked, by walking the retained JSON tree: building
 * a string for every value of a 2,000-gem file would cost more than parsing
 * it. Only the two arrays addressed by identity are indexed up front. */
struct _SluiceSourceMap
{
  JsonNode   *root;        /* owned ref: keeps the nodes behind @positions alive */
  GHashTable *positions;   /* owned ref: JsonNode* → packed line << 32 | column */
  GHashTable *gems;        /* id (owned) → gem JsonNode (borrowed); first one wins */
  GHashTable *edges;       /* "from>to" (owned) → edge JsonNode (borrowed) */
  GBytes     *pending;     /* owned, nullable: text not parsed yet */
};

#include "sluice-json-doc.h"

static const char *
string_member (JsonObject *o,
               const char *key)
{
  JsonNode *n = json_object_get_member (o, key);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static void
index_array (GHashTable *index,
             JsonNode   *root,
             const char *member,
             gboolean    by_id)
{
  JsonNode *array_node;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return;
  array_node = json_object_get_member (json_node_get_object (root), member);
  if (array_node == NULL || !JSON_NODE_HOLDS_ARRAY (array_node))
    return;

  array = json_node_get_array (array_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonObject *o;
      char *key = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      o = json_node_get_object (element);
      if (by_id)
        {
          const char *id = string_member (o, "id");
          if (id)
            key = g_strdup (id);
        }
      else
        {
          const char *from = string_member (o, "from"), *to = string_member (o, "to");
          if (from && to)
            key = g_strdup_printf ("%s>%s", from, to);
        }
      if (key == NULL || g_hash_table_contains (index, key))
        g_free (key);
      else
        g_hash_table_insert (index, key, element);
    }
}

static void
init (SluiceSourceMap *self,
      JsonNode        *root,
      GHashTable      *positions)
{
  self->root = json_node_ref (root);
  self->positions = g_hash_table_ref (positions);
  self->gems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  index_array (self->gems, root, "gems", TRUE);
  index_array (self->edges, root, "edges", FALSE);
}

SluiceSourceMap *
sluice_source_map_new (JsonNode   *root,
                       GHashTable *positions)
{
  SluiceSourceMap *self;

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (positions != NULL, NULL);

  self = g_new0 (SluiceSourceMap, 1);
  init (self, root, positions);
  return self;
}

SluiceSourceMap *
sluice_source_map_new_for_bytes (GBytes *bytes)
{
  SluiceSourceMap *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_new0 (SluiceSourceMap, 1);
  self->pending = g_bytes_ref (bytes);
  return self;
}

static gboolean
ensure_parsed (SluiceSourceMap *self)
{
  g_autoptr(GBytes) bytes = g_steal_pointer (&self->pending);
  g_autoptr(SluiceJsonDoc) doc = NULL;
  gsize len;
  const char *data;

  if (bytes == NULL)
    return self->root != NULL;
  data = g_bytes_get_data (bytes, &len);
  if (!(doc = sluice_json_doc_parse (data ? data : "", len, NULL, NULL, NULL)))
    return FALSE;
  init (self, sluice_json_doc_get_root (doc), sluice_json_doc_get_positions (doc));
  return TRUE;
}

/* One step down the tree; NULL when @component names nothing. */
static JsonNode *
step (SluiceSourceMap *self,
      JsonNode        *node,
      const char      *parent_key,
      const char      *component)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return json_object_get_member (json_node_get_object (node), component);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      char *end;
      guint64 index;

      if (g_strcmp0 (parent_key, "gems") == 0 && node == json_object_get_member (json_node_get_object (self->root), "gems"))
        {
          if (component[0] == '#')
            {
              index = g_ascii_strtoull (component + 1, &end, 10);
              return *end == '\0' && index < json_array_get_length (array)
                     ? json_array_get_element (array, index) : NULL;
            }
          return g_hash_table_lookup (self->gems, component);
        }
      if (g_strcmp0 (parent_key, "edges") == 0 && node == json_object_get_member (json_node_get_object (self->root), "edges"))
        return g_hash_table_lookup (self->edges, component);

      index = g_ascii_strtoull (component, &end, 10);
      if (end != component && *end == '\0' && index < json_array_get_length (array))
        return json_array_get_element (array, index);
    }
  return NULL;
}

gboolean
sluice_source_map_find (SluiceSourceMap *self,
                        const char      *path,
                        guint            floor,
                        guint           *line,
                        guint           *column)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node;
  const char *parent_key = NULL;
  guint depth = 0;
  gpointer packed;

  if (line)
    *line = 0;
  if (column)
    *column = 0;
  if (self == NULL || path == NULL || !ensure_parsed (self))
    return FALSE;

  /* Edge keys contain no "/", gem ids and keys neither. */
  parts = g_strsplit (path, "/", -1);
  node = self->root;
  for (guint i = 0; parts[i] && *parts[i]; i++)
    {
      JsonNode *next = step (self, node, parent_key, parts[i]);

      if (next == NULL)
        break;
      node = next;
      parent_key = parts[i];
      depth++;
    }

  if (depth < floor && !(depth > 0 && parts[depth] == NULL))
    return FALSE;
  if (!g_hash_table_lookup_extended (self->positions, node, NULL, &packed))
    return FALSE;
  if (line)
    *line = (guint) ((guint64) GPOINTER_TO_SIZE (packed) >> 32);
  if (column)
    *column = (guint) ((guint64) GPOINTER_TO_SIZE (packed) & 0xFFFFFFFF);
  return TRUE;
}

void
sluice_source_map_free (SluiceSourceMap *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_clear_pointer (&self->gems, g_hash_table_unref);
  g_clear_pointer (&self->edges, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_bytes_unref);
  g_free (self);
}
