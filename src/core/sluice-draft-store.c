#define G_LOG_DOMAIN "sluice-draft-store"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "sluice-atomic-file.h"
#include "sluice-draft-store.h"
#include "sluice-model-error.h"
#include "sluice-project.h"

#define DRAFT_FORMAT 1

struct _SluiceDraftStore
{
  GObject  parent_instance;
  GFile   *directory;  /* owned: the project's folder */
  char    *root;       /* owned: where every project's drafts live */
  char    *folder;     /* owned: root/<sha256 of the project path> */
};

G_DEFINE_FINAL_TYPE (SluiceDraftStore, sluice_draft_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_ROOT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
draft_path (SluiceDraftStore *self,
            const char       *pipeline_name)
{
  g_autofree char *file = g_strconcat (pipeline_name, ".json", NULL);
  return g_build_filename (self->folder, file, NULL);
}

static gboolean
check_name (const char  *pipeline_name,
            GError     **error)
{
  if (sluice_project_name_is_valid (pipeline_name))
    return TRUE;
  g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
               _("“%s” is not a valid pipeline name"), pipeline_name);
  return FALSE;
}

static void
sluice_draft_store_constructed (GObject *object)
{
  SluiceDraftStore *self = SLUICE_DRAFT_STORE (object);
  g_autofree char *path = NULL;
  g_autofree char *digest = NULL;

  G_OBJECT_CLASS (sluice_draft_store_parent_class)->constructed (object);

  g_assert (self->directory != NULL);
  if (self->root == NULL)
    self->root = g_build_filename (g_get_user_state_dir (), "sluice", "drafts", NULL);
  path = g_file_get_path (self->directory);
  if (path == NULL)
    path = g_file_get_uri (self->directory);
  digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
  self->folder = g_build_filename (self->root, digest, NULL);
}

static void
sluice_draft_store_dispose (GObject *object)
{
  SluiceDraftStore *self = SLUICE_DRAFT_STORE (object);

  g_clear_object (&self->directory);

  G_OBJECT_CLASS (sluice_draft_store_parent_class)->dispose (object);
}

static void
sluice_draft_store_finalize (GObject *object)
{
  SluiceDraftStore *self = SLUICE_DRAFT_STORE (object);

  g_free (self->root);
  g_free (self->folder);

  G_OBJECT_CLASS (sluice_draft_store_parent_class)->finalize (object);
}

static void
sluice_draft_store_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SluiceDraftStore *self = SLUICE_DRAFT_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY: g_value_set_object (value, self->directory); break;
    case PROP_ROOT:      g_value_set_string (value, self->root); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_draft_store_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SluiceDraftStore *self = SLUICE_DRAFT_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY: self->directory = g_value_dup_object (value); break;
    case PROP_ROOT:      self->root = g_value_dup_string (value); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_draft_store_class_init (SluiceDraftStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = sluice_draft_store_constructed;
  object_class->dispose = sluice_draft_store_dispose;
  object_class->finalize = sluice_draft_store_finalize;
  object_class->get_property = sluice_draft_store_get_property;
  object_class->set_property = sluice_draft_store_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ROOT] =
    g_param_spec_string ("root", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_draft_store_init (SluiceDraftStore *self)
{
}

SluiceDraftStore *
sluice_draft_store_new (GFile      *project_directory,
                        const char *root)
{
  g_return_val_if_fail (G_IS_FILE (project_directory), NULL);

  return g_object_new (SLUICE_TYPE_DRAFT_STORE, "directory", project_directory, "root", root, NULL);
}

const char *
sluice_draft_store_get_folder (SluiceDraftStore *self)
{
  g_return_val_if_fail (SLUICE_IS_DRAFT_STORE (self), NULL);
  return self->folder;
}

gboolean
sluice_draft_store_write (SluiceDraftStore  *self,
                          const char        *pipeline_name,
                          const char        *base_checksum,
                          GBytes            *content,
                          GCancellable      *cancellable,
                          GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *dir_path = NULL;
  g_autofree char *project_path = NULL;
  gsize length = 0;
  gsize size;
  const char *data;

  g_return_val_if_fail (SLUICE_IS_DRAFT_STORE (self), FALSE);
  g_return_val_if_fail (content != NULL, FALSE);

  if (!check_name (pipeline_name, error))
    return FALSE;
  data = g_bytes_get_data (content, &size);
  if (!g_utf8_validate_len (data, size, NULL))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("The draft of “%s” is not UTF-8 text"), pipeline_name);
      return FALSE;
    }

  if (g_mkdir_with_parents (self->folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", self->folder, g_strerror (saved));
      return FALSE;
    }

  project_path = g_file_get_path (self->directory);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format_version");
  json_builder_add_int_value (builder, DRAFT_FORMAT);
  json_builder_set_member_name (builder, "project");
  json_builder_add_string_value (builder, project_path ? project_path : "");
  json_builder_set_member_name (builder, "pipeline");
  json_builder_add_string_value (builder, pipeline_name);
  json_builder_set_member_name (builder, "base_sha256");
  if (base_checksum)
    json_builder_add_string_value (builder, base_checksum);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "content");
  {
    g_autofree char *copy = g_strndup (data, size);
    json_builder_add_string_value (builder, copy);
  }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, &length);
  bytes = g_bytes_new_take (g_steal_pointer (&text), length);

  path = draft_path (self, pipeline_name);
  return sluice_atomic_write (path, bytes, cancellable, error);
}

typedef struct
{
  char   *name;
  char   *base_checksum;
  GBytes *content;
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_free (data->name);
  g_free (data->base_checksum);
  g_bytes_unref (data->content);
  g_free (data);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (sluice_draft_store_write (source_object, data->name, data->base_checksum, data->content,
                                cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
sluice_draft_store_write_async (SluiceDraftStore    *self,
                                const char          *pipeline_name,
                                const char          *base_checksum,
                                GBytes              *content,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (SLUICE_IS_DRAFT_STORE (self));
  g_return_if_fail (pipeline_name != NULL);
  g_return_if_fail (content != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_draft_store_write_async);
  data = g_new0 (WriteData, 1);
  data->name = g_strdup (pipeline_name);
  data->base_checksum = g_strdup (base_checksum);
  data->content = g_bytes_ref (content);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
sluice_draft_store_write_finish (SluiceDraftStore  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  g_return_val_if_fail (SLUICE_IS_DRAFT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_draft_store_write_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
sluice_draft_store_list (SluiceDraftStore *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  g_return_val_if_fail (SLUICE_IS_DRAFT_STORE (self), NULL);

  if ((dir = g_dir_open (self->folder, 0, NULL)))
    while ((entry = g_dir_read_name (dir)))
      {
        g_autofree char *name = NULL;

        if (!g_str_has_suffix (entry, ".json"))
          continue;
        name = g_strndup (entry, strlen (entry) - strlen (".json"));
        if (sluice_project_name_is_valid (name))
          g_ptr_array_add (names, g_steal_pointer (&name));
      }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_steal (names, NULL);
}

GBytes *
sluice_draft_store_read (SluiceDraftStore  *self,
                         const char        *pipeline_name,
                         char             **base_checksum,
                         GError           **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gsize length;
  JsonNode *root;
  JsonObject *object;
  JsonNode *content;
  JsonNode *base;

  g_return_val_if_fail (SLUICE_IS_DRAFT_STORE (self), NULL);

  if (base_checksum)
    *base_checksum = NULL;
  if (!check_name (pipeline_name, error))
    return NULL;

  path = draft_path (self, pipeline_name);
  {
    g_autoptr(GFile) file = g_file_new_for_path (path);
    if (!g_file_load_contents (file, NULL, &text, &length, NULL, error))
      return NULL;
  }
  if (!json_parser_load_from_data (parser, text, length, &local_error))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE, "%s: %s", path, local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  object = JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  content = object ? json_object_get_member (object, "content") : NULL;
  base = object ? json_object_get_member (object, "base_sha256") : NULL;
  if (content == NULL || json_node_get_value_type (content) != G_TYPE_STRING ||
      json_object_get_int_member_with_default (object, "format_version", 0) != DRAFT_FORMAT ||
      (base != NULL && !JSON_NODE_HOLDS_NULL (base) && json_node_get_value_type (base) != G_TYPE_STRING))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE,
                   _("%s is not a draft Sluice wrote"), path);
      return NULL;
    }

  if (base_checksum && base && !JSON_NODE_HOLDS_NULL (base))
    *base_checksum = g_strdup (json_node_get_string (base));
  {
    const char *s = json_node_get_string (content);
    return g_bytes_new (s, strlen (s));
  }
}

gboolean
sluice_draft_store_discard (SluiceDraftStore  *self,
                            const char        *pipeline_name,
                            GError           **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (SLUICE_IS_DRAFT_STORE (self), FALSE);

  if (!check_name (pipeline_name, error))
    return FALSE;
  path = draft_path (self, pipeline_name);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  /* The project's folder goes when its last draft does. */
  g_rmdir (self->folder);
  return TRUE;
}
