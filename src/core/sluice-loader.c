#define G_LOG_DOMAIN "sluice-loader"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-diagnostic.h"
#include "sluice-loader.h"
#include "sluice-model-error.h"

struct _SluiceLoader
{
  char          *file;          /* owned */
  SluiceJsonDoc *doc;           /* owned */
  GPtrArray     *diagnostics;   /* owned ref, SluiceDiagnostic */
  GPtrArray     *mine;          /* owned: this file's problems, in order */
};

static void
add (SluiceLoader     *self,
     SluiceDiagnostic *diagnostic)
{
  g_ptr_array_add (self->mine, g_object_ref (diagnostic));
  if (self->diagnostics)
    g_ptr_array_add (self->diagnostics, g_object_ref (diagnostic));
}

SluiceLoader *
sluice_loader_new (const char  *file,
                   GBytes      *bytes,
                   GPtrArray   *diagnostics,
                   GError     **error)
{
  g_autoptr(SluiceJsonDoc) doc = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data;
  gsize len;
  guint line = 0, column = 0;
  SluiceLoader *self;

  g_return_val_if_fail (file != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  doc = sluice_json_doc_parse (data ? data : "", len, &line, &column, &local_error);
  if (doc == NULL)
    {
      g_autoptr(SluiceDiagnostic) d =
        sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, file, line, column, local_error->message);
      g_autofree char *text = sluice_diagnostic_to_string (d);

      if (diagnostics)
        g_ptr_array_add (diagnostics, g_steal_pointer (&d));
      g_set_error_literal (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE, text);
      return NULL;
    }

  self = g_new0 (SluiceLoader, 1);
  self->file = g_strdup (file);
  self->doc = g_steal_pointer (&doc);
  self->diagnostics = diagnostics ? g_ptr_array_ref (diagnostics) : NULL;
  self->mine = g_ptr_array_new_with_free_func (g_object_unref);
  return self;
}

void
sluice_loader_free (SluiceLoader *self)
{
  if (self == NULL)
    return;
  g_free (self->file);
  sluice_json_doc_free (self->doc);
  g_clear_pointer (&self->diagnostics, g_ptr_array_unref);
  g_ptr_array_unref (self->mine);
  g_free (self);
}

SluiceJsonDoc *
sluice_loader_get_doc (SluiceLoader *self)
{
  return self->doc;
}

const char *
sluice_loader_get_file (SluiceLoader *self)
{
  return self->file;
}

guint
sluice_loader_get_n_errors (SluiceLoader *self)
{
  return self->mine->len;
}

void
sluice_loader_error (SluiceLoader *self,
                     JsonNode     *at,
                     const char   *format,
                     ...)
{
  g_autofree char *message = NULL;
  g_autoptr(SluiceDiagnostic) d = NULL;
  guint line = 0, column = 0;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  sluice_json_doc_get_position (self->doc, at, &line, &column);
  d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, self->file, line, column, message);
  add (self, d);
}

const char *
sluice_json_describe_type (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY:  return _("an array");
    case JSON_NODE_NULL:   return _("null");
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:   return _("an integer");
        case G_TYPE_DOUBLE:  return _("a number");
        case G_TYPE_BOOLEAN: return _("a boolean");
        case G_TYPE_STRING:  return _("a string");
        default: break;
        }
      break;
    default:
      break;
    }
  return _("a value");
}

JsonObject *
sluice_loader_root (SluiceLoader *self,
                    GError      **error)
{
  JsonNode *root = sluice_json_doc_get_root (self->doc);
  JsonNode *version;
  gint64 v;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      sluice_loader_error (self, root, _("expected an object at the top of the file, found %s"),
                           sluice_json_describe_type (root));
      sluice_loader_check (self, error);
      return NULL;
    }

  version = json_object_get_member (json_node_get_object (root), "format_version");
  if (version == NULL)
    {
      sluice_loader_error (self, root, _("missing “format_version”"));
    }
  else if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
    {
      sluice_loader_error (self, version, _("“format_version” must be an integer, not %s"),
                           sluice_json_describe_type (version));
    }
  else if ((v = json_node_get_int (version)) > SLUICE_FORMAT_VERSION)
    {
      guint line, column;
      g_autofree char *message =
        g_strdup_printf (_("written by a newer Sluice (format %lld); this Sluice "
                           "reads format %d and will not change the file"), (long long) v, SLUICE_FORMAT_VERSION);
      g_autoptr(SluiceDiagnostic) d = NULL;
      g_autofree char *text = NULL;

      sluice_json_doc_get_position (self->doc, version, &line, &column);
      d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, self->file, line, column, message);
      add (self, d);
      text = sluice_diagnostic_to_string (d);
      g_set_error_literal (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_NEWER_FORMAT, text);
      return NULL;
    }
  else if (v < 1)
    {
      sluice_loader_error (self, version, _("“format_version” must be at least 1"));
    }

  return json_node_get_object (root);
}

static JsonNode *
member (SluiceLoader *self,
        JsonNode     *node,
        const char   *what,
        const char   *key,
        gboolean      required)
{
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  value = json_object_get_member (json_node_get_object (node), key);
  if (value == NULL && required)
    sluice_loader_error (self, node, _("%s: missing “%s”"), what, key);
  return value;
}

static void
wrong_type (SluiceLoader *self,
            JsonNode     *value,
            const char   *what,
            const char   *key,
            const char   *expected)
{
  sluice_loader_error (self, value, _("%s: “%s” must be %s, not %s"), what, key, expected,
                       sluice_json_describe_type (value));
}

const char *
sluice_loader_string (SluiceLoader *self,
                      JsonNode     *node,
                      const char   *what,
                      const char   *key,
                      gboolean      required)
{
  JsonNode *value = member (self, node, what, key, required);

  if (value == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
    {
      wrong_type (self, value, what, key, _("a string"));
      return NULL;
    }
  return json_node_get_string (value);
}

gboolean
sluice_loader_int (SluiceLoader *self,
                   JsonNode     *node,
                   const char   *what,
                   const char   *key,
                   gboolean      required,
                   gint64       *out)
{
  JsonNode *value = member (self, node, what, key, required);

  if (value == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
    {
      wrong_type (self, value, what, key, _("an integer"));
      return FALSE;
    }
  *out = json_node_get_int (value);
  return TRUE;
}

gboolean
sluice_loader_bool (SluiceLoader *self,
                    JsonNode     *node,
                    const char   *what,
                    const char   *key,
                    gboolean      required,
                    gboolean     *out)
{
  JsonNode *value = member (self, node, what, key, required);

  if (value == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
    {
      wrong_type (self, value, what, key, _("true or false"));
      return FALSE;
    }
  *out = json_node_get_boolean (value);
  return TRUE;
}

JsonNode *
sluice_loader_array (SluiceLoader *self,
                     JsonNode     *node,
                     const char   *what,
                     const char   *key,
                     gboolean      required)
{
  JsonNode *value = member (self, node, what, key, required);

  if (value == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (value))
    {
      wrong_type (self, value, what, key, _("an array"));
      return NULL;
    }
  return value;
}

JsonNode *
sluice_loader_object (SluiceLoader *self,
                      JsonNode     *node,
                      const char   *what,
                      const char   *key,
                      gboolean      required)
{
  JsonNode *value = member (self, node, what, key, required);

  if (value == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (value))
    {
      wrong_type (self, value, what, key, _("an object"));
      return NULL;
    }
  return value;
}

GStrv
sluice_loader_strings (SluiceLoader *self,
                       JsonNode     *node,
                       const char   *what,
                       const char   *key,
                       gboolean      required)
{
  JsonNode *value = sluice_loader_array (self, node, what, key, required);
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;
  gboolean ok = TRUE;

  if (value == NULL)
    return NULL;

  array = json_node_get_array (value);
  builder = g_strv_builder_new ();
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
        {
          sluice_loader_error (self, element, _("%s: “%s” must hold strings, not %s"),
                               what, key, sluice_json_describe_type (element));
          ok = FALSE;
          continue;
        }
      g_strv_builder_add (builder, json_node_get_string (element));
    }
  return ok ? g_strv_builder_end (builder) : NULL;
}

JsonObject *
sluice_loader_extra (JsonNode           *node,
                     const char * const *known)
{
  g_autoptr(JsonObject) extra = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  json_object_iter_init_ordered (&iter, json_node_get_object (node));
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      if (g_strv_contains (known, key))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, key, sluice_json_node_deep_copy (value));
    }
  return g_steal_pointer (&extra);
}

gboolean
sluice_loader_check (SluiceLoader *self,
                     GError      **error)
{
  g_autofree char *first = NULL;

  if (self->mine->len == 0)
    return TRUE;

  first = sluice_diagnostic_to_string (g_ptr_array_index (self->mine, 0));
  if (self->mine->len == 1)
    g_set_error_literal (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE, first);
  else
    g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                 g_dngettext (GETTEXT_PACKAGE, "%s (and %u more problem)", "%s (and %u more problems)",
                              self->mine->len - 1),
                 first, self->mine->len - 1);
  return FALSE;
}

gboolean
sluice_str_is_blank (const char *s)
{
  if (s == NULL)
    return TRUE;
  for (; *s; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}
