#define G_LOG_DOMAIN "sluice-job-run"

#include "config.h"

#include "sluice-job-run.h"

struct _SluiceJobRun
{
  GObject  parent_instance;
  gint64   id;
  gint64   start_time;
  gint64   end_time;
  gint64   duration;
  char    *life_cycle_state;  /* owned */
  char    *result_state;      /* owned, nullable */
  char    *state_message;     /* owned */
  char    *trigger;           /* owned, nullable */
  char    *url;               /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceJobRun, sluice_job_run, G_TYPE_OBJECT)

static void
sluice_job_run_finalize (GObject *object)
{
  SluiceJobRun *self = SLUICE_JOB_RUN (object);

  g_free (self->life_cycle_state);
  g_free (self->result_state);
  g_free (self->state_message);
  g_free (self->trigger);
  g_free (self->url);

  G_OBJECT_CLASS (sluice_job_run_parent_class)->finalize (object);
}

static void
sluice_job_run_class_init (SluiceJobRunClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_job_run_finalize;
}

static void
sluice_job_run_init (SluiceJobRun *self)
{
}

gboolean
sluice_json_get_id (JsonObject *object,
                    const char *member,
                    gint64     *id)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *id = json_node_get_int (node);
  return TRUE;
}

static const char *
get_string (JsonObject *object,
            const char *member)
{
  JsonNode *node = object ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object,
         const char *member)
{
  gint64 v = 0;

  return sluice_json_get_id (object, member, &v) ? v : 0;
}

SluiceJobRun *
sluice_job_run_new_from_json (JsonObject *run)
{
  JsonNode *state_node;
  JsonObject *state;
  SluiceJobRun *self;
  gint64 id;
  gint64 phases;

  g_return_val_if_fail (run != NULL, NULL);

  state_node = json_object_get_member (run, "state");
  state = state_node && JSON_NODE_HOLDS_OBJECT (state_node) ? json_node_get_object (state_node) : NULL;
  if (!sluice_json_get_id (run, "run_id", &id) || get_string (state, "life_cycle_state") == NULL)
    return NULL;

  self = g_object_new (SLUICE_TYPE_JOB_RUN, NULL);
  self->id = id;
  self->start_time = get_int (run, "start_time");
  self->end_time = get_int (run, "end_time");
  phases = get_int (run, "setup_duration") + get_int (run, "execution_duration") + get_int (run, "cleanup_duration");
  if (phases > 0)
    self->duration = phases;
  else if (self->end_time > 0 && self->start_time > 0)
    self->duration = self->end_time - self->start_time;
  self->life_cycle_state = g_strdup (get_string (state, "life_cycle_state"));
  self->result_state = g_strdup (get_string (state, "result_state"));
  self->state_message = g_strdup (get_string (state, "state_message") ?: "");
  self->trigger = g_strdup (get_string (run, "trigger"));
  self->url = g_strdup (get_string (run, "run_page_url"));
  return self;
}

gint64
sluice_job_run_get_id (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), 0);
  return self->id;
}

gint64
sluice_job_run_get_start_time (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), 0);
  return self->start_time;
}

gint64
sluice_job_run_get_end_time (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), 0);
  return self->end_time;
}

gint64
sluice_job_run_get_duration (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), 0);
  return self->duration;
}

const char *
sluice_job_run_get_life_cycle_state (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), NULL);
  return self->life_cycle_state;
}

const char *
sluice_job_run_get_result_state (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), NULL);
  return self->result_state;
}

const char *
sluice_job_run_get_state_message (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), NULL);
  return self->state_message;
}

const char *
sluice_job_run_get_trigger (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), NULL);
  return self->trigger;
}

const char *
sluice_job_run_get_url (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), NULL);
  return self->url;
}

gboolean
sluice_job_run_is_active (SluiceJobRun *self)
{
  g_return_val_if_fail (SLUICE_IS_JOB_RUN (self), FALSE);
  return !g_str_equal (self->life_cycle_state, "TERMINATED") &&
         !g_str_equal (self->life_cycle_state, "SKIPPED") &&
         !g_str_equal (self->life_cycle_state, "INTERNAL_ERROR");
}
