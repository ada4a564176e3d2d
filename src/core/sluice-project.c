#define G_LOG_DOMAIN "sluice-project"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-atomic-file.h"
#include "sluice-dataset.h"
#include "sluice-diagnostic.h"
#include "sluice-job.h"
#include "sluice-json-doc.h"
#include "sluice-json-writer.h"
#include "sluice-loader.h"
#include "sluice-model-error.h"
#include "sluice-pipeline.h"
#include "sluice-project-private.h"
#include "sluice-resolver.h"

struct _SluiceProject
{
  GObject     parent_instance;
  GFile      *directory;      /* owned */
  char       *name;           /* owned */
  char       *description;    /* owned, nullable */
  GStrv       code_targets;   /* owned */
  JsonObject *extra;          /* owned, nullable: unknown manifest keys */
  GListStore *pipelines;      /* owned, SluicePipeline sorted by name */
  GListStore *datasets;       /* owned, SluiceDataset */
  GListStore *jobs;           /* owned, SluiceJob */
  GPtrArray  *load_problems;  /* owned, SluiceDiagnostic: files that did not load */
  GListStore *problems;       /* owned, SluiceDiagnostic */
  guint       n_errors;
};

G_DEFINE_FINAL_TYPE (SluiceProject, sluice_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_N_ERRORS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const manifest_keys[] = {
  "format_version", "name", "description", "code_targets", NULL
};
static const char * const known_targets[] = { "pyspark", "spark-sql", "snowflake-sql", NULL };

static void
sluice_project_dispose (GObject *object)
{
  SluiceProject *self = SLUICE_PROJECT (object);

  g_clear_object (&self->directory);
  g_clear_object (&self->pipelines);
  g_clear_object (&self->datasets);
  g_clear_object (&self->jobs);
  g_clear_object (&self->problems);
  g_clear_pointer (&self->load_problems, g_ptr_array_unref);

  G_OBJECT_CLASS (sluice_project_parent_class)->dispose (object);
}

static void
sluice_project_finalize (GObject *object)
{
  SluiceProject *self = SLUICE_PROJECT (object);

  g_free (self->name);
  g_free (self->description);
  g_strfreev (self->code_targets);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sluice_project_parent_class)->finalize (object);
}

static void
sluice_project_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SluiceProject *self = SLUICE_PROJECT (object);

  switch (prop_id)
    {
    case PROP_NAME:     g_value_set_string (value, self->name); break;
    case PROP_N_ERRORS: g_value_set_uint (value, self->n_errors); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_project_class_init (SluiceProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_project_dispose;
  object_class->finalize = sluice_project_finalize;
  object_class->get_property = sluice_project_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ERRORS] =
    g_param_spec_uint ("n-errors", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_project_init (SluiceProject *self)
{
  self->pipelines = g_list_store_new (SLUICE_TYPE_PIPELINE);
  self->datasets = g_list_store_new (SLUICE_TYPE_DATASET);
  self->jobs = g_list_store_new (SLUICE_TYPE_JOB);
  self->problems = g_list_store_new (SLUICE_TYPE_DIAGNOSTIC);
  self->load_problems = g_ptr_array_new_with_free_func (g_object_unref);
  self->code_targets = g_strdupv ((char **) known_targets);
}

gboolean
sluice_project_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;
  if (!(g_ascii_islower (*name) || *name == '_'))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}

/* ---- loading ---- */

static gboolean
read_manifest (SluiceProject *self,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(GFile) file = g_file_get_child (self->directory, "sluice.json");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SluiceLoader) loader = NULL;
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  JsonNode *root;
  const char *name;
  GStrv targets;

  if (!(bytes = g_file_load_bytes (file, cancellable, NULL, &local_error)))
    {
      g_autofree char *path = g_file_get_path (self->directory);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_NOT_A_PROJECT,
                     _("%s is not a Sluice project: it has no sluice.json"), path);
      else
        g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_FAILED,
                     "%s/sluice.json: %s", path, local_error->message);
      return FALSE;
    }

  if (!(loader = sluice_loader_new ("sluice.json", bytes, diagnostics, error)))
    return FALSE;
  if (!sluice_loader_root (loader, error))
    return FALSE;
  root = sluice_json_doc_get_root (sluice_loader_get_doc (loader));

  name = sluice_loader_string (loader, root, _("the project"), "name", TRUE);
  self->name = g_strdup (name);
  self->description = g_strdup (sluice_loader_string (loader, root, _("the project"), "description", FALSE));
  if (json_object_has_member (json_node_get_object (root), "code_targets") &&
      (targets = sluice_loader_strings (loader, root, _("the project"), "code_targets", FALSE)))
    {
      JsonArray *array = json_node_get_array (json_object_get_member (json_node_get_object (root), "code_targets"));

      for (guint i = 0; targets[i]; i++)
        if (!g_strv_contains (known_targets, targets[i]))
          sluice_loader_error (loader, json_array_get_element (array, i),
                               _("unknown code target “%s” (known: pyspark, spark-sql, snowflake-sql)"),
                               targets[i]);
      g_strfreev (self->code_targets);
      self->code_targets = targets;
    }

  if (!sluice_loader_check (loader, error))
    return FALSE;
  self->extra = sluice_loader_extra (root, manifest_keys);
  return TRUE;
}

typedef enum { KIND_PIPELINE, KIND_DATASET, KIND_JOB } Kind;

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

static void
load_folder (SluiceProject *self,
             Kind           kind,
             GCancellable  *cancellable)
{
  static const char * const folders[] = { "pipelines", "datasets", "jobs" };
  const char *folder = folders[kind];
  g_autoptr(GFile) dir = g_file_get_child (self->directory, folder);
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GFileInfo *info;

  enumerator = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                          G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (enumerator == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_ptr_array_add (self->load_problems,
                         sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, folder, 0, 0, error->message));
      return;
    }

  while ((info = g_file_enumerator_next_file (enumerator, cancellable, NULL)))
    {
      const char *file_name = g_file_info_get_name (info);

      /* Dot-files are temporary files of an interrupted save, or editors'. */
      if (file_name[0] != '.' && g_str_has_suffix (file_name, ".json") &&
          g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR)
        g_ptr_array_add (names, g_strdup (file_name));
      g_object_unref (info);
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file_name = g_ptr_array_index (names, i);
      g_autofree char *name = g_strndup (file_name, strlen (file_name) - strlen (".json"));
      g_autofree char *relative = g_strdup_printf ("%s/%s", folder, file_name);
      g_autoptr(GFile) file = g_file_get_child (dir, file_name);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) load_error = NULL;

      if (!sluice_project_name_is_valid (name))
        {
          g_autofree char *message =
            g_strdup_printf (_("“%s” is not a valid name: use lower-case letters, digits and "
                               "underscores, starting with a letter"), name);
          g_ptr_array_add (self->load_problems,
                           sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, relative, 0, 0, message));
          continue;
        }

      bytes = g_file_load_bytes (file, cancellable, NULL, &load_error);
      if (bytes == NULL)
        {
          g_ptr_array_add (self->load_problems,
                           sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, relative, 0, 0, load_error->message));
          if (kind == KIND_PIPELINE)
            {
              g_autoptr(SluicePipeline) broken = sluice_pipeline_new_broken (name, relative, load_error);
              g_list_store_append (self->pipelines, broken);
            }
          continue;
        }

      switch (kind)
        {
        case KIND_PIPELINE:
          {
            g_autoptr(SluicePipeline) p =
              sluice_pipeline_load_from_bytes (name, relative, bytes, self->load_problems, &load_error);
            if (p == NULL)
              p = sluice_pipeline_new_broken (name, relative, load_error);
            g_list_store_append (self->pipelines, p);
          }
          break;
        case KIND_DATASET:
          {
            g_autoptr(SluiceDataset) d =
              sluice_dataset_load_from_bytes (name, relative, bytes, self->load_problems, NULL);
            if (d != NULL)
              g_list_store_append (self->datasets, d);
          }
          break;
        case KIND_JOB:
          {
            g_autoptr(SluiceJob) j =
              sluice_job_load_from_bytes (name, relative, bytes, self->load_problems, NULL);
            if (j != NULL)
              g_list_store_append (self->jobs, j);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

SluiceProject *
sluice_project_load (GFile         *directory,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(SluiceProject) self = NULL;

  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  self = g_object_new (SLUICE_TYPE_PROJECT, NULL);
  self->directory = g_object_ref (directory);

  if (!read_manifest (self, cancellable, error))
    return NULL;

  load_folder (self, KIND_DATASET, cancellable);
  load_folder (self, KIND_PIPELINE, cancellable);
  load_folder (self, KIND_JOB, cancellable);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  sluice_project_validate (self);
  return g_steal_pointer (&self);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  SluiceProject *project = sluice_project_load (task_data, cancellable, &error);

  if (project)
    g_task_return_pointer (task, project, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sluice_project_load_async (GFile               *directory,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (directory));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_project_load_async);
  g_task_set_task_data (task, g_file_dup (directory), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

SluiceProject *
sluice_project_load_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_project_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GBytes *
_sluice_project_manifest_to_bytes (SluiceProject *self)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonArray) targets = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  json_object_set_int_member (root, "format_version", SLUICE_FORMAT_VERSION);
  json_object_set_string_member (root, "name", self->name);
  if (self->description)
    json_object_set_string_member (root, "description", self->description);
  for (guint i = 0; self->code_targets[i]; i++)
    json_array_add_string_element (targets, self->code_targets[i]);
  json_object_set_array_member (root, "code_targets", g_steal_pointer (&targets));
  sluice_json_object_append (root, self->extra);
  node = json_node_init_object (json_node_alloc (), root);
  return sluice_json_write (node, NULL);
}

SluiceProject *
sluice_project_create (GFile       *directory,
                       const char  *name,
                       GError     **error)
{
  static const char * const folders[] = { "pipelines", "datasets", "jobs", "code", NULL };
  g_autoptr(SluiceProject) self = NULL;
  g_autoptr(GFile) manifest = NULL;
  g_autoptr(GFile) ignore = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) ignore_bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *manifest_path = NULL;
  g_autofree char *ignore_path = NULL;

  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (sluice_str_is_blank (name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("A project needs a name"));
      return NULL;
    }

  manifest = g_file_get_child (directory, "sluice.json");
  if (g_file_query_exists (manifest, NULL))
    {
      g_autofree char *path = g_file_get_path (directory);
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("%s already holds a Sluice project"), path);
      return NULL;
    }

  if (!g_file_make_directory_with_parents (directory, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  for (guint i = 0; folders[i]; i++)
    {
      g_autoptr(GFile) sub = g_file_get_child (directory, folders[i]);
      g_clear_error (&local_error);
      if (!g_file_make_directory (sub, NULL, &local_error) &&
          !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  self = g_object_new (SLUICE_TYPE_PROJECT, NULL);
  self->directory = g_object_ref (directory);
  self->name = g_strdup (name);

  /* Local run outputs and drafts never belong in git. */
  ignore = g_file_get_child (directory, ".gitignore");
  if (!g_file_query_exists (ignore, NULL))
    {
      ignore_path = g_file_get_path (ignore);
      ignore_bytes = g_bytes_new_static (".sluice/\n", strlen (".sluice/\n"));
      if (!sluice_atomic_write (ignore_path, ignore_bytes, NULL, error))
        return NULL;
    }

  manifest_path = g_file_get_path (manifest);
  bytes = _sluice_project_manifest_to_bytes (self);
  if (!sluice_atomic_write (manifest_path, bytes, NULL, error))
    return NULL;

  sluice_project_validate (self);
  return g_steal_pointer (&self);
}

/* ---- accessors ---- */

GFile *
sluice_project_get_directory (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return self->directory;
}

const char *
sluice_project_get_name (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return self->name;
}

const char *
sluice_project_get_description (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return self->description;
}

const char * const *
sluice_project_get_code_targets (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return (const char * const *) self->code_targets;
}

GListModel *
sluice_project_get_pipelines (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return G_LIST_MODEL (self->pipelines);
}

GListModel *
sluice_project_get_datasets (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return G_LIST_MODEL (self->datasets);
}

GListModel *
sluice_project_get_jobs (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return G_LIST_MODEL (self->jobs);
}

static gpointer
find_named (GListModel  *model,
            const char  *name,
            const char *(*get_name) (gpointer))
{
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (model, i);
      if (g_strcmp0 (get_name (item), name) == 0)
        return item; /* the store keeps it alive */
    }
  return NULL;
}

SluicePipeline *
sluice_project_find_pipeline (SluiceProject *self,
                              const char    *name)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return find_named (G_LIST_MODEL (self->pipelines), name, (gpointer) sluice_pipeline_get_name);
}

SluiceDataset *
sluice_project_find_dataset (SluiceProject *self,
                             const char    *name)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return find_named (G_LIST_MODEL (self->datasets), name, (gpointer) sluice_dataset_get_name);
}

SluiceJob *
sluice_project_find_job (SluiceProject *self,
                         const char    *name)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return find_named (G_LIST_MODEL (self->jobs), name, (gpointer) sluice_job_get_name);
}

GFile *
sluice_project_get_pipeline_file (SluiceProject  *self,
                                  SluicePipeline *pipeline)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);

  return g_file_resolve_relative_path (self->directory, sluice_pipeline_get_file (pipeline));
}

/* ---- problems ---- */

static void
take_all (GPtrArray *into,
          GPtrArray *from)
{
  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (into, g_object_ref (g_ptr_array_index (from, i)));
  g_ptr_array_unref (from);
}

void
sluice_project_validate (SluiceProject *self)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_errors = 0;

  g_return_if_fail (SLUICE_IS_PROJECT (self));

  for (guint i = 0; i < self->load_problems->len; i++)
    g_ptr_array_add (all, g_object_ref (g_ptr_array_index (self->load_problems, i)));

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->datasets)); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (G_LIST_MODEL (self->datasets), i);
      take_all (all, sluice_dataset_validate (d, self->directory));
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->pipelines)); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (G_LIST_MODEL (self->pipelines), i);
      g_autoptr(SluiceResolver) resolver = NULL;

      take_all (all, sluice_pipeline_validate (p, G_LIST_MODEL (self->datasets)));
      /* Types and columns, through every gem, from the datasets' schemas. */
      if (sluice_pipeline_get_load_error (p) == NULL)
        {
          resolver = sluice_resolver_new (p, G_LIST_MODEL (self->datasets));
          take_all (all, sluice_resolver_get_all_diagnostics (resolver));
        }
    }
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->jobs)); i++)
    {
      g_autoptr(SluiceJob) j = g_list_model_get_item (G_LIST_MODEL (self->jobs), i);
      take_all (all, sluice_job_validate (j, G_LIST_MODEL (self->pipelines)));
    }

  g_ptr_array_sort (all, sluice_diagnostic_compare);
  for (guint i = 0; i < all->len; i++)
    if (sluice_diagnostic_get_severity (g_ptr_array_index (all, i)) == SLUICE_SEVERITY_ERROR)
      n_errors++;

  g_list_store_splice (self->problems, 0, g_list_model_get_n_items (G_LIST_MODEL (self->problems)),
                       all->pdata, all->len);
  if (n_errors != self->n_errors)
    {
      self->n_errors = n_errors;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ERRORS]);
    }
}

GListModel *
sluice_project_get_problems (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  return G_LIST_MODEL (self->problems);
}

guint
sluice_project_get_n_errors (SluiceProject *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), 0);
  return self->n_errors;
}

static int
compare_pipelines (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  return g_strcmp0 (sluice_pipeline_get_name ((SluicePipeline *) a),
                    sluice_pipeline_get_name ((SluicePipeline *) b));
}

SluicePipeline *
sluice_project_add_pipeline (SluiceProject  *self,
                             const char     *name,
                             GError        **error)
{
  g_autoptr(SluicePipeline) pipeline = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);

  if (!sluice_project_name_is_valid (name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid pipeline name: use lower-case letters, digits and "
                     "underscores, starting with a letter"), name);
      return NULL;
    }
  if (sluice_project_find_pipeline (self, name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("The project already has a pipeline “%s”"), name);
      return NULL;
    }

  pipeline = sluice_pipeline_new (name);
  file = sluice_project_get_pipeline_file (self, pipeline);
  if (g_file_query_exists (file, NULL))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("%s already exists"), sluice_pipeline_get_file (pipeline));
      return NULL;
    }
  folder = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (folder, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!sluice_pipeline_save (pipeline, file, NULL, error))
    return NULL;

  g_list_store_insert_sorted (self->pipelines, pipeline, compare_pipelines, NULL);
  sluice_project_validate (self);
  return pipeline;
}

/* ---- managing items ---- */

static const char * const item_folders[] = { "pipelines", "datasets", "jobs" };

static GListStore *
store_of (SluiceProject  *self,
          SluiceItemKind  kind)
{
  switch (kind)
    {
    case SLUICE_ITEM_PIPELINE: return self->pipelines;
    case SLUICE_ITEM_DATASET:  return self->datasets;
    case SLUICE_ITEM_JOB:      return self->jobs;
    default: g_return_val_if_reached (NULL);
    }
}

static const char *
item_name (gpointer item)
{
  if (SLUICE_IS_PIPELINE (item))
    return sluice_pipeline_get_name (item);
  if (SLUICE_IS_DATASET (item))
    return sluice_dataset_get_name (item);
  return sluice_job_get_name (item);
}

static int
compare_items (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  return g_strcmp0 (item_name ((gpointer) a), item_name ((gpointer) b));
}

gpointer
sluice_project_find_item (SluiceProject  *self,
                          SluiceItemKind  kind,
                          const char     *name)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  g_return_val_if_fail (kind <= SLUICE_ITEM_JOB, NULL);

  return find_named (G_LIST_MODEL (store_of (self, kind)), name, (gpointer) item_name);
}

static char *
item_relative (SluiceItemKind  kind,
               const char     *name)
{
  return g_strdup_printf ("%s/%s.json", item_folders[kind], name);
}

/* Load problems name files: those of a file that went no longer apply. */
static void
forget_problems_of (SluiceProject *self,
                    const char    *relative)
{
  for (guint i = self->load_problems->len; i > 0; i--)
    if (g_strcmp0 (sluice_diagnostic_get_file (g_ptr_array_index (self->load_problems, i - 1)), relative) == 0)
      g_ptr_array_remove_index (self->load_problems, i - 1);
}

/* An item from its file's bytes, as loading makes it (a pipeline that does
 * not load is listed as broken; a dataset or job is not listed). */
static gpointer
item_from_bytes (SluiceProject  *self,
                 SluiceItemKind  kind,
                 const char     *name,
                 GBytes         *bytes)
{
  g_autofree char *relative = item_relative (kind, name);
  g_autoptr(GError) error = NULL;
  gpointer item = NULL;

  switch (kind)
    {
    case SLUICE_ITEM_PIPELINE:
      item = sluice_pipeline_load_from_bytes (name, relative, bytes, self->load_problems, &error);
      if (item == NULL)
        item = sluice_pipeline_new_broken (name, relative, error);
      break;
    case SLUICE_ITEM_DATASET:
      item = sluice_dataset_load_from_bytes (name, relative, bytes, self->load_problems, NULL);
      break;
    case SLUICE_ITEM_JOB:
      item = sluice_job_load_from_bytes (name, relative, bytes, self->load_problems, NULL);
      break;
    default:
      g_assert_not_reached ();
    }
  return item;
}

static gboolean
check_new_name (SluiceProject  *self,
                SluiceItemKind  kind,
                const char     *new_name,
                GError        **error)
{
  g_autofree char *relative = NULL;
  g_autoptr(GFile) file = NULL;

  if (!sluice_project_name_is_valid (new_name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid name: use lower-case letters, digits and "
                     "underscores, starting with a letter"), new_name);
      return FALSE;
    }
  relative = item_relative (kind, new_name);
  file = g_file_resolve_relative_path (self->directory, relative);
  if (sluice_project_find_item (self, kind, new_name) || g_file_query_exists (file, NULL))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("%s already exists"), relative);
      return FALSE;
    }
  return TRUE;
}

static gpointer
lookup_item (SluiceProject  *self,
             SluiceItemKind  kind,
             const char     *name,
             GError        **error)
{
  gpointer item = sluice_project_find_item (self, kind, name);

  if (item == NULL)
    {
      g_autofree char *relative = item_relative (kind, name ? name : "");
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s is not in the project"), relative);
    }
  return item;
}

/* Jobs name the pipelines they run: a renamed pipeline stays scheduled. The
 * rename itself has happened; a job that cannot be rewritten (a full disk)
 * is left for validation to report as naming a missing pipeline. */
static void
rename_in_jobs (SluiceProject *self,
                const char    *old_name,
                const char    *new_name)
{
  GListModel *jobs = G_LIST_MODEL (self->jobs);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(SluiceJob) job = g_list_model_get_item (jobs, i);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GFile) file = NULL;
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;

      if (!sluice_job_rename_pipeline (job, old_name, new_name))
        continue;
      bytes = sluice_job_to_bytes (job);
      file = g_file_resolve_relative_path (self->directory, sluice_job_get_file (job));
      path = g_file_get_path (file);
      if (!sluice_atomic_write (path, bytes, NULL, &error))
        g_warning ("%s: %s", sluice_job_get_file (job), error->message);
    }
}

gpointer
sluice_project_rename_item (SluiceProject  *self,
                            SluiceItemKind  kind,
                            const char     *name,
                            const char     *new_name,
                            GError        **error)
{
  g_autofree char *old_relative = NULL;
  g_autofree char *new_relative = NULL;
  g_autoptr(GFile) old_file = NULL;
  g_autoptr(GFile) new_file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GObject) renamed = NULL;
  GListStore *store;
  gpointer item;
  guint position;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  g_return_val_if_fail (kind <= SLUICE_ITEM_JOB, NULL);
  g_return_val_if_fail (name != NULL && new_name != NULL, NULL);

  if (!(item = lookup_item (self, kind, name, error)))
    return NULL;
  if (g_str_equal (name, new_name))
    return item;
  if (!check_new_name (self, kind, new_name, error))
    return NULL;
  if (SLUICE_IS_PIPELINE (item) && sluice_pipeline_get_dirty (item))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Pipeline “%s” has unsaved changes: save them before renaming it"), name);
      return NULL;
    }

  old_relative = item_relative (kind, name);
  new_relative = item_relative (kind, new_name);
  old_file = g_file_resolve_relative_path (self->directory, old_relative);
  new_file = g_file_resolve_relative_path (self->directory, new_relative);
  if (!(bytes = g_file_load_bytes (old_file, NULL, NULL, error)))
    {
      g_prefix_error (error, "%s: ", old_relative);
      return NULL;
    }
  /* No overwrite: a file that appeared meanwhile is never lost. */
  if (!g_file_move (old_file, new_file, G_FILE_COPY_NONE, NULL, NULL, NULL, error))
    return NULL;

  store = store_of (self, kind);
  if (!g_list_store_find (store, item, &position))
    g_assert_not_reached ();
  g_list_store_remove (store, position);
  forget_problems_of (self, old_relative);

  renamed = item_from_bytes (self, kind, new_name, bytes);
  if (renamed)
    g_list_store_insert_sorted (store, renamed, compare_items, NULL);
  if (kind == SLUICE_ITEM_PIPELINE)
    rename_in_jobs (self, name, new_name);
  sluice_project_validate (self);
  return renamed;
}

GBytes *
sluice_project_remove_item (SluiceProject  *self,
                            SluiceItemKind  kind,
                            const char     *name,
                            GError        **error)
{
  g_autofree char *relative = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GListStore *store;
  gpointer item;
  guint position;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  g_return_val_if_fail (kind <= SLUICE_ITEM_JOB, NULL);

  if (!(item = lookup_item (self, kind, name, error)))
    return NULL;

  relative = item_relative (kind, name);
  file = g_file_resolve_relative_path (self->directory, relative);
  if (!(bytes = g_file_load_bytes (file, NULL, NULL, error)))
    {
      g_prefix_error (error, "%s: ", relative);
      return NULL;
    }
  if (!g_file_delete (file, NULL, error))
    return NULL;

  store = store_of (self, kind);
  if (!g_list_store_find (store, item, &position))
    g_assert_not_reached ();
  g_list_store_remove (store, position);
  forget_problems_of (self, relative);
  sluice_project_validate (self);
  return g_steal_pointer (&bytes);
}

gpointer
sluice_project_restore_item (SluiceProject  *self,
                             SluiceItemKind  kind,
                             const char     *name,
                             GBytes         *bytes,
                             GError        **error)
{
  g_autofree char *relative = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autoptr(GObject) item = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  g_return_val_if_fail (kind <= SLUICE_ITEM_JOB, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  if (!check_new_name (self, kind, name, error))
    return NULL;

  relative = item_relative (kind, name);
  file = g_file_resolve_relative_path (self->directory, relative);
  folder = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (folder, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  path = g_file_get_path (file);
  if (!sluice_atomic_write (path, bytes, NULL, error))
    return NULL;

  item = item_from_bytes (self, kind, name, bytes);
  if (item)
    g_list_store_insert_sorted (store_of (self, kind), item, compare_items, NULL);
  sluice_project_validate (self);
  return item;
}

SluiceDataset *
sluice_project_add_dataset (SluiceProject  *self,
                            SluiceDataset  *dataset,
                            GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), NULL);
  g_return_val_if_fail (SLUICE_IS_DATASET (dataset), NULL);

  bytes = sluice_dataset_to_bytes (dataset);
  return sluice_project_restore_item (self, SLUICE_ITEM_DATASET,
                                      sluice_dataset_get_name (dataset), bytes, error);
}

gboolean
sluice_project_save_dataset (SluiceProject  *self,
                             SluiceDataset  *dataset,
                             GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  guint position;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (SLUICE_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (g_list_store_find (self->datasets, dataset, &position), FALSE);

  bytes = sluice_dataset_to_bytes (dataset);
  file = g_file_resolve_relative_path (self->directory, sluice_dataset_get_file (dataset));
  path = g_file_get_path (file);
  if (!sluice_atomic_write (path, bytes, NULL, error))
    return FALSE;
  sluice_project_validate (self);
  return TRUE;
}

gboolean
sluice_project_save_job (SluiceProject  *self,
                         SluiceJob      *job,
                         GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  guint position;

  g_return_val_if_fail (SLUICE_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (SLUICE_IS_JOB (job), FALSE);
  g_return_val_if_fail (g_list_store_find (self->jobs, job, &position), FALSE);

  bytes = sluice_job_to_bytes (job);
  file = g_file_resolve_relative_path (self->directory, sluice_job_get_file (job));
  path = g_file_get_path (file);
  if (!sluice_atomic_write (path, bytes, NULL, error))
    return FALSE;
  sluice_project_validate (self);
  return TRUE;
}
