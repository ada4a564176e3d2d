/* Picking ours or theirs for each conflict a merge left in a pipeline. */
#define G_LOG_DOMAIN "sluice-pipeline-resolve"

#include "config.h"

#include <string.h>

#include "sluice-json-writer.h"
#include "sluice-model-error.h"
#include "sluice-pipeline.h"
#include "sluice-pipeline-merge.h"
#include "sluice-pipeline-resolve.h"

#define CONFLICTS_KEY "merge_conflicts"

static JsonNode *
parse_root (const char  *file,
            GBytes      *bytes,
            JsonParser  *parser,
            GError     **error)
{
  g_autoptr(GError) local = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &local))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE, "%s: %s", file, local->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE, "%s: not a JSON object", file);
      return NULL;
    }
  return root;
}

static JsonNode *
member_copy (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node && !JSON_NODE_HOLDS_NULL (node) ? json_node_copy (node) : NULL;
}

GPtrArray *
sluice_pipeline_read_conflicts (const char  *file,
                                GBytes      *bytes,
                                GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_pipeline_conflict_free);
  JsonNode *root, *list;

  g_return_val_if_fail (file != NULL && bytes != NULL, NULL);

  if (!(root = parse_root (file, bytes, parser, error)))
    return NULL;
  list = json_object_get_member (json_node_get_object (root), CONFLICTS_KEY);
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return g_steal_pointer (&conflicts);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (list), i);
      JsonObject *o;
      SluicePipelineConflict *c;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                       "%s: merge_conflicts[%u] is not an object", file, i);
          return NULL;
        }
      o = json_node_get_object (item);
      c = g_new0 (SluicePipelineConflict, 1);
      c->gem_id = json_object_has_member (o, "gem") && !json_object_get_null_member (o, "gem")
                  ? g_strdup (json_object_get_string_member (o, "gem")) : NULL;
      c->path = g_strdup (json_object_has_member (o, "path") ? json_object_get_string_member (o, "path") : "");
      c->base = member_copy (o, "base");
      c->ours = member_copy (o, "ours");
      c->theirs = member_copy (o, "theirs");
      g_ptr_array_add (conflicts, c);
    }
  return g_steal_pointer (&conflicts);
}

static JsonObject *
find_by (JsonArray  *array,
         const char *key,
         const char *value,
         guint      *index)
{
  for (guint i = 0; array && i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *o = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (o && json_object_has_member (o, key)
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, key))
          && g_strcmp0 (json_object_get_string_member (o, key), value) == 0)
        {
          *index = i;
          return o;
        }
    }
  return NULL;
}

/* Sets (or, @value NULL, removes) the member at the dotted @path. */
static void
set_path (JsonObject *object,
          const char *path,
          JsonNode   *value)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      JsonNode *next = json_object_get_member (object, parts[i]);

      if (next == NULL || !JSON_NODE_HOLDS_OBJECT (next))
        {
          if (value == NULL)
            return;
          json_object_set_object_member (object, parts[i], json_object_new ());
          next = json_object_get_member (object, parts[i]);
        }
      object = json_node_get_object (next);
    }
  if (value)
    json_object_set_member (object, parts[n - 1], json_node_copy (value));
  else
    json_object_remove_member (object, parts[n - 1]);
}

static gboolean
take_theirs (const char                   *file,
             JsonObject                   *root,
             const SluicePipelineConflict *c,
             GError                      **error)
{
  JsonArray *gems = json_object_has_member (root, "gems") ? json_object_get_array_member (root, "gems") : NULL;
  JsonArray *edges = json_object_has_member (root, "edges") ? json_object_get_array_member (root, "edges") : NULL;
  guint index;
  JsonObject *gem;

  if (c->gem_id == NULL && g_str_has_prefix (c->path, "edges:"))
    {
      const char *target = c->path + strlen ("edges:");

      if (edges == NULL)
        json_object_set_array_member (root, "edges", (edges = json_array_new ()));
      if (find_by (edges, "to", target, &index))
        json_array_remove_element (edges, index);
      if (c->theirs)
        json_array_add_element (edges, json_node_copy (c->theirs));
      return TRUE;
    }
  if (c->gem_id == NULL)
    {
      set_path (root, c->path, c->theirs);
      return TRUE;
    }
  gem = find_by (gems, "id", c->gem_id, &index);
  if (*c->path == '\0')
    {
      /* The whole gem: theirs removed it, or changed what ours removed. */
      if (gem)
        json_array_remove_element (gems, index);
      if (c->theirs)
        {
          if (gems == NULL)
            json_object_set_array_member (root, "gems", (gems = json_array_new ()));
          json_array_add_element (gems, json_node_copy (c->theirs));
        }
      else if (edges)
        for (int i = (int) json_array_get_length (edges) - 1; i >= 0; i--)
          {
            JsonObject *e = json_array_get_object_element (edges, i);
            g_autofree char *prefix = g_strconcat (c->gem_id, ".", NULL);

            if (g_str_has_prefix (json_object_get_string_member_with_default (e, "from", ""), prefix)
                || g_str_has_prefix (json_object_get_string_member_with_default (e, "to", ""), prefix))
              json_array_remove_element (edges, i);
          }
      return TRUE;
    }
  if (gem == NULL)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                   "%s: the conflict on gem “%s” names a gem the file does not have", file, c->gem_id);
      return FALSE;
    }
  set_path (gem, c->path, c->theirs);
  return TRUE;
}

GBytes *
sluice_pipeline_resolve_conflicts (const char      *file,
                                   GBytes          *bytes,
                                   const gboolean  *choices,
                                   guint            n_choices,
                                   GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(SluicePipeline) pipeline = NULL;
  JsonNode *root;

  g_return_val_if_fail (file != NULL && bytes != NULL, NULL);

  if (!(conflicts = sluice_pipeline_read_conflicts (file, bytes, error)))
    return NULL;
  if (n_choices != conflicts->len)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_FAILED,
                   "%s: the file has %u merge conflicts, and %u were resolved", file, conflicts->len, n_choices);
      return NULL;
    }
  if (!(root = parse_root (file, bytes, parser, error)))
    return NULL;
  for (guint i = 0; i < conflicts->len; i++)
    if (choices[i] && !take_theirs (file, json_node_get_object (root), g_ptr_array_index (conflicts, i), error))
      return NULL;
  json_object_remove_member (json_node_get_object (root), CONFLICTS_KEY);

  /* Through the loader and its serializer: a valid file, in canonical form. */
  written = sluice_json_write (root, NULL);
  diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  pipeline = sluice_pipeline_load_from_bytes ("pipeline", file, written, diagnostics, error);
  if (pipeline == NULL)
    return NULL;
  return sluice_pipeline_to_bytes (pipeline);
}
