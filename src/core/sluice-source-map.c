#define G_LOG_DOMAIN "sluice-source-map"

#include "config.h"

#include <string.h>

#include "sluice-source-map.h"

struct _SluiceSourceMap
{
  GHashTable *paths;   /* char* path (owned) → packed line << 32 | column */
};

/* Array elements are named by their identity where they have one, so a
 * path survives insertions before it. */
static char *
element_name (const char *array_member,
              JsonNode   *element,
              guint       index)
{
  if (JSON_NODE_HOLDS_OBJECT (element))
    {
      JsonObject *o = json_node_get_object (element);

      if (g_strcmp0 (array_member, "gems") == 0)
        {
          const char *id = json_object_get_string_member_with_default (o, "id", NULL);
          if (id != NULL && json_node_get_value_type (json_object_get_member (o, "id")) == G_TYPE_STRING)
            return g_strdup (id);
        }
      else if (g_strcmp0 (array_member, "edges") == 0)
        {
          JsonNode *from = json_object_get_member (o, "from");
          JsonNode *to = json_object_get_member (o, "to");
          if (from && to && JSON_NODE_HOLDS_VALUE (from) && JSON_NODE_HOLDS_VALUE (to) &&
              json_node_get_value_type (from) == G_TYPE_STRING &&
              json_node_get_value_type (to) == G_TYPE_STRING)
            return g_strdup_printf ("%s>%s", json_node_get_string (from), json_node_get_string (to));
        }
    }
  return g_strdup_printf ("%u", index);
}

static void
walk (SluiceSourceMap *self,
      GHashTable      *positions,
      JsonNode        *node,
      GString         *path,
      const char      *member)
{
  gpointer pos;
  gsize len = path->len;

  if (g_hash_table_lookup_extended (positions, node, NULL, &pos) &&
      !g_hash_table_contains (self->paths, path->str))
    g_hash_table_insert (self->paths, g_strdup (path->str), pos);

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *value;

      json_object_iter_init_ordered (&iter, json_node_get_object (node));
      while (json_object_iter_next_ordered (&iter, &key, &value))
        {
          if (path->len > 0)
            g_string_append_c (path, '/');
          g_string_append (path, key);
          walk (self, positions, value, path, key);
          g_string_truncate (path, len);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *name = element_name (member, element, i);

          if (path->len > 0)
            g_string_append_c (path, '/');
          /* Gems also by index: two gems may share an id in a broken file. */
          if (g_strcmp0 (member, "gems") == 0)
            {
              gpointer pos;
              gsize before = path->len;

              g_string_append_printf (path, "#%u", i);
              if (g_hash_table_lookup_extended (positions, element, NULL, &pos))
                g_hash_table_insert (self->paths, g_strdup (path->str), pos);
              g_string_truncate (path, before);
            }
          g_string_append (path, name);
          walk (self, positions, element, path, NULL);
          g_string_truncate (path, len);
        }
    }
}

SluiceSourceMap *
sluice_source_map_new (JsonNode   *root,
                       GHashTable *positions)
{
  SluiceSourceMap *self;
  g_autoptr(GString) path = g_string_new (NULL);

  g_return_val_if_fail (root != NULL, NULL);
  g_return_val_if_fail (positions != NULL, NULL);

  self = g_new0 (SluiceSourceMap, 1);
  self->paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  walk (self, positions, root, path, NULL);
  return self;
}

gboolean
sluice_source_map_find (SluiceSourceMap *self,
                        const char      *path,
                        guint            floor,
                        guint           *line,
                        guint           *column)
{
  g_autofree char *p = g_strdup (path);

  if (line)
    *line = 0;
  if (column)
    *column = 0;
  if (self == NULL)
    return FALSE;

  for (;;)
    {
      gpointer pos;
      guint depth = 1;
      char *slash;

      for (const char *c = p; *c; c++)
        depth += (*c == '/');

      if (g_hash_table_lookup_extended (self->paths, p, NULL, &pos))
        {
          guint64 packed = GPOINTER_TO_SIZE (pos);
          if (line)
            *line = (guint) (packed >> 32);
          if (column)
            *column = (guint) (packed & 0xFFFFFFFF);
          return TRUE;
        }
      if (depth <= floor || (slash = strrchr (p, '/')) == NULL)
        return FALSE;
      *slash = '\0';
    }
}

void
sluice_source_map_free (SluiceSourceMap *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->paths, g_hash_table_unref);
  g_free (self);
}
