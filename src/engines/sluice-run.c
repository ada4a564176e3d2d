#define G_LOG_DOMAIN "sluice-run"

#include "config.h"

#include "sluice-run.h"

struct _SluiceRun
{
  GObject          parent_instance;
  SluiceProject   *project;       /* owned */
  SluicePipeline  *pipeline;      /* owned */
  char            *until_gem;     /* owned, nullable */
  guint            sample_limit;
  SluiceRunState   state;
  double           fraction;
  char            *message;       /* owned, nullable */
  GListStore      *results;       /* owned: SluiceGemResult */
  GListStore      *problems;      /* owned: SluiceDiagnostic */
  GStrv            gems;          /* owned: the run's gems in order */
  GHashTable      *gem_states;    /* borrowed id (from gems) → SluiceGemState */
};

G_DEFINE_FINAL_TYPE (SluiceRun, sluice_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FRACTION,
  PROP_MESSAGE,
  N_PROPS
};

enum {
  GEM_STATE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
sluice_run_dispose (GObject *object)
{
  SluiceRun *self = SLUICE_RUN (object);

  g_clear_object (&self->project);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->results);
  g_clear_object (&self->problems);

  G_OBJECT_CLASS (sluice_run_parent_class)->dispose (object);
}

static void
sluice_run_finalize (GObject *object)
{
  SluiceRun *self = SLUICE_RUN (object);

  g_free (self->until_gem);
  g_free (self->message);
  g_hash_table_unref (self->gem_states);
  g_strfreev (self->gems);

  G_OBJECT_CLASS (sluice_run_parent_class)->finalize (object);
}

static void
sluice_run_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  SluiceRun *self = SLUICE_RUN (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_run_class_init (SluiceRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_run_dispose;
  object_class->finalize = sluice_run_finalize;
  object_class->get_property = sluice_run_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, SLUICE_RUN_QUEUED, SLUICE_RUN_CANCELLED, SLUICE_RUN_QUEUED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (gem_id, SluiceGemState) */
  signals[GEM_STATE_CHANGED] =
    g_signal_new ("gem-state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
sluice_run_init (SluiceRun *self)
{
  self->results = g_list_store_new (SLUICE_TYPE_GEM_RESULT);
  self->problems = g_list_store_new (SLUICE_TYPE_DIAGNOSTIC);
  self->gem_states = g_hash_table_new (g_str_hash, g_str_equal);
  self->gems = g_new0 (char *, 1);
}

SluiceRun *
sluice_run_new (SluiceProject  *project,
                SluicePipeline *pipeline,
                const char     *until_gem,
                guint           sample_limit)
{
  SluiceRun *self;

  g_return_val_if_fail (SLUICE_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);

  self = g_object_new (SLUICE_TYPE_RUN, NULL);
  self->project = g_object_ref (project);
  self->pipeline = g_object_ref (pipeline);
  self->until_gem = g_strdup (until_gem);
  self->sample_limit = sample_limit;
  return self;
}

SluiceProject *
sluice_run_get_project (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return self->project;
}

SluicePipeline *
sluice_run_get_pipeline (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return self->pipeline;
}

const char *
sluice_run_get_until_gem (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return self->until_gem;
}

guint
sluice_run_get_sample_limit (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), 0);
  return self->sample_limit;
}

SluiceRunState
sluice_run_get_state (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), SLUICE_RUN_FAILED);
  return self->state;
}

double
sluice_run_get_fraction (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), 0);
  return self->fraction;
}

GListModel *
sluice_run_get_results (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->results);
}

SluiceGemResult *
sluice_run_find_result (SluiceRun  *self,
                        const char *gem_id)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  g_return_val_if_fail (gem_id != NULL, NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGemResult) r = g_list_model_get_item (G_LIST_MODEL (self->results), i);
      if (g_strcmp0 (sluice_gem_result_get_gem_id (r), gem_id) == 0)
        return r;   /* the store keeps its reference */
    }
  return NULL;
}

SluiceGemState
sluice_run_get_gem_state (SluiceRun  *self,
                          const char *gem_id)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), SLUICE_GEM_NOT_IN_RUN);
  return GPOINTER_TO_INT (g_hash_table_lookup (self->gem_states, gem_id));
}

const char * const *
sluice_run_get_gems (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return (const char * const *) self->gems;
}

GListModel *
sluice_run_get_problems (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return G_LIST_MODEL (self->problems);
}

static void
set_state (SluiceRun      *self,
           SluiceRunState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
sluice_run_begin (SluiceRun          *self,
                  const char * const *gems)
{
  g_return_if_fail (SLUICE_IS_RUN (self));
  g_return_if_fail (self->state == SLUICE_RUN_QUEUED);

  g_strfreev (self->gems);
  self->gems = g_strdupv ((char **) gems);
  for (guint i = 0; self->gems[i]; i++)
    g_hash_table_insert (self->gem_states, self->gems[i], GINT_TO_POINTER (SLUICE_GEM_QUEUED));
  set_state (self, SLUICE_RUN_RUNNING);
  for (guint i = 0; self->gems[i]; i++)
    g_signal_emit (self, signals[GEM_STATE_CHANGED], 0, self->gems[i], SLUICE_GEM_QUEUED);
}

void
sluice_run_set_gem_state (SluiceRun      *self,
                          const char     *gem_id,
                          SluiceGemState  state)
{
  gpointer key;

  g_return_if_fail (SLUICE_IS_RUN (self));

  if (!g_hash_table_lookup_extended (self->gem_states, gem_id, &key, NULL))
    g_return_if_reached ();
  if (sluice_run_get_gem_state (self, gem_id) == state)
    return;
  g_hash_table_insert (self->gem_states, key, GINT_TO_POINTER (state));
  g_signal_emit (self, signals[GEM_STATE_CHANGED], 0, gem_id, state);
}

void
sluice_run_add_result (SluiceRun       *self,
                       SluiceGemResult *result)
{
  const char *id;

  g_return_if_fail (SLUICE_IS_RUN (self));
  g_return_if_fail (SLUICE_IS_GEM_RESULT (result));

  g_list_store_append (self->results, result);
  id = sluice_gem_result_get_gem_id (result);
  if (id && g_hash_table_contains (self->gem_states, id))
    sluice_run_set_gem_state (self, id, sluice_gem_result_get_error (result) ? SLUICE_GEM_FAILED : SLUICE_GEM_DONE);
}

const char *
sluice_run_get_message (SluiceRun *self)
{
  g_return_val_if_fail (SLUICE_IS_RUN (self), NULL);
  return self->message;
}

void
sluice_run_set_message (SluiceRun  *self,
                        const char *message)
{
  g_return_if_fail (SLUICE_IS_RUN (self));

  if (g_strcmp0 (self->message, message) == 0)
    return;
  g_free (self->message);
  self->message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

void
sluice_run_set_fraction (SluiceRun *self,
                         double     fraction)
{
  g_return_if_fail (SLUICE_IS_RUN (self));

  fraction = CLAMP (fraction, 0, 1);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
sluice_run_add_problem (SluiceRun        *self,
                        SluiceDiagnostic *problem)
{
  g_return_if_fail (SLUICE_IS_RUN (self));
  g_list_store_append (self->problems, problem);
}

void
sluice_run_finish (SluiceRun      *self,
                   SluiceRunState  state)
{
  g_return_if_fail (SLUICE_IS_RUN (self));
  g_return_if_fail (state >= SLUICE_RUN_SUCCEEDED);

  /* Gems that did not get to finish (a failure upstream, or a cancel) show
   * nothing rather than a state that will never change. */
  for (guint i = 0; self->gems[i]; i++)
    {
      SluiceGemState s = sluice_run_get_gem_state (self, self->gems[i]);
      if (s == SLUICE_GEM_QUEUED || s == SLUICE_GEM_RUNNING)
        sluice_run_set_gem_state (self, self->gems[i], SLUICE_GEM_NOT_IN_RUN);
    }
  if (state == SLUICE_RUN_SUCCEEDED)
    sluice_run_set_fraction (self, 1);
  set_state (self, state);
}
