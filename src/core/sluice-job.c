#define G_LOG_DOMAIN "sluice-job"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-diagnostic.h"
#include "sluice-job.h"
#include "sluice-json-doc.h"
#include "sluice-json-writer.h"
#include "sluice-loader.h"
#include "sluice-pipeline.h"
#include "sluice-source-map.h"

struct _SluiceJob
{
  GObject          parent_instance;
  char            *name;          /* owned */
  char            *file;          /* owned */
  char            *description;   /* owned, nullable */
  char            *fabric;        /* owned, nullable */
  char            *cron;          /* owned */
  char            *timezone;      /* owned */
  gboolean         paused;
  GStrv            pipelines;     /* owned */
  gboolean         has_cluster;   /* "cluster" written */
  char            *spark_version; /* owned */
  char            *node_type;     /* owned, nullable */
  guint            workers;
  guint            autotermination;
  guint            max_retries;
  guint            retry_interval; /* seconds */
  GStrv            emails;        /* owned */
  char            *workspace_folder; /* owned, nullable */
  JsonObject      *schedule_extra; /* owned, nullable */
  JsonObject      *cluster_extra; /* owned, nullable */
  JsonObject      *retries_extra; /* owned, nullable */
  JsonObject      *extra;         /* owned, nullable */
  SluiceSourceMap *source_map;    /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceJob, sluice_job, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const char * const job_keys[] = {
  "format_version", "description", "fabric", "schedule", "pipelines", "cluster", "retries",
  "email_on_failure", "workspace_folder", NULL
};
static const char * const schedule_keys[] = { "cron", "timezone", "paused", NULL };
static const char * const cluster_keys[] = {
  "spark_version", "node_type", "workers", "autotermination_minutes", NULL
};
static const char * const retries_keys[] = { "max", "interval_seconds", NULL };

#define DEFAULT_SPARK_VERSION "14.3.x-scala2.12"
#define MAX_WORKERS 1000
#define MAX_AUTOTERMINATION 43200
#define MAX_RETRIES 100

static void
sluice_job_finalize (GObject *object)
{
  SluiceJob *self = SLUICE_JOB (object);

  g_free (self->name);
  g_free (self->file);
  g_free (self->description);
  g_free (self->fabric);
  g_free (self->cron);
  g_free (self->timezone);
  g_strfreev (self->pipelines);
  g_free (self->spark_version);
  g_free (self->node_type);
  g_strfreev (self->emails);
  g_free (self->workspace_folder);
  g_clear_pointer (&self->schedule_extra, json_object_unref);
  g_clear_pointer (&self->cluster_extra, json_object_unref);
  g_clear_pointer (&self->retries_extra, json_object_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->source_map, sluice_source_map_free);

  G_OBJECT_CLASS (sluice_job_parent_class)->finalize (object);
}

static void
sluice_job_class_init (SluiceJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_job_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sluice_job_init (SluiceJob *self)
{
  self->cron = g_strdup ("0 0 0 * * ?");
  self->timezone = g_strdup ("UTC");
  self->pipelines = g_new0 (char *, 1);
  self->spark_version = g_strdup (DEFAULT_SPARK_VERSION);
  self->workers = 2;
  self->autotermination = 60;
  self->emails = g_new0 (char *, 1);
}

SluiceJob *
sluice_job_new (const char *name)
{
  SluiceJob *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_JOB, NULL);
  self->name = g_strdup (name);
  self->file = g_strdup_printf ("jobs/%s.json", name);
  return self;
}

SluiceJob *
sluice_job_load_from_bytes (const char  *name,
                            const char  *file,
                            GBytes      *bytes,
                            GPtrArray   *diagnostics,
                            GError     **error)
{
  g_autoptr(SluiceLoader) loader = NULL;
  g_autoptr(SluiceJob) self = NULL;
  const char *what = _("the job");
  JsonNode *root_node, *schedule, *cluster, *retries;
  GStrv pipelines, emails;

  g_return_val_if_fail (name != NULL && file != NULL && bytes != NULL, NULL);

  if (!(loader = sluice_loader_new (file, bytes, diagnostics, error)))
    return NULL;
  if (!sluice_loader_root (loader, error))
    return NULL;
  root_node = sluice_json_doc_get_root (sluice_loader_get_doc (loader));

  self = sluice_job_new (name);
  g_free (self->file);
  self->file = g_strdup (file);
  self->description = g_strdup (sluice_loader_string (loader, root_node, what, "description", FALSE));
  self->fabric = g_strdup (sluice_loader_string (loader, root_node, what, "fabric", FALSE));

  schedule = sluice_loader_object (loader, root_node, what, "schedule", TRUE);
  if (schedule != NULL)
    {
      const char *cron = sluice_loader_string (loader, schedule, _("the schedule"), "cron", TRUE);
      const char *tz = sluice_loader_string (loader, schedule, _("the schedule"), "timezone", FALSE);

      if (cron)
        {
          g_free (self->cron);
          self->cron = g_strdup (cron);
        }
      if (tz)
        {
          g_free (self->timezone);
          self->timezone = g_strdup (tz);
        }
      sluice_loader_bool (loader, schedule, _("the schedule"), "paused", FALSE, &self->paused);
      self->schedule_extra = sluice_loader_extra (schedule, schedule_keys);
    }

  pipelines = sluice_loader_strings (loader, root_node, what, "pipelines", TRUE);
  if (pipelines)
    {
      g_strfreev (self->pipelines);
      self->pipelines = pipelines;
    }

  cluster = sluice_loader_object (loader, root_node, what, "cluster", FALSE);
  if (cluster != NULL)
    {
      const char *c_what = _("the cluster");
      const char *version = sluice_loader_string (loader, cluster, c_what, "spark_version", FALSE);
      gint64 v;

      self->has_cluster = TRUE;
      if (version)
        {
          g_free (self->spark_version);
          self->spark_version = g_strdup (version);
        }
      self->node_type = g_strdup (sluice_loader_string (loader, cluster, c_what, "node_type", FALSE));
      if (sluice_loader_int (loader, cluster, c_what, "workers", FALSE, &v))
        self->workers = (guint) CLAMP (v, 0, G_MAXINT);
      if (sluice_loader_int (loader, cluster, c_what, "autotermination_minutes", FALSE, &v))
        self->autotermination = (guint) CLAMP (v, 0, G_MAXINT);
      self->cluster_extra = sluice_loader_extra (cluster, cluster_keys);
    }

  retries = sluice_loader_object (loader, root_node, what, "retries", FALSE);
  if (retries != NULL)
    {
      gint64 v;

      if (sluice_loader_int (loader, retries, _("the retries"), "max", FALSE, &v))
        self->max_retries = (guint) CLAMP (v, 0, G_MAXINT);
      if (sluice_loader_int (loader, retries, _("the retries"), "interval_seconds", FALSE, &v))
        self->retry_interval = (guint) CLAMP (v, 0, G_MAXINT);
      self->retries_extra = sluice_loader_extra (retries, retries_keys);
    }

  emails = sluice_loader_strings (loader, root_node, what, "email_on_failure", FALSE);
  if (emails)
    {
      g_strfreev (self->emails);
      self->emails = emails;
    }
  self->workspace_folder = g_strdup (sluice_loader_string (loader, root_node, what, "workspace_folder", FALSE));

  if (!sluice_loader_check (loader, error))
    return NULL;

  self->extra = sluice_loader_extra (root_node, job_keys);
  self->source_map = sluice_source_map_new (root_node,
                                            sluice_json_doc_get_positions (sluice_loader_get_doc (loader)));
  return g_steal_pointer (&self);
}

GBytes *
sluice_job_to_bytes (SluiceJob *self)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonObject) schedule = json_object_new ();
  g_autoptr(JsonArray) pipelines = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);

  json_object_set_int_member (root, "format_version", SLUICE_FORMAT_VERSION);
  if (self->description)
    json_object_set_string_member (root, "description", self->description);
  if (self->fabric)
    json_object_set_string_member (root, "fabric", self->fabric);
  json_object_set_string_member (schedule, "cron", self->cron);
  json_object_set_string_member (schedule, "timezone", self->timezone);
  json_object_set_boolean_member (schedule, "paused", self->paused);
  sluice_json_object_append (schedule, self->schedule_extra);
  json_object_set_object_member (root, "schedule", g_steal_pointer (&schedule));
  for (guint i = 0; self->pipelines[i]; i++)
    json_array_add_string_element (pipelines, self->pipelines[i]);
  json_object_set_array_member (root, "pipelines", g_steal_pointer (&pipelines));
  if (self->has_cluster)
    {
      JsonObject *cluster = json_object_new ();

      json_object_set_string_member (cluster, "spark_version", self->spark_version);
      if (self->node_type)
        json_object_set_string_member (cluster, "node_type", self->node_type);
      json_object_set_int_member (cluster, "workers", self->workers);
      json_object_set_int_member (cluster, "autotermination_minutes", self->autotermination);
      sluice_json_object_append (cluster, self->cluster_extra);
      json_object_set_object_member (root, "cluster", cluster);
    }
  if (self->max_retries > 0 || self->retry_interval > 0 || self->retries_extra)
    {
      JsonObject *retries = json_object_new ();

      json_object_set_int_member (retries, "max", self->max_retries);
      json_object_set_int_member (retries, "interval_seconds", self->retry_interval);
      sluice_json_object_append (retries, self->retries_extra);
      json_object_set_object_member (root, "retries", retries);
    }
  if (self->emails[0])
    {
      JsonArray *emails = json_array_new ();

      for (guint i = 0; self->emails[i]; i++)
        json_array_add_string_element (emails, self->emails[i]);
      json_object_set_array_member (root, "email_on_failure", emails);
    }
  if (self->workspace_folder)
    json_object_set_string_member (root, "workspace_folder", self->workspace_folder);
  sluice_json_object_append (root, self->extra);

  node = json_node_init_object (json_node_alloc (), root);
  return sluice_json_write (node, NULL);
}

const char *
sluice_job_get_name (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->name;
}

const char *
sluice_job_get_file (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->file;
}

const char *
sluice_job_get_description (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->description;
}

const char *
sluice_job_get_fabric (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->fabric;
}

const char *
sluice_job_get_cron (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->cron;
}

const char *
sluice_job_get_timezone (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->timezone;
}

gboolean
sluice_job_get_paused (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), FALSE);
  return self->paused;
}

gboolean
sluice_job_rename_pipeline (SluiceJob  *self,
                            const char *old_name,
                            const char *new_name)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (SLUICE_IS_JOB (self), FALSE);
  g_return_val_if_fail (old_name != NULL && new_name != NULL, FALSE);

  for (guint i = 0; self->pipelines[i]; i++)
    if (g_str_equal (self->pipelines[i], old_name))
      {
        g_free (self->pipelines[i]);
        self->pipelines[i] = g_strdup (new_name);
        changed = TRUE;
      }
  return changed;
}

const char * const *
sluice_job_get_pipelines (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return (const char * const *) self->pipelines;
}


const char *
sluice_job_get_spark_version (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->spark_version;
}

const char *
sluice_job_get_node_type (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->node_type;
}

guint
sluice_job_get_workers (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), 0);
  return self->workers;
}

guint
sluice_job_get_autotermination (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), 0);
  return self->autotermination;
}

guint
sluice_job_get_max_retries (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), 0);
  return self->max_retries;
}

guint
sluice_job_get_retry_interval (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), 0);
  return self->retry_interval;
}

const char * const *
sluice_job_get_emails (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return (const char * const *) self->emails;
}

const char *
sluice_job_get_workspace_folder (SluiceJob *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  return self->workspace_folder;
}

char *
sluice_job_slug (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p && *p; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (out, g_ascii_tolower (*p));
      else if (out->len > 0 && out->str[out->len - 1] != '_')
        g_string_append_c (out, '_');
    }
  while (out->len > 0 && out->str[out->len - 1] == '_')
    g_string_truncate (out, out->len - 1);
  if (out->len == 0)
    g_string_append (out, "project");
  return g_string_free (out, FALSE);
}

char *
sluice_job_dup_workspace_folder (SluiceJob  *self,
                                 const char *project_slug)
{
  g_return_val_if_fail (SLUICE_IS_JOB (self), NULL);
  g_return_val_if_fail (project_slug != NULL, NULL);

  if (self->workspace_folder)
    return g_strdup (self->workspace_folder);
  return g_strdup_printf ("/Shared/sluice/%s", project_slug);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gboolean
set_strv (GStrv              *field,
          const char * const *value)
{
  static const char * const empty[] = { NULL };
  GStrv copy;

  if (value == NULL)
    value = empty;
  if (g_strv_equal ((const char * const *) *field, value))
    return FALSE;
  /* @value may point into the old array. */
  copy = g_strdupv ((char **) value);
  g_strfreev (*field);
  *field = copy;
  return TRUE;
}

static void
changed (SluiceJob *self)
{
  g_signal_emit (self, signals[CHANGED], 0);
}

void
sluice_job_set_description (SluiceJob  *self,
                            const char *description)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (set_string (&self->description, description && *description ? description : NULL))
    changed (self);
}

void
sluice_job_set_fabric (SluiceJob  *self,
                       const char *fabric)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (set_string (&self->fabric, fabric && *fabric ? fabric : NULL))
    changed (self);
}

void
sluice_job_set_cron (SluiceJob  *self,
                     const char *cron)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  g_return_if_fail (cron != NULL);
  if (set_string (&self->cron, cron))
    changed (self);
}

void
sluice_job_set_timezone (SluiceJob  *self,
                         const char *timezone)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  g_return_if_fail (timezone != NULL);
  if (set_string (&self->timezone, timezone))
    changed (self);
}

void
sluice_job_set_paused (SluiceJob *self,
                       gboolean   paused)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  paused = !!paused;
  if (self->paused == paused)
    return;
  self->paused = paused;
  changed (self);
}

void
sluice_job_set_pipelines (SluiceJob          *self,
                          const char * const *pipelines)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (set_strv (&self->pipelines, pipelines))
    changed (self);
}

void
sluice_job_set_spark_version (SluiceJob  *self,
                              const char *spark_version)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  g_return_if_fail (spark_version != NULL);
  if (set_string (&self->spark_version, spark_version) || !self->has_cluster)
    {
      self->has_cluster = TRUE;
      changed (self);
    }
}

void
sluice_job_set_node_type (SluiceJob  *self,
                          const char *node_type)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (set_string (&self->node_type, node_type && *node_type ? node_type : NULL) || !self->has_cluster)
    {
      self->has_cluster = TRUE;
      changed (self);
    }
}

void
sluice_job_set_workers (SluiceJob *self,
                        guint      workers)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (self->workers == workers && self->has_cluster)
    return;
  self->workers = workers;
  self->has_cluster = TRUE;
  changed (self);
}

void
sluice_job_set_autotermination (SluiceJob *self,
                                guint      minutes)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (self->autotermination == minutes && self->has_cluster)
    return;
  self->autotermination = minutes;
  self->has_cluster = TRUE;
  changed (self);
}

void
sluice_job_set_max_retries (SluiceJob *self,
                            guint      retries)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (self->max_retries == retries)
    return;
  self->max_retries = retries;
  changed (self);
}

void
sluice_job_set_retry_interval (SluiceJob *self,
                               guint      seconds)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (self->retry_interval == seconds)
    return;
  self->retry_interval = seconds;
  changed (self);
}

void
sluice_job_set_emails (SluiceJob          *self,
                       const char * const *emails)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (set_strv (&self->emails, emails))
    changed (self);
}

void
sluice_job_set_workspace_folder (SluiceJob  *self,
                                 const char *folder)
{
  g_return_if_fail (SLUICE_IS_JOB (self));
  if (set_string (&self->workspace_folder, folder && *folder ? folder : NULL))
    changed (self);
}

char *
sluice_email_check (const char *address)
{
  const char *at;

  if (address == NULL || *address == '\0')
    return g_strdup (_("the e-mail address is empty"));
  at = strchr (address, '@');
  if (at == NULL || at == address || strchr (at + 1, '@') || strchr (at + 1, '.') == NULL ||
      g_str_has_suffix (address, ".") || at[1] == '.' || strpbrk (address, " \t\r\n,;<>\"()[]\\") != NULL)
    return g_strdup_printf (_("“%s” is not an e-mail address"), address);
  return NULL;
}

char *
sluice_workspace_folder_check (const char *folder)
{
  if (folder == NULL || folder[0] != '/')
    return g_strdup_printf (_("the Workspace folder “%s” must start with “/”"), folder ? folder : "");
  if (g_str_has_suffix (folder, "/") || strstr (folder, "//") || strstr (folder, "/../") ||
      g_str_has_suffix (folder, "/..") || strstr (folder, "/./") || g_str_has_suffix (folder, "/."))
    return g_strdup_printf (_("the Workspace folder “%s” is not a plain absolute path"), folder);
  return NULL;
}

/* Checks one Quartz field: *, ?, numbers and names in range, lists, ranges
 * and steps. Enough to catch typos before Databricks rejects the job. */
static gboolean
check_cron_field (const char         *field,
                  int                 min,
                  int                 max,
                  const char * const *names,
                  gboolean            allow_question)
{
  g_auto(GStrv) parts = g_strsplit (field, ",", -1);

  for (guint i = 0; parts[i]; i++)
    {
      char *part = parts[i];
      char *slash = strchr (part, '/');
      g_auto(GStrv) range = NULL;

      if (*part == '\0')
        return FALSE;
      if (slash)
        {
          char *end;
          long step;

          *slash = '\0';
          step = strtol (slash + 1, &end, 10);
          if (*end != '\0' || step < 1 || step > max)
            return FALSE;
        }
      if (g_str_equal (part, "*") || (allow_question && g_str_equal (part, "?") && !slash))
        continue;
      /* Day-of-month and day-of-week extras: L, W, # */
      if (allow_question && (g_str_equal (part, "L") || g_str_has_suffix (part, "L") ||
                             g_str_has_suffix (part, "W") || strchr (part, '#')))
        continue;

      range = g_strsplit (part, "-", 2);
      for (guint j = 0; range[j]; j++)
        {
          char *end;
          long v = strtol (range[j], &end, 10);
          gboolean named = FALSE;

          if (end == range[j] || *end != '\0')
            {
              for (guint k = 0; names && names[k]; k++)
                if (g_ascii_strcasecmp (range[j], names[k]) == 0)
                  named = TRUE;
              if (!named)
                return FALSE;
              continue;
            }
          if (v < min || v > max)
            return FALSE;
        }
    }
  return TRUE;
}

char *
sluice_cron_check (const char *cron)
{
  static const char * const months[] = { "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG",
                                         "SEP", "OCT", "NOV", "DEC", NULL };
  static const char * const days[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", NULL };
  static const struct { const char *what; int min, max; gboolean question; } fields[] = {
    { N_("seconds"), 0, 59, FALSE },
    { N_("minutes"), 0, 59, FALSE },
    { N_("hours"), 0, 23, FALSE },
    { N_("day of month"), 1, 31, TRUE },
    { N_("month"), 1, 12, FALSE },
    { N_("day of week"), 1, 7, TRUE },
    { N_("year"), 1970, 2099, FALSE },
  };
  g_auto(GStrv) parts = NULL;
  guint n;

  if (cron == NULL)
    return g_strdup (_("the cron expression is empty"));

  {
    g_autofree char *trimmed = g_strstrip (g_strdup (cron));
    parts = g_strsplit_set (trimmed, " \t", -1);
  }
  /* Collapse runs of blanks. */
  n = 0;
  for (guint i = 0; parts[i]; i++)
    if (*parts[i] != '\0')
      {
        char *keep = parts[i];
        parts[i] = NULL;
        parts[n++] = keep;
      }
    else
      g_clear_pointer (&parts[i], g_free);
  parts[n] = NULL;

  if (n < 6 || n > 7)
    return g_strdup_printf (_("the cron expression “%s” has %u fields; Quartz cron needs 6 or 7 "
                              "(seconds minutes hours day-of-month month day-of-week [year])"), cron, n);

  for (guint i = 0; i < n; i++)
    {
      const char * const *names = i == 4 ? months : i == 5 ? days : NULL;

      if (!check_cron_field (parts[i], fields[i].min, fields[i].max, names, fields[i].question))
        return g_strdup_printf (_("the cron expression “%s”: “%s” is not a valid %s field"),
                                cron, parts[i], _(fields[i].what));
    }
  if (!g_str_equal (parts[3], "?") && !g_str_equal (parts[5], "?"))
    return g_strdup_printf (_("the cron expression “%s”: Quartz needs “?” in the day-of-month or "
                              "the day-of-week field"), cron);
  return NULL;
}

static void
report (SluiceJob  *self,
        GPtrArray  *out,
        const char *path,
        char       *message)
{
  guint line = 0, column = 0;

  sluice_source_map_find (self->source_map, path, 1, &line, &column);
  g_ptr_array_add (out, sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, self->file, line, column, message));
  g_free (message);
}

GPtrArray *
sluice_job_validate (SluiceJob  *self,
                     GListModel *pipelines)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  char *problem;

  g_return_val_if_fail (SLUICE_IS_JOB (self), out);

  if ((problem = sluice_cron_check (self->cron)))
    report (self, out, "schedule/cron", problem);

  {
    GTimeZone *tz = g_time_zone_new_identifier (self->timezone);

    if (tz == NULL)
      report (self, out, "schedule/timezone",
              g_strdup_printf (_("“%s” is not a time zone (use a name such as “Europe/Berlin” or “UTC”)"),
                               self->timezone));
    else
      g_time_zone_unref (tz);
  }

  if (self->pipelines[0] == NULL)
    report (self, out, "pipelines", g_strdup (_("the job runs no pipeline")));

  for (guint i = 0; self->pipelines[i] && pipelines; i++)
    {
      gboolean found = FALSE;
      g_autofree char *path = g_strdup_printf ("pipelines/%u", i);

      for (guint j = 0; j < g_list_model_get_n_items (pipelines) && !found; j++)
        {
          g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, j);
          found = g_str_equal (sluice_pipeline_get_name (p), self->pipelines[i]);
        }
      if (!found)
        report (self, out, path, g_strdup_printf (_("there is no pipeline “%s” in the project"),
                                                  self->pipelines[i]));
    }

  for (guint i = 0; self->pipelines[i]; i++)
    for (guint j = 0; j < i; j++)
      if (g_str_equal (self->pipelines[i], self->pipelines[j]))
        {
          g_autofree char *path = g_strdup_printf ("pipelines/%u", i);
          report (self, out, path, g_strdup_printf (_("the pipeline “%s” is listed twice"), self->pipelines[i]));
          break;
        }

  for (guint i = 0; self->emails[i]; i++)
    if ((problem = sluice_email_check (self->emails[i])))
      {
        g_autofree char *path = g_strdup_printf ("email_on_failure/%u", i);
        report (self, out, path, problem);
      }

  if (self->has_cluster && self->workers > MAX_WORKERS)
    report (self, out, "cluster/workers",
            g_strdup_printf (_("the cluster has %u workers; at most %u are allowed"), self->workers, MAX_WORKERS));
  if (self->has_cluster && self->autotermination > MAX_AUTOTERMINATION)
    report (self, out, "cluster/autotermination_minutes",
            g_strdup_printf (_("the cluster's auto-termination of %u minutes is over the limit of %u"),
                             self->autotermination, MAX_AUTOTERMINATION));
  if (self->has_cluster && sluice_str_is_blank (self->spark_version))
    report (self, out, "cluster/spark_version", g_strdup (_("the cluster has no Spark version")));
  if (self->max_retries > MAX_RETRIES)
    report (self, out, "retries/max",
            g_strdup_printf (_("%u retries is over the limit of %u"), self->max_retries, MAX_RETRIES));
  if (self->workspace_folder && (problem = sluice_workspace_folder_check (self->workspace_folder)))
    report (self, out, "workspace_folder", problem);

  g_ptr_array_sort (out, sluice_diagnostic_compare);
  return out;
}

static gboolean
parse_small (const char *s,
             int         max,
             int        *out)
{
  char *end;
  long v;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  v = strtol (s, &end, 10);
  if (*end != '\0' || v > max)
    return FALSE;
  *out = (int) v;
  return TRUE;
}

/* "N" from "0/N" or "*\/N" */
static gboolean
parse_every (const char *s,
             int         max,
             int        *out)
{
  if (g_str_has_prefix (s, "0/"))
    return parse_small (s + 2, max, out) && *out > 0;
  if (g_str_has_prefix (s, "*/"))
    return parse_small (s + 2, max, out) && *out > 0;
  return FALSE;
}

static const char *
day_name (const char *token)
{
  static const char * const abbrev[] = { "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT" };
  static const char * const names[] = { N_("Sunday"), N_("Monday"), N_("Tuesday"), N_("Wednesday"),
                                        N_("Thursday"), N_("Friday"), N_("Saturday") };
  int n;

  for (guint i = 0; i < G_N_ELEMENTS (abbrev); i++)
    if (g_ascii_strcasecmp (token, abbrev[i]) == 0)
      return _(names[i]);
  if (parse_small (token, 7, &n) && n >= 1)
    return _(names[n - 1]);
  return NULL;
}

/* "Monday to Friday", "Monday, Wednesday", or NULL when unusual. */
static char *
describe_days (const char *field)
{
  g_auto(GStrv) parts = g_strsplit (field, ",", -1);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; parts[i]; i++)
    {
      g_auto(GStrv) range = g_strsplit (parts[i], "-", 2);
      const char *from = day_name (range[0]);

      if (from == NULL)
        return NULL;
      if (out->len)
        g_string_append (out, ", ");
      if (range[1])
        {
          const char *to = day_name (range[1]);

          if (to == NULL)
            return NULL;
          /* TRANSLATORS: a range of week days, "Monday to Friday" */
          g_string_append_printf (out, _("%s to %s"), from, to);
        }
      else
        g_string_append (out, from);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
sluice_cron_describe (const char *cron)
{
  g_autofree char *problem = NULL;
  g_autofree char *trimmed = NULL;
  g_auto(GStrv) f = NULL;
  gboolean any_dom, any_dow, any_month;
  int sec, min, hour, dom, every;

  if (cron == NULL || (problem = sluice_cron_check (cron)))
    return NULL;
  trimmed = g_strstrip (g_strdup (cron));
  {
    g_auto(GStrv) raw = g_strsplit_set (trimmed, " \t", -1);
    g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

    for (guint i = 0; raw[i]; i++)
      if (*raw[i])
        g_strv_builder_add (b, raw[i]);
    f = g_strv_builder_end (b);
  }
  if (f[6] != NULL && !g_str_equal (f[6], "*"))
    return NULL;
  if (!parse_small (f[0], 59, &sec) || sec != 0)
    return NULL;
  any_dom = g_str_equal (f[3], "?") || g_str_equal (f[3], "*");
  any_dow = g_str_equal (f[5], "?") || g_str_equal (f[5], "*");
  any_month = g_str_equal (f[4], "*");
  if (!any_month)
    return NULL;

  /* Intervals within every day. */
  if (any_dom && any_dow)
    {
      if (parse_every (f[1], 59, &every) && g_str_equal (f[2], "*"))
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d minute", "every %d minutes", every), every);
      if (parse_small (f[1], 59, &min) && g_str_equal (f[2], "*"))
        return g_strdup_printf (_("every hour at minute %d"), min);
      if (parse_small (f[1], 59, &min) && parse_every (f[2], 23, &every))
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "every %d hour at minute %d",
                                             "every %d hours at minute %d", every), every, min);
    }

  if (!parse_small (f[1], 59, &min) || !parse_small (f[2], 23, &hour))
    return NULL;
  if (any_dom && any_dow)
    return g_strdup_printf (_("every day at %02d:%02d"), hour, min);
  if (any_dom)
    {
      g_autofree char *days = describe_days (f[5]);

      if (days == NULL)
        return NULL;
      /* TRANSLATORS: "at 05:00 on Monday to Friday" */
      return g_strdup_printf (_("at %02d:%02d on %s"), hour, min, days);
    }
  if (any_dow && parse_small (f[3], 31, &dom))
    return g_strdup_printf (_("at %02d:%02d on day %d of every month"), hour, min, dom);
  if (any_dow && g_str_equal (f[3], "L"))
    return g_strdup_printf (_("at %02d:%02d on the last day of every month"), hour, min);
  return NULL;
}
