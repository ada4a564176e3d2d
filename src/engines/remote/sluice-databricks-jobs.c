#define G_LOG_DOMAIN "sluice-databricks-jobs"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-code-writer.h"
#include "sluice-databricks-jobs.h"
#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-job-request.h"

#define MAX_IMPORT_BYTES (10 * 1024 * 1024)
#define NOTEBOOK_HEADER "# Databricks notebook source"
/* jobs/list pages of 100, at most this many: 10,000 jobs. */
#define MAX_LIST_PAGES 100
/* A create whose answer is lost twice more is not tried again blindly. */
#define MAX_CREATE_ATTEMPTS 3

struct _SluiceDatabricksJobs
{
  GObject           parent_instance;
  SluiceFabric     *fabric;  /* owned */
  SluiceHttpClient *client;  /* owned */
};

G_DEFINE_FINAL_TYPE (SluiceDatabricksJobs, sluice_databricks_jobs, G_TYPE_OBJECT)

void
sluice_job_plan_free (SluiceJobPlan *plan)
{
  if (plan == NULL)
    return;
  g_free (plan->tag);
  g_free (plan->name);
  g_clear_pointer (&plan->settings, json_node_unref);
  g_strfreev (plan->changed);
  g_free (plan->folder);
  g_free (plan);
}

static void
sluice_databricks_jobs_dispose (GObject *object)
{
  SluiceDatabricksJobs *self = SLUICE_DATABRICKS_JOBS (object);

  g_clear_object (&self->fabric);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (sluice_databricks_jobs_parent_class)->dispose (object);
}

static void
sluice_databricks_jobs_class_init (SluiceDatabricksJobsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sluice_databricks_jobs_dispose;
}

static void
sluice_databricks_jobs_init (SluiceDatabricksJobs *self)
{
}

SluiceDatabricksJobs *
sluice_databricks_jobs_new (SluiceFabric     *fabric,
                            const char       *token,
                            SluiceHttpClient *client)
{
  SluiceDatabricksJobs *self;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);
  g_return_val_if_fail (token != NULL, NULL);
  g_return_val_if_fail (SLUICE_IS_HTTP_CLIENT (client), NULL);

  self = g_object_new (SLUICE_TYPE_DATABRICKS_JOBS, NULL);
  self->fabric = g_object_ref (fabric);
  self->client = g_object_ref (client);
  sluice_http_client_set_bearer_token (client, token);
  return self;
}

/* ---- requests ---- */

/* Sends a request for @task; @callback gets the task back as user data
 * (its reference passes on). */
static void
send (GTask               *task,
      const char          *method,
      const char          *path,
      JsonNode            *body,
      SluiceHttpFlags      flags,
      GAsyncReadyCallback  callback)
{
  SluiceDatabricksJobs *self = g_task_get_source_object (task);

  sluice_http_client_request_async (self->client, method, path, body, flags, NULL,
                                    g_task_get_cancellable (task), callback, task);
}

static JsonObject *
body_object (SluiceHttpResponse *response)
{
  if (response->body == NULL || !JSON_NODE_HOLDS_OBJECT (response->body))
    return NULL;
  return json_node_get_object (response->body);
}

static void
return_bad_answer (GTask      *task,
                   const char *what)
{
  SluiceDatabricksJobs *self = g_task_get_source_object (task);

  g_task_return_new_error (task, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                           _("%s: the answer to %s has no valid %s."),
                           sluice_fabric_get_name (self->fabric), what,
                           g_str_has_suffix (what, "run-now") ? "run_id" : "job_id");
}

static JsonNode *
object_node (JsonObject *object)
{
  return json_node_init_object (json_node_alloc (), object);
}

/* An id, or 0 (never GTask's -1) with @error set. */
static gint64
propagate_id (GAsyncResult  *result,
              GError       **error)
{
  GError *local = NULL;
  gssize id = g_task_propagate_int (G_TASK (result), &local);

  if (local)
    {
      g_propagate_error (error, local);
      return 0;
    }
  return id;
}

/* ---- finding the job by its tag ---- */

typedef struct
{
  char     *tag;         /* owned */
  char     *name;        /* owned, nullable */
  gboolean  by_name;     /* this pass filters by name */
  char     *page_token;  /* owned, nullable */
  guint     pages;
} FindData;

static void
find_data_free (FindData *d)
{
  g_free (d->tag);
  g_free (d->name);
  g_free (d->page_token);
  g_free (d);
}

static void find_page (GTask *task);

static gboolean
has_tag (JsonObject *job,
         const char *tag)
{
  JsonNode *settings = json_object_get_member (job, "settings");
  JsonNode *tags, *value;

  if (settings == NULL || !JSON_NODE_HOLDS_OBJECT (settings))
    return FALSE;
  tags = json_object_get_member (json_node_get_object (settings), "tags");
  if (tags == NULL || !JSON_NODE_HOLDS_OBJECT (tags))
    return FALSE;
  value = json_object_get_member (json_node_get_object (tags), SLUICE_JOB_TAG);
  return value && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING &&
         g_str_equal (json_node_get_string (value), tag);
}

static void
find_page_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FindData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;
  JsonObject *body;
  JsonNode *jobs, *more, *token;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((body = body_object (response)) == NULL)
    {
      return_bad_answer (task, "jobs/list");
      return;
    }
  jobs = json_object_get_member (body, "jobs");
  if (jobs && JSON_NODE_HOLDS_ARRAY (jobs))
    {
      JsonArray *array = json_node_get_array (jobs);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *job = json_array_get_element (array, i);
          gint64 id;

          if (JSON_NODE_HOLDS_OBJECT (job) && has_tag (json_node_get_object (job), d->tag) &&
              sluice_json_get_id (json_node_get_object (job), "job_id", &id))
            {
              g_task_return_int (task, id);
              return;
            }
        }
    }

  more = json_object_get_member (body, "has_more");
  token = json_object_get_member (body, "next_page_token");
  g_clear_pointer (&d->page_token, g_free);
  if (more && JSON_NODE_HOLDS_VALUE (more) && json_node_get_value_type (more) == G_TYPE_BOOLEAN &&
      json_node_get_boolean (more) && token && JSON_NODE_HOLDS_VALUE (token) &&
      json_node_get_value_type (token) == G_TYPE_STRING && ++d->pages < MAX_LIST_PAGES)
    {
      d->page_token = g_strdup (json_node_get_string (token));
      find_page (g_steal_pointer (&task));
      return;
    }
  /* Not under its name (renamed on the workspace?): every job, then. */
  if (d->by_name)
    {
      d->by_name = FALSE;
      d->pages = 0;
      find_page (g_steal_pointer (&task));
      return;
    }
  g_task_return_int (task, 0);
}

static void
find_page (GTask *task)
{
  FindData *d = g_task_get_task_data (task);
  g_autoptr(GString) path = g_string_new ("/api/2.1/jobs/list?limit=100");

  if (d->by_name)
    {
      g_autofree char *name = sluice_http_escape (d->name);
      g_string_append_printf (path, "&name=%s", name);
    }
  if (d->page_token)
    {
      g_autofree char *token = sluice_http_escape (d->page_token);
      g_string_append_printf (path, "&page_token=%s", token);
    }
  send (task, "GET", path->str, NULL, SLUICE_HTTP_NONE, find_page_cb);
}

void
sluice_databricks_jobs_find_async (SluiceDatabricksJobs *self,
                                   const char           *tag,
                                   const char           *name,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  FindData *d;

  g_return_if_fail (SLUICE_IS_DATABRICKS_JOBS (self));
  g_return_if_fail (tag != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_databricks_jobs_find_async);
  d = g_new0 (FindData, 1);
  d->tag = g_strdup (tag);
  d->name = g_strdup (name);
  d->by_name = name != NULL;
  g_task_set_task_data (task, d, (GDestroyNotify) find_data_free);
  find_page (g_steal_pointer (&task));
}

gint64
sluice_databricks_jobs_find_finish (SluiceDatabricksJobs *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return propagate_id (result, error);
}

/* ---- deploy: upload, then plan ---- */

typedef struct
{
  char   *path;   /* owned: Workspace path */
  GBytes *bytes;  /* owned */
} Upload;

static void
upload_free (Upload *u)
{
  g_free (u->path);
  g_bytes_unref (u->bytes);
  g_free (u);
}

typedef struct
{
  SluiceJobPlan *plan;     /* owned */
  GPtrArray     *dirs;     /* owned: Workspace folders to make */
  GPtrArray     *uploads;  /* owned: Upload */
  guint          next;
} DeployData;

static void
deploy_data_free (DeployData *d)
{
  sluice_job_plan_free (d->plan);
  g_ptr_array_unref (d->dirs);
  g_ptr_array_unref (d->uploads);
  g_free (d);
}

static int
compare_uploads (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 ((*(Upload * const *) a)->path, (*(Upload * const *) b)->path);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Every file under @root/@rel (rel to code/pyspark), as it is on disk. */
static gboolean
collect_files (const char  *root,
               const char  *rel,
               const char  *folder,
               GPtrArray   *uploads,
               GError     **error)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, error);
  const char *name;

  if (dir == NULL)
    return FALSE;
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *child_rel = g_strconcat (rel, "/", name, NULL);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_SYMLINK) || g_str_equal (name, "__pycache__"))
        continue;
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          if (!collect_files (root, child_rel, folder, uploads, error))
            return FALSE;
        }
      else if (g_file_test (child, G_FILE_TEST_IS_REGULAR))
        {
          Upload *u;
          char *text = NULL;
          gsize len = 0;

          if (!g_file_get_contents (child, &text, &len, error))
            return FALSE;
          u = g_new0 (Upload, 1);
          u->path = sluice_job_request_workspace_path (folder, child_rel);
          u->bytes = g_bytes_new_take (text, len);
          g_ptr_array_add (uploads, u);
          if (len > MAX_IMPORT_BYTES)
            {
              g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                           _("code/pyspark/%s is larger than the Workspace's limit of 10 MB for a file."),
                           child_rel);
              return FALSE;
            }
          /* Workspace import (AUTO) would make a notebook of it, and a
           * spark_python_task needs a file. */
          if (g_str_has_suffix (name, ".py") && len >= strlen (NOTEBOOK_HEADER) &&
              strncmp (text, NOTEBOOK_HEADER, strlen (NOTEBOOK_HEADER)) == 0)
            {
              g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                           _("code/pyspark/%s starts with “%s”, so the Workspace would import it as a notebook."),
                           child_rel, NOTEBOOK_HEADER);
              return FALSE;
            }
        }
    }
  return TRUE;
}

static void deploy_step (GTask *task);

static void
deploy_get_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeployData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;
  JsonObject *body;
  JsonNode *settings;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((body = body_object (response)) == NULL ||
      (settings = json_object_get_member (body, "settings")) == NULL || !JSON_NODE_HOLDS_OBJECT (settings))
    {
      return_bad_answer (task, "jobs/get");
      return;
    }
  d->plan->changed = sluice_job_settings_diff (d->plan->settings, settings);
  d->plan->action = d->plan->changed[0] ? SLUICE_JOB_PLAN_UPDATE : SLUICE_JOB_PLAN_UNCHANGED;
  g_task_return_pointer (task, g_steal_pointer (&d->plan), (GDestroyNotify) sluice_job_plan_free);
}

static void
deploy_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DeployData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gint64 id;

  id = sluice_databricks_jobs_find_finish (SLUICE_DATABRICKS_JOBS (source), result, &error);
  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (id == 0)
    {
      d->plan->action = SLUICE_JOB_PLAN_CREATE;
      d->plan->changed = g_new0 (char *, 1);
      g_task_return_pointer (task, g_steal_pointer (&d->plan), (GDestroyNotify) sluice_job_plan_free);
      return;
    }
  d->plan->job_id = id;
  path = g_strdup_printf ("/api/2.1/jobs/get?job_id=%" G_GINT64_FORMAT, id);
  send (g_steal_pointer (&task), "GET", path, NULL, SLUICE_HTTP_NONE, deploy_get_cb);
}

static void
deploy_step_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  deploy_step (g_steal_pointer (&task));
}

/* mkdirs of every folder, then an import of every file, then the plan. */
static void
deploy_step (GTask *task)
{
  DeployData *d = g_task_get_task_data (task);
  guint i = d->next++;

  if (i < d->dirs->len)
    {
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) body = NULL;

      json_object_set_string_member (o, "path", g_ptr_array_index (d->dirs, i));
      body = object_node (o);
      send (task, "POST", "/api/2.0/workspace/mkdirs", body, SLUICE_HTTP_NONE, deploy_step_cb);
      return;
    }
  i -= d->dirs->len;
  if (i < d->uploads->len)
    {
      Upload *u = g_ptr_array_index (d->uploads, i);
      g_autoptr(JsonObject) o = json_object_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autofree char *content = g_base64_encode (g_bytes_get_data (u->bytes, NULL), g_bytes_get_size (u->bytes));

      json_object_set_string_member (o, "path", u->path);
      json_object_set_string_member (o, "format", "AUTO");
      json_object_set_string_member (o, "content", content);
      json_object_set_boolean_member (o, "overwrite", TRUE);
      body = object_node (o);
      d->plan->n_uploaded = i + 1;
      send (task, "POST", "/api/2.0/workspace/import", body, SLUICE_HTTP_NONE, deploy_step_cb);
      return;
    }
  sluice_databricks_jobs_find_async (g_task_get_source_object (task), d->plan->tag, d->plan->name,
                                     g_task_get_cancellable (task), deploy_found_cb, task);
}

void
sluice_databricks_jobs_deploy_async (SluiceDatabricksJobs *self,
                                     SluiceProject        *project,
                                     SluiceJob            *job,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) dirs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  const char * const *pipelines;
  DeployData *d;
  JsonObject *settings;

  g_return_if_fail (SLUICE_IS_DATABRICKS_JOBS (self));
  g_return_if_fail (SLUICE_IS_PROJECT (project));
  g_return_if_fail (SLUICE_IS_JOB (job));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_databricks_jobs_deploy_async);

  d = g_new0 (DeployData, 1);
  d->plan = g_new0 (SluiceJobPlan, 1);
  d->dirs = g_ptr_array_new_with_free_func (g_free);
  d->uploads = g_ptr_array_new_with_free_func ((GDestroyNotify) upload_free);
  g_task_set_task_data (task, d, (GDestroyNotify) deploy_data_free);

  d->plan->settings = sluice_job_request_build (project, job, problems);
  if (d->plan->settings == NULL)
    {
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE, "%s: %s",
                               sluice_job_get_file (job), (char *) g_ptr_array_index (problems, 0));
      return;
    }
  settings = json_node_get_object (d->plan->settings);
  d->plan->name = g_strdup (json_object_get_string_member (settings, "name"));
  d->plan->tag = sluice_job_request_tag (project, job);
  d->plan->folder = sluice_job_request_folder (project, job);

  /* The packages as they are in code/, the same bytes git has. */
  root = g_file_get_path (sluice_project_get_directory (project));
  {
    g_autofree char *code = g_build_filename (root, "code", "pyspark", NULL);

    pipelines = sluice_job_get_pipelines (job);
    for (guint i = 0; pipelines[i]; i++)
      {
        g_autofree char *dir = g_build_filename (code, pipelines[i], pipelines[i], "pipeline.py", NULL);

        if (!g_file_test (dir, G_FILE_TEST_IS_REGULAR))
          {
            g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                                     _("code/pyspark/%s/%s/pipeline.py is missing; save the pipeline “%s” "
                                       "to generate its code."), pipelines[i], pipelines[i], pipelines[i]);
            return;
          }
        if (!collect_files (code, pipelines[i], d->plan->folder, d->uploads, &error))
          {
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
      }
  }
  g_ptr_array_sort (d->uploads, compare_uploads);
  for (guint i = 0; i < d->uploads->len; i++)
    {
      Upload *u = g_ptr_array_index (d->uploads, i);
      char *dir = g_path_get_dirname (u->path);

      if (g_hash_table_contains (dirs, dir))
        g_free (dir);
      else
        {
          g_hash_table_add (dirs, dir);
          g_ptr_array_add (d->dirs, dir);
        }
    }
  g_ptr_array_sort (d->dirs, compare_strings);
  deploy_step (g_steal_pointer (&task));
}

SluiceJobPlan *
sluice_databricks_jobs_deploy_finish (SluiceDatabricksJobs *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- apply ---- */

typedef struct
{
  JsonNode *settings;  /* owned */
  char     *tag;       /* owned */
  char     *name;      /* owned */
  gint64    job_id;     /* an update's */
  guint     attempts;
} ApplyData;

static void
apply_data_free (ApplyData *d)
{
  json_node_unref (d->settings);
  g_free (d->tag);
  g_free (d->name);
  g_free (d);
}

static void apply_create (GTask *task);

static void
apply_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = sluice_databricks_jobs_find_finish (SLUICE_DATABRICKS_JOBS (source), result, &error);
  if (error)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (id != 0)
    g_task_return_int (task, id);  /* the lost create did happen */
  else
    apply_create (g_steal_pointer (&task));
}

static void
apply_create_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApplyData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;
  gint64 id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      /* jobs/create takes no idempotency token: whether the job exists is
       * for the workspace to say, by the tag. */
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS) &&
          d->attempts < MAX_CREATE_ATTEMPTS)
        {
          SluiceDatabricksJobs *self = g_task_get_source_object (task);
          GCancellable *cancellable = g_task_get_cancellable (task);

          g_debug ("jobs/create: the answer was lost; looking for the job by its tag");
          sluice_databricks_jobs_find_async (self, d->tag, d->name, cancellable, apply_found_cb,
                                             g_steal_pointer (&task));
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sluice_json_get_id (body_object (response), "job_id", &id) || id <= 0)
    {
      return_bad_answer (task, "jobs/create");
      return;
    }
  g_task_return_int (task, id);
}

static void
apply_create (GTask *task)
{
  ApplyData *d = g_task_get_task_data (task);

  d->attempts++;
  send (task, "POST", "/api/2.1/jobs/create", d->settings, SLUICE_HTTP_CREATES, apply_create_cb);
}

static void
apply_reset_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ApplyData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, d->job_id);
}

void
sluice_databricks_jobs_apply_async (SluiceDatabricksJobs *self,
                                    SluiceJobPlan        *plan,
                                    GCancellable         *cancellable,
                                    GAsyncReadyCallback   callback,
                                    gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  ApplyData *d;

  g_return_if_fail (SLUICE_IS_DATABRICKS_JOBS (self));
  g_return_if_fail (plan != NULL && plan->settings != NULL && plan->tag != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_databricks_jobs_apply_async);
  d = g_new0 (ApplyData, 1);
  d->settings = json_node_copy (plan->settings);
  d->tag = g_strdup (plan->tag);
  d->name = g_strdup (plan->name);
  g_task_set_task_data (task, d, (GDestroyNotify) apply_data_free);

  switch (plan->action)
    {
    case SLUICE_JOB_PLAN_CREATE:
      apply_create (g_steal_pointer (&task));
      break;
    case SLUICE_JOB_PLAN_UPDATE:
      {
        g_autoptr(JsonObject) o = json_object_new ();
        g_autoptr(JsonNode) body = NULL;

        json_object_set_int_member (o, "job_id", plan->job_id);
        json_object_set_member (o, "new_settings", json_node_copy (plan->settings));
        body = object_node (o);
        d->job_id = plan->job_id;
        send (g_steal_pointer (&task), "POST", "/api/2.1/jobs/reset", body, SLUICE_HTTP_NONE, apply_reset_cb);
        break;
      }
    case SLUICE_JOB_PLAN_UNCHANGED:
    default:
      g_task_return_int (task, plan->job_id);
      break;
    }
}

gint64
sluice_databricks_jobs_apply_finish (SluiceDatabricksJobs *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return propagate_id (result, error);
}

/* ---- run now ---- */

typedef struct
{
  JsonNode *body;      /* owned */
  guint     attempts;
} RunNowData;

static void
run_now_data_free (RunNowData *d)
{
  json_node_unref (d->body);
  g_free (d);
}

static void
run_now_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunNowData *d = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;
  gint64 id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      /* The same token again: the workspace starts at most one run for it. */
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS) && ++d->attempts < 3)
        {
          send (g_steal_pointer (&task), "POST", "/api/2.1/jobs/run-now", d->body,
                SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT, run_now_cb);
          return;
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!sluice_json_get_id (body_object (response), "run_id", &id) || id <= 0)
    {
      return_bad_answer (task, "jobs/run-now");
      return;
    }
  g_task_return_int (task, id);
}

void
sluice_databricks_jobs_run_now_async (SluiceDatabricksJobs *self,
                                      gint64                job_id,
                                      const char           *idempotency_token,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) o = json_object_new ();
  RunNowData *d;

  g_return_if_fail (SLUICE_IS_DATABRICKS_JOBS (self));
  g_return_if_fail (job_id > 0);
  g_return_if_fail (idempotency_token != NULL && strlen (idempotency_token) <= 64);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_databricks_jobs_run_now_async);
  json_object_set_int_member (o, "job_id", job_id);
  json_object_set_string_member (o, "idempotency_token", idempotency_token);
  d = g_new0 (RunNowData, 1);
  d->body = object_node (o);
  g_task_set_task_data (task, d, (GDestroyNotify) run_now_data_free);
  send (g_steal_pointer (&task), "POST", "/api/2.1/jobs/run-now", d->body,
        SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT, run_now_cb);
}

gint64
sluice_databricks_jobs_run_now_finish (SluiceDatabricksJobs *self,
                                       GAsyncResult         *result,
                                       GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);
  return propagate_id (result, error);
}

/* ---- runs ---- */

static void
list_runs_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = NULL;
  g_autoptr(GListStore) store = g_list_store_new (SLUICE_TYPE_JOB_RUN);
  JsonObject *body;
  JsonNode *runs;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if ((body = body_object (response)) == NULL)
    {
      SluiceDatabricksJobs *self = g_task_get_source_object (task);
      g_task_return_new_error (task, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                               _("%s: the answer to jobs/runs/list is not a JSON object."),
                               sluice_fabric_get_name (self->fabric));
      return;
    }
  /* "runs" is left out when there are none. */
  runs = json_object_get_member (body, "runs");
  if (runs && JSON_NODE_HOLDS_ARRAY (runs))
    {
      JsonArray *array = json_node_get_array (runs);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autoptr(SluiceJobRun) run = JSON_NODE_HOLDS_OBJECT (node)
                                        ? sluice_job_run_new_from_json (json_node_get_object (node)) : NULL;

          if (run)
            g_list_store_append (store, run);
        }
    }
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

void
sluice_databricks_jobs_list_runs_async (SluiceDatabricksJobs *self,
                                        gint64                job_id,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SLUICE_IS_DATABRICKS_JOBS (self));
  g_return_if_fail (job_id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_databricks_jobs_list_runs_async);
  path = g_strdup_printf ("/api/2.1/jobs/runs/list?job_id=%" G_GINT64_FORMAT "&limit=25", job_id);
  send (g_steal_pointer (&task), "GET", path, NULL, SLUICE_HTTP_NONE, list_runs_cb);
}

GListModel *
sluice_databricks_jobs_list_runs_finish (SluiceDatabricksJobs *self,
                                         GAsyncResult         *result,
                                         GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
