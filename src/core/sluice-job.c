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
  JsonObject      *schedule_extra; /* owned, nullable */
  JsonObject      *extra;         /* owned, nullable */
  SluiceSourceMap *source_map;    /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceJob, sluice_job, G_TYPE_OBJECT)

static const char * const job_keys[] = {
  "format_version", "description", "fabric", "schedule", "pipelines", NULL
};
static const char * const schedule_keys[] = { "cron", "timezone", "paused", NULL };

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
  g_clear_pointer (&self->schedule_extra, json_object_unref);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->source_map, sluice_source_map_free);

  G_OBJECT_CLASS (sluice_job_parent_class)->finalize (object);
}

static void
sluice_job_class_init (SluiceJobClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_job_finalize;
}

static void
sluice_job_init (SluiceJob *self)
{
  self->cron = g_strdup ("0 0 0 * * ?");
  self->timezone = g_strdup ("UTC");
  self->pipelines = g_new0 (char *, 1);
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
  JsonNode *root_node, *schedule;
  GStrv pipelines;

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

  g_ptr_array_sort (out, sluice_diagnostic_compare);
  return out;
}
