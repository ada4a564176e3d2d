#define G_LOG_DOMAIN "sluice-fabric-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sluice-atomic-file.h"
#include "sluice-engine-error.h"
#include "sluice-fabric-store.h"
#include "sluice-json-doc.h"
#include "sluice-json-writer.h"

#define FABRICS_FORMAT_VERSION 1

struct _SluiceFabricStore
{
  GObject    parent_instance;
  char      *path;        /* owned */
  GPtrArray *fabrics;     /* owned (SluiceFabric): Local first */
  GError    *load_error;  /* owned, nullable */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceFabricStore, sluice_fabric_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOAD_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- GListModel ---- */

static GType
get_item_type (GListModel *model)
{
  return SLUICE_TYPE_FABRIC;
}

static guint
get_n_items (GListModel *model)
{
  return SLUICE_FABRIC_STORE (model)->fabrics->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  SluiceFabricStore *self = SLUICE_FABRIC_STORE (model);

  if (position >= self->fabrics->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->fabrics, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- reading ---- */

typedef struct
{
  const char    *path;
  SluiceJsonDoc *doc;
} Reader;

static gboolean
fail_at (Reader      *r,
         JsonNode    *node,
         GError     **error,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (Reader      *r,
         JsonNode    *node,
         GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  guint line = 1, column = 1;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  sluice_json_doc_get_position (r->doc, node, &line, &column);
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s:%u:%u: %s", r->path, line, column, message);
  return FALSE;
}

static gboolean
string_member (Reader      *r,
               JsonObject  *object,
               JsonNode    *at,
               const char  *key,
               const char **out,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL)
    return fail_at (r, at, error, _("“%s” is missing"), key);
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return fail_at (r, node, error, _("“%s” must be a string"), key);
  *out = json_node_get_string (node);
  return TRUE;
}

static const SluiceFabricField *
find_field (SluiceFabricKind  kind,
            const char       *key)
{
  guint n;
  const SluiceFabricField *fields = sluice_fabric_kind_get_fields (kind, &n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (fields[i].key, key))
      return &fields[i];
  return NULL;
}

static SluiceFabric *
read_fabric (Reader     *r,
             JsonNode   *node,
             GError    **error)
{
  JsonObject *object;
  const char *id, *name, *kind_name;
  SluiceFabricKind kind;
  g_autoptr(SluiceFabric) fabric = NULL;
  g_autoptr(GList) members = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(GError) check_error = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_at (r, node, error, _("a fabric must be an object")), NULL;
  object = json_node_get_object (node);
  if (!string_member (r, object, node, "id", &id, error) ||
      !string_member (r, object, node, "name", &name, error) ||
      !string_member (r, object, node, "kind", &kind_name, error))
    return NULL;
  if (*id == '\0')
    return fail_at (r, json_object_get_member (object, "id"), error, _("“id” must not be empty")), NULL;
  if (!sluice_fabric_kind_from_string (kind_name, &kind))
    return fail_at (r, json_object_get_member (object, "kind"), error,
                    _("unknown fabric kind “%s” (one of databricks, databricks-sql, livy, snowflake)"), kind_name), NULL;
  if (kind == SLUICE_FABRIC_LOCAL)
    return fail_at (r, json_object_get_member (object, "kind"), error,
                    _("the Local fabric is built in and is not listed here")), NULL;

  fabric = sluice_fabric_new (kind, name);
  sluice_fabric_set_id (fabric, id);
  members = json_object_get_members (object);
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *value = json_object_get_member (object, key);
      const SluiceFabricField *field;

      if (g_str_equal (key, "id") || g_str_equal (key, "name") || g_str_equal (key, "kind"))
        continue;
      if (g_str_equal (key, "former_names"))
        {
          g_autoptr(GStrvBuilder) former = g_strv_builder_new ();
          g_auto(GStrv) names = NULL;
          JsonArray *array = JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

          for (guint i = 0; array && i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);

              if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
                return fail_at (r, element, error, _("“former_names” must hold names (strings)")), NULL;
              g_strv_builder_add (former, json_node_get_string (element));
            }
          if (array == NULL)
            return fail_at (r, value, error, _("“former_names” must be an array of names")), NULL;
          names = g_strv_builder_end (former);
          sluice_fabric_set_former_names (fabric, (const char * const *) names);
          continue;
        }
      field = find_field (kind, key);
      if (field == NULL)
        {
          /* A newer Sluice's setting: kept and written back, not lost. */
          if (extra == NULL)
            extra = json_object_new ();
          json_object_set_member (extra, key, sluice_json_node_deep_copy (value));
          continue;
        }
      if (field->type == SLUICE_FABRIC_FIELD_SECRET)
        return fail_at (r, value, error, _("“%s” is a secret: it belongs in the keyring, not in this file "
                                           "(remove it, then enter it in Sluice’s fabric manager)"), key), NULL;
      if (field->type == SLUICE_FABRIC_FIELD_INT)
        {
          g_autofree char *text = NULL;
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
            return fail_at (r, value, error, _("“%s” must be a whole number"), key), NULL;
          text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
          sluice_fabric_set_setting (fabric, key, text);
        }
      else
        {
          if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
            return fail_at (r, value, error, _("“%s” must be a string"), key), NULL;
          sluice_fabric_set_setting (fabric, key, json_node_get_string (value));
        }
    }
  /* A field left out keeps its default (a hand-written Livy fabric has
   * no authentication unless it says so). */
  sluice_fabric_set_extra (fabric, extra);
  if (!sluice_fabric_check (fabric, &check_error))
    return fail_at (r, node, error, _("fabric “%s”: %s"), name, check_error->message), NULL;
  return g_steal_pointer (&fabric);
}

/* (transfer full) (element-type SluiceFabric): the file's fabrics, or NULL
 * with an error naming PATH:LINE:COL. A missing file has none. */
static GPtrArray *
read_file (const char    *path,
           GCancellable  *cancellable,
           GError       **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) fabrics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SluiceJsonDoc) doc = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Reader r = { path, NULL };
  JsonNode *root, *version, *list;
  JsonObject *object;
  guint line = 0, column = 0;

  bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
  if (bytes == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&fabrics);
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", path, local_error->message);
      return NULL;
    }

  doc = sluice_json_doc_parse (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &line, &column, &local_error);
  if (doc == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s:%u:%u: %s", path, line, column,
                   local_error->message);
      return NULL;
    }
  r.doc = doc;
  root = sluice_json_doc_get_root (doc);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return fail_at (&r, root, error, _("the file must hold an object")), NULL;
  object = json_node_get_object (root);
  version = json_object_get_member (object, "format_version");
  if (version == NULL)
    return fail_at (&r, root, error, _("“format_version” is missing")), NULL;
  if (!JSON_NODE_HOLDS_VALUE (version) || json_node_get_value_type (version) != G_TYPE_INT64)
    return fail_at (&r, version, error, _("“format_version” must be a whole number")), NULL;
  if (json_node_get_int (version) > FABRICS_FORMAT_VERSION)
    return fail_at (&r, version, error, _("written by a newer Sluice (format_version %" G_GINT64_FORMAT
                                          "; this one reads %d): it is left as it is"),
                    json_node_get_int (version), FABRICS_FORMAT_VERSION), NULL;
  if (json_node_get_int (version) < 1)
    return fail_at (&r, version, error, _("“format_version” must be 1")), NULL;

  list = json_object_get_member (object, "fabrics");
  if (list == NULL)
    return g_steal_pointer (&fabrics);
  if (!JSON_NODE_HOLDS_ARRAY (list))
    return fail_at (&r, list, error, _("“fabrics” must be an array")), NULL;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *node = json_array_get_element (json_node_get_array (list), i);
      SluiceFabric *fabric = read_fabric (&r, node, error);
      g_autofree char *folded = NULL;

      if (fabric == NULL)
        return NULL;
      g_ptr_array_add (fabrics, fabric);
      if (!g_hash_table_add (ids, (gpointer) sluice_fabric_get_id (fabric)))
        return fail_at (&r, json_object_get_member (json_node_get_object (node), "id"), error,
                        _("another fabric has the id “%s”"), sluice_fabric_get_id (fabric)), NULL;
      folded = g_utf8_casefold (sluice_fabric_get_name (fabric), -1);
      if (g_str_equal (folded, "local") || !g_hash_table_add (names, g_steal_pointer (&folded)))
        return fail_at (&r, json_object_get_member (json_node_get_object (node), "name"), error,
                        _("another fabric is named “%s”"), sluice_fabric_get_name (fabric)), NULL;
    }
  return g_steal_pointer (&fabrics);
}

static void
set_load_error (SluiceFabricStore *self,
                const GError      *error)
{
  if (self->load_error == NULL && error == NULL)
    return;
  g_clear_error (&self->load_error);
  if (error)
    self->load_error = g_error_copy (error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_ERROR]);
}

/* Replaces everything but Local with @fabrics (nullable: none). */
static void
apply (SluiceFabricStore *self,
       GPtrArray         *fabrics)
{
  guint removed = self->fabrics->len - 1;
  guint added = fabrics ? fabrics->len : 0;

  g_ptr_array_remove_range (self->fabrics, 1, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (self->fabrics, g_object_ref (g_ptr_array_index (fabrics, i)));
  if (removed || added)
    g_list_model_items_changed (G_LIST_MODEL (self), 1, removed, added);
}

gboolean
sluice_fabric_store_load (SluiceFabricStore  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) fabrics = NULL;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), FALSE);

  fabrics = read_file (self->path, cancellable, &local_error);
  apply (self, fabrics);
  set_load_error (self, local_error);
  if (fabrics == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static void
load_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  GPtrArray *fabrics = read_file (data, cancellable, &error);

  if (fabrics)
    g_task_return_pointer (task, fabrics, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
sluice_fabric_store_load_async (SluiceFabricStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SLUICE_IS_FABRIC_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_store_load_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
sluice_fabric_store_load_finish (SluiceFabricStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) fabrics = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  fabrics = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  apply (self, fabrics);
  set_load_error (self, local_error);
  if (fabrics == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* ---- writing ---- */

GBytes *
sluice_fabric_store_to_bytes (SluiceFabricStore *self)
{
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonArray *list = json_array_new ();

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);

  json_object_set_int_member (object, "format_version", FABRICS_FORMAT_VERSION);
  for (guint i = 1; i < self->fabrics->len; i++)
    {
      SluiceFabric *fabric = g_ptr_array_index (self->fabrics, i);
      JsonObject *f = json_object_new ();
      guint n;
      const SluiceFabricField *fields = sluice_fabric_kind_get_fields (sluice_fabric_get_kind (fabric), &n);

      json_object_set_string_member (f, "id", sluice_fabric_get_id (fabric));
      json_object_set_string_member (f, "name", sluice_fabric_get_name (fabric));
      json_object_set_string_member (f, "kind", sluice_fabric_kind_to_string (sluice_fabric_get_kind (fabric)));
      for (guint k = 0; k < n; k++)
        {
          const char *value = sluice_fabric_get_setting (fabric, fields[k].key);

          /* Never a secret, whatever the settings hold. */
          if (value == NULL || fields[k].type == SLUICE_FABRIC_FIELD_SECRET)
            continue;
          if (fields[k].type == SLUICE_FABRIC_FIELD_INT)
            json_object_set_int_member (f, fields[k].key, g_ascii_strtoll (value, NULL, 10));
          else
            json_object_set_string_member (f, fields[k].key, value);
        }
      if (sluice_fabric_get_former_names (fabric)[0])
        {
          JsonArray *former = json_array_new ();
          const char * const *names = sluice_fabric_get_former_names (fabric);

          for (guint k = 0; names[k]; k++)
            json_array_add_string_element (former, names[k]);
          json_object_set_array_member (f, "former_names", former);
        }
      sluice_json_object_append (f, sluice_fabric_get_extra (fabric));
      json_array_add_object_element (list, f);
    }
  json_object_set_array_member (object, "fabrics", list);
  json_node_take_object (root, object);
  return sluice_json_write (root, NULL);
}

static gboolean
refuse_if_broken (SluiceFabricStore  *self,
                  GError            **error)
{
  if (self->load_error == NULL)
    return FALSE;
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
               _("%s could not be read, so it is not overwritten; fix it, or set it aside to start a new one"),
               self->path);
  return TRUE;
}

static gboolean
write_file (const char    *path,
            GBytes        *bytes,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }
  return sluice_atomic_write (path, bytes, cancellable, error);
}

gboolean
sluice_fabric_store_save (SluiceFabricStore  *self,
                          GCancellable       *cancellable,
                          GError            **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), FALSE);

  if (refuse_if_broken (self, error))
    return FALSE;
  bytes = sluice_fabric_store_to_bytes (self);
  return write_file (self->path, bytes, cancellable, error);
}

typedef struct
{
  char   *path;
  GBytes *bytes;
} SaveData;

static void
save_data_free (SaveData *d)
{
  g_free (d->path);
  g_bytes_unref (d->bytes);
  g_free (d);
}

static void
save_thread (GTask        *task,
             gpointer      source,
             gpointer      data,
             GCancellable *cancellable)
{
  SaveData *d = data;
  GError *error = NULL;

  if (write_file (d->path, d->bytes, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sluice_fabric_store_save_async (SluiceFabricStore   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SaveData *d;

  g_return_if_fail (SLUICE_IS_FABRIC_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_store_save_async);
  if (refuse_if_broken (self, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* Serialised here, written there: the worker never sees the fabrics. */
  d = g_new0 (SaveData, 1);
  d->path = g_strdup (self->path);
  d->bytes = sluice_fabric_store_to_bytes (self);
  g_task_set_task_data (task, d, (GDestroyNotify) save_data_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
sluice_fabric_store_save_finish (SluiceFabricStore  *self,
                                 GAsyncResult       *result,
                                 GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
sluice_fabric_store_set_aside (SluiceFabricStore  *self,
                               GError            **error)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);

  target = g_strconcat (self->path, ".broken", NULL);
  for (int i = 2; g_file_test (target, G_FILE_TEST_EXISTS); i++)
    {
      g_free (target);
      target = g_strdup_printf ("%s.broken-%d", self->path, i);
    }
  if (g_file_test (self->path, G_FILE_TEST_EXISTS) && g_rename (self->path, target) != 0)
    {
      int saved = errno;
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", self->path, g_strerror (saved));
      return NULL;
    }
  set_load_error (self, NULL);
  return g_steal_pointer (&target);
}

/* ---- lookup and edits ---- */

SluiceFabric *
sluice_fabric_store_lookup (SluiceFabricStore *self,
                            const char        *id)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);

  for (guint i = 0; id && i < self->fabrics->len; i++)
    if (g_str_equal (sluice_fabric_get_id (g_ptr_array_index (self->fabrics, i)), id))
      return g_ptr_array_index (self->fabrics, i);
  return NULL;
}

SluiceFabric *
sluice_fabric_store_lookup_by_name (SluiceFabricStore *self,
                                    const char        *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);

  if (name == NULL)
    return NULL;
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; i < self->fabrics->len; i++)
    {
      SluiceFabric *fabric = g_ptr_array_index (self->fabrics, i);
      g_autofree char *other = g_utf8_casefold (sluice_fabric_get_name (fabric), -1);

      /* "local" is what jobs and settings call the built-in one. */
      if (g_str_equal (folded, other) || (i == 0 && g_str_equal (folded, "local")))
        return fabric;
    }
  return NULL;
}

SluiceFabric *
sluice_fabric_store_lookup_by_former_name (SluiceFabricStore *self,
                                           const char        *name)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);

  for (guint i = 1; name && i < self->fabrics->len; i++)
    if (sluice_fabric_was_named (g_ptr_array_index (self->fabrics, i), name))
      return g_ptr_array_index (self->fabrics, i);
  return NULL;
}

gboolean
sluice_fabric_store_check_name (SluiceFabricStore  *self,
                                SluiceFabric       *fabric,
                                const char         *name,
                                GError            **error)
{
  g_autofree char *stripped = g_strstrip (g_strdup (name ? name : ""));
  SluiceFabric *other;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), FALSE);

  if (*stripped == '\0')
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("Name: is required"));
      return FALSE;
    }
  other = sluice_fabric_store_lookup_by_name (self, stripped);
  if (other && (fabric == NULL || g_strcmp0 (sluice_fabric_get_id (other), sluice_fabric_get_id (fabric)) != 0))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("Name: another fabric is called “%s”"), sluice_fabric_get_name (other));
      return FALSE;
    }
  return TRUE;
}

void
sluice_fabric_store_insert (SluiceFabricStore *self,
                            int                position,
                            SluiceFabric      *fabric)
{
  guint at;

  g_return_if_fail (SLUICE_IS_FABRIC_STORE (self));
  g_return_if_fail (SLUICE_IS_FABRIC (fabric));
  g_return_if_fail (!sluice_fabric_is_local (fabric));
  g_return_if_fail (sluice_fabric_store_lookup (self, sluice_fabric_get_id (fabric)) == NULL);

  at = position < 1 || (guint) position > self->fabrics->len ? self->fabrics->len : (guint) position;
  g_ptr_array_insert (self->fabrics, at, g_object_ref (fabric));
  g_list_model_items_changed (G_LIST_MODEL (self), at, 0, 1);
}

guint
sluice_fabric_store_remove (SluiceFabricStore *self,
                            SluiceFabric      *fabric)
{
  guint at;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), 0);
  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), 0);
  g_return_val_if_fail (!sluice_fabric_is_local (fabric), 0);

  if (!g_ptr_array_find (self->fabrics, fabric, &at))
    g_return_val_if_reached (0);
  g_ptr_array_remove_index (self->fabrics, at);
  g_list_model_items_changed (G_LIST_MODEL (self), at, 1, 0);
  return at;
}

/* ---- GObject ---- */

static void
sluice_fabric_store_finalize (GObject *object)
{
  SluiceFabricStore *self = SLUICE_FABRIC_STORE (object);

  g_free (self->path);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (sluice_fabric_store_parent_class)->finalize (object);
}

static void
sluice_fabric_store_dispose (GObject *object)
{
  SluiceFabricStore *self = SLUICE_FABRIC_STORE (object);

  g_clear_pointer (&self->fabrics, g_ptr_array_unref);

  G_OBJECT_CLASS (sluice_fabric_store_parent_class)->dispose (object);
}

static void
sluice_fabric_store_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SluiceFabricStore *self = SLUICE_FABRIC_STORE (object);

  switch (prop_id)
    {
    case PROP_LOAD_ERROR:
      g_value_set_boxed (value, self->load_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_fabric_store_class_init (SluiceFabricStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_fabric_store_dispose;
  object_class->finalize = sluice_fabric_store_finalize;
  object_class->get_property = sluice_fabric_store_get_property;

  properties[PROP_LOAD_ERROR] =
    g_param_spec_boxed ("load-error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_fabric_store_init (SluiceFabricStore *self)
{
  self->fabrics = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->fabrics, sluice_fabric_new_local ());
}

SluiceFabricStore *
sluice_fabric_store_new (const char *path)
{
  SluiceFabricStore *self = g_object_new (SLUICE_TYPE_FABRIC_STORE, NULL);

  self->path = path ? g_strdup (path)
                    : g_build_filename (g_get_user_config_dir (), "sluice", "fabrics.json", NULL);
  return self;
}

const char *
sluice_fabric_store_get_path (SluiceFabricStore *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);
  return self->path;
}

const GError *
sluice_fabric_store_get_load_error (SluiceFabricStore *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);
  return self->load_error;
}

SluiceFabric *
sluice_fabric_store_get_local (SluiceFabricStore *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (self), NULL);
  return g_ptr_array_index (self->fabrics, 0);
}
