#define G_LOG_DOMAIN "sluice-fabric-session"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "sluice-engine-error.h"
#include "sluice-fabric-session.h"
#include "sluice-redact.h"
#include "sluice-secret-error.h"

struct _SluiceFabricSession
{
  GObject                parent_instance;
  SluiceFabricStore     *fabrics;      /* owned */
  SluiceCredentialStore *credentials;  /* owned */
  SluiceFabric          *selected;     /* owned */
  GHashTable            *engines;      /* owned: fabric id → SluiceEngine */
  GHashTable            *generations;  /* owned: fabric id → count of forget_engine() */
  char                  *cache_dir;    /* owned, nullable */
  GCancellable          *testing;      /* owned, nullable: the selected fabric's test */
  SluiceEngine          *engine;       /* owned, nullable: the selected fabric's, once made */
  GCancellable          *loading;      /* owned, nullable: making it */
  SluiceFabricSessionEngineFactory factory;
};

G_DEFINE_FINAL_TYPE (SluiceFabricSession, sluice_fabric_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SELECTED,
  PROP_ENGINE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A secret in flight, wiped when freed. */
typedef struct
{
  char *field;
  char *value;   /* nullable */
} Secret;

static void
secret_free (Secret *s)
{
  g_free (s->field);
  if (s->value)
    {
      memset (s->value, 0, strlen (s->value));
      g_free (s->value);
    }
  g_free (s);
}

static Secret *
secret_new (const char *field,
            const char *value)
{
  Secret *s = g_new0 (Secret, 1);

  s->field = g_strdup (field);
  s->value = g_strdup (value);
  return s;
}

struct _SluiceFabricRemoval
{
  SluiceFabric *fabric;    /* owned */
  guint         position;
  GPtrArray    *secrets;   /* owned (Secret) */
};

void
sluice_fabric_removal_free (SluiceFabricRemoval *removal)
{
  if (removal == NULL)
    return;
  g_object_unref (removal->fabric);
  g_ptr_array_unref (removal->secrets);
  g_free (removal);
}

SluiceFabric *
sluice_fabric_removal_get_fabric (SluiceFabricRemoval *removal)
{
  g_return_val_if_fail (removal != NULL, NULL);
  return removal->fabric;
}

char *
sluice_fabric_session_label (SluiceFabric *fabric,
                             const char   *field)
{
  /* Names only: a label is shown by keyring managers and never secret. */
  return g_strdup_printf (_("Sluice: %s of fabric “%s”"), field, sluice_fabric_get_name (fabric));
}

static const SluiceFabricField *
field_of (SluiceFabric *fabric,
          const char   *key)
{
  guint n;
  const SluiceFabricField *fields = sluice_fabric_kind_get_fields (sluice_fabric_get_kind (fabric), &n);

  for (guint i = 0; i < n; i++)
    if (g_str_equal (fields[i].key, key))
      return &fields[i];
  return NULL;
}

static guint
generation_of (SluiceFabricSession *self,
               SluiceFabric        *fabric)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->generations, sluice_fabric_get_id (fabric)));
}

static void load_selected_engine (SluiceFabricSession *self);

/* Its settings or secrets changed: the next use makes a new engine, and a
 * lookup in flight starts over (see load_make). */
static void
forget_engine (SluiceFabricSession *self,
               SluiceFabric        *fabric)
{
  const char *id = sluice_fabric_get_id (fabric);

  g_hash_table_remove (self->engines, id);
  g_hash_table_insert (self->generations, g_strdup (id), GUINT_TO_POINTER (generation_of (self, fabric) + 1));
  if (fabric == self->selected)
    load_selected_engine (self);
}

/* ---- making engines ---- */

typedef struct
{
  SluiceFabric *fabric;     /* owned */
  GPtrArray    *fields;     /* borrowed SluiceFabricField: the secrets to look up */
  guint         next;
  GHashTable   *secrets;    /* owned: field key → value (wiped when freed) */
  gboolean      strict;     /* a test: a missing or unreadable secret fails */
  guint         generation; /* forget_engine() count when the lookup began */
} Load;

static void
wipe_free (gpointer value)
{
  sluice_credential_free (value);
}

static void
load_free (Load *l)
{
  g_object_unref (l->fabric);
  g_ptr_array_unref (l->fields);
  g_hash_table_unref (l->secrets);
  g_free (l);
}

static void load_lookup_next (GTask *task);

static void
load_begin (GTask *task)
{
  SluiceFabricSession *self = g_task_get_source_object (task);
  Load *l = g_task_get_task_data (task);
  const SluiceFabricField *fields;
  guint n;

  l->generation = generation_of (self, l->fabric);
  l->next = 0;
  g_ptr_array_set_size (l->fields, 0);
  g_hash_table_remove_all (l->secrets);
  fields = sluice_fabric_kind_get_fields (sluice_fabric_get_kind (l->fabric), &n);
  for (guint i = 0; i < n; i++)
    if (fields[i].type == SLUICE_FABRIC_FIELD_SECRET && sluice_fabric_field_applies (l->fabric, &fields[i]))
      g_ptr_array_add (l->fields, (gpointer) &fields[i]);
  load_lookup_next (task);
}

/* Every secret is in: the engine, unless the settings changed meanwhile. */
static void
load_make (GTask *task)
{
  SluiceFabricSession *self = g_task_get_source_object (task);
  Load *l = g_task_get_task_data (task);
  SluiceEngine *engine;

  if (l->generation != generation_of (self, l->fabric))
    {
      load_begin (task);
      return;
    }
  engine = g_hash_table_lookup (self->engines, sluice_fabric_get_id (l->fabric));
  if (engine == NULL)
    {
      engine = self->factory (l->fabric, self->cache_dir, l->secrets);
      g_hash_table_insert (self->engines, g_strdup (sluice_fabric_get_id (l->fabric)), engine);
    }
  g_task_return_pointer (task, g_object_ref (engine), g_object_unref);
  g_object_unref (task);
}

static void
load_looked_up_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Load *l = g_task_get_task_data (task);
  const SluiceFabricField *field = g_ptr_array_index (l->fields, l->next);
  GError *error = NULL;
  char *secret = sluice_credential_store_lookup_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);

  if (error != NULL)
    {
      if (l->strict || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, error);
          g_object_unref (task);
          return;
        }
      /* No keyring: the engine is made without the secret and says what it
       * lacks when used; the fabric's test (and the banner) name the
       * keyring's problem. */
      g_debug ("fabric “%s”: %s", sluice_fabric_get_name (l->fabric), error->message);
      g_clear_error (&error);
      l->next = l->fields->len;
      load_make (task);
      return;
    }
  if (secret == NULL && l->strict && field->required)
    {
      g_task_return_new_error (task, SLUICE_SECRET_ERROR, SLUICE_SECRET_ERROR_FAILED,
                               _("%s: none is stored in the keyring (edit the fabric to enter it)"),
                               _(field->title));
      g_object_unref (task);
      return;
    }
  if (secret != NULL)
    g_hash_table_insert (l->secrets, g_strdup (field->key), secret);
  l->next++;
  load_lookup_next (task);
}

static void
load_lookup_next (GTask *task)
{
  SluiceFabricSession *self = g_task_get_source_object (task);
  Load *l = g_task_get_task_data (task);

  if (l->next < l->fields->len)
    {
      const SluiceFabricField *field = g_ptr_array_index (l->fields, l->next);
      sluice_credential_store_lookup_async (self->credentials,
                                            sluice_fabric_kind_to_string (sluice_fabric_get_kind (l->fabric)),
                                            sluice_fabric_get_id (l->fabric), field->key,
                                            g_task_get_cancellable (task), load_looked_up_cb, task);
      return;
    }
  load_make (task);
}

static void
load_engine (SluiceFabricSession *self,
             SluiceFabric        *fabric,
             gboolean             strict,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Load *l = g_new0 (Load, 1);
  SluiceEngine *engine;

  g_task_set_source_tag (task, sluice_fabric_session_load_engine_async);
  l->fabric = g_object_ref (fabric);
  l->fields = g_ptr_array_new ();
  l->secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, wipe_free);
  l->strict = strict;
  g_task_set_task_data (task, l, (GDestroyNotify) load_free);

  engine = g_hash_table_lookup (self->engines, sluice_fabric_get_id (fabric));
  if (engine != NULL && !strict)
    {
      g_task_return_pointer (task, g_object_ref (engine), g_object_unref);
      g_object_unref (task);
      return;
    }
  load_begin (task);
}

void
sluice_fabric_session_load_engine_async (SluiceFabricSession *self,
                                         SluiceFabric        *fabric,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));
  g_return_if_fail (SLUICE_IS_FABRIC (fabric));

  load_engine (self, fabric, FALSE, cancellable, callback, user_data);
}

SluiceEngine *
sluice_fabric_session_load_engine_finish (SluiceFabricSession  *self,
                                          GAsyncResult         *result,
                                          GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_fabric_session_load_engine_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

SluiceEngine *
sluice_fabric_session_get_engine (SluiceFabricSession *self,
                                  SluiceFabric        *fabric)
{
  SluiceEngine *engine;

  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (self), NULL);
  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  engine = g_hash_table_lookup (self->engines, sluice_fabric_get_id (fabric));
  if (engine == NULL && sluice_fabric_is_local (fabric))
    {
      /* No secrets: made at once, so Local is never a wait. */
      engine = self->factory (fabric, self->cache_dir, NULL);
      g_hash_table_insert (self->engines, g_strdup (sluice_fabric_get_id (fabric)), engine);
    }
  return engine;
}

SluiceEngine *
sluice_fabric_session_get_selected_engine (SluiceFabricSession *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (self), NULL);
  return self->engine;
}

void
sluice_fabric_session_set_engine_factory (SluiceFabricSession              *self,
                                          SluiceFabricSessionEngineFactory  factory)
{
  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));

  self->factory = factory ? factory : sluice_engine_new_for_fabric;
  g_hash_table_remove_all (self->engines);
  if (self->selected != NULL)
    load_selected_engine (self);
}

static void
set_selected_engine (SluiceFabricSession *self,
                     SluiceEngine        *engine)
{
  if (g_set_object (&self->engine, engine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

static void
selected_engine_loaded_cb (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  SluiceFabricSession *self = SLUICE_FABRIC_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceEngine) engine = sluice_fabric_session_load_engine_finish (self, result, &error);

  if (engine == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("engine: %s", error->message);
      return;
    }
  g_clear_object (&self->loading);
  set_selected_engine (self, engine);
}

/* The selected fabric's engine: Local's at once; a remote one's once its
 * secrets are in (NULL meanwhile, so nothing runs on the old fabric). */
static void
load_selected_engine (SluiceFabricSession *self)
{
  SluiceEngine *engine;

  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);

  engine = sluice_fabric_session_get_engine (self, self->selected);
  set_selected_engine (self, engine);
  if (engine != NULL)
    return;
  self->loading = g_cancellable_new ();
  sluice_fabric_session_load_engine_async (self, self->selected, self->loading, selected_engine_loaded_cb, NULL);
}

/* ---- selection ---- */

SluiceFabric *
sluice_fabric_session_get_selected (SluiceFabricSession *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (self), NULL);
  return self->selected;
}

static void
selected_tested_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The state is on the fabric; the message was logged by the test. */
  sluice_fabric_session_test_finish (SLUICE_FABRIC_SESSION (source), result, &error);
}

void
sluice_fabric_session_select (SluiceFabricSession *self,
                              SluiceFabric        *fabric)
{
  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));
  g_return_if_fail (SLUICE_IS_FABRIC (fabric));

  if (self->selected != fabric)
    {
      g_set_object (&self->selected, fabric);
      load_selected_engine (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
    }
  /* A new choice cancels the test of the old one. */
  if (self->testing)
    g_cancellable_cancel (self->testing);
  g_clear_object (&self->testing);
  self->testing = g_cancellable_new ();
  sluice_fabric_session_test_async (self, fabric, self->testing, selected_tested_cb, NULL);
}

/* ---- test ---- */

static void
test_fail (GTask        *task,
           SluiceFabric *fabric,
           GError       *error)
{
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      sluice_redact_error (error);
      g_debug ("fabric “%s”: %s", sluice_fabric_get_name (fabric), error->message);
      sluice_fabric_set_state (fabric,
                               g_error_matches (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_NOT_SUPPORTED)
                                 ? SLUICE_FABRIC_STATE_UNAVAILABLE : SLUICE_FABRIC_STATE_FAILED,
                               error->message);
    }
  else if (sluice_fabric_get_state (fabric) == SLUICE_FABRIC_STATE_TESTING)
    sluice_fabric_set_state (fabric, SLUICE_FABRIC_STATE_UNKNOWN, NULL);
  g_task_return_error (task, error);
}

static void
engine_tested_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceFabric *fabric = g_task_get_task_data (task);
  GError *error = NULL;

  if (!sluice_engine_test_connection_finish (SLUICE_ENGINE (source), result, &error))
    {
      test_fail (task, fabric, error);
      return;
    }
  sluice_fabric_set_state (fabric, SLUICE_FABRIC_STATE_READY,
                           sluice_fabric_is_local (fabric) ? _("Runs on this computer") : _("Connected"));
  g_task_return_boolean (task, TRUE);
}

static void
test_engine_loaded_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceFabric *fabric = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;
  g_autoptr(SluiceEngine) engine = g_task_propagate_pointer (G_TASK (result), &error);

  if (engine == NULL)
    {
      test_fail (task, fabric, error);
      return;
    }
  sluice_engine_test_connection_async (engine, cancellable, engine_tested_cb, g_steal_pointer (&task));
}

void
sluice_fabric_session_test_async (SluiceFabricSession *self,
                                  SluiceFabric        *fabric,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;
  SluiceEngine *engine;

  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));
  g_return_if_fail (SLUICE_IS_FABRIC (fabric));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_session_test_async);
  g_task_set_task_data (task, g_object_ref (fabric), g_object_unref);
  sluice_fabric_set_state (fabric, SLUICE_FABRIC_STATE_TESTING, NULL);

  if (sluice_fabric_is_local (fabric))
    {
      sluice_engine_test_connection_async (sluice_fabric_session_get_engine (self, fabric), cancellable,
                                           engine_tested_cb, task);
      return;
    }
  /* A kind this build has no engine for says so first: no keyring needed.
   * (An engine without secrets, only asked what it can do.) */
  engine = self->factory (fabric, self->cache_dir, NULL);
  if ((sluice_engine_get_capabilities (engine) & SLUICE_ENGINE_CAN_TEST_CONNECTION) == 0)
    {
      sluice_engine_test_connection_async (engine, cancellable, engine_tested_cb, task);
      g_object_unref (engine);
      return;
    }
  g_object_unref (engine);
  /* Every secret it needs, read again: a test is how the user checks them. */
  load_engine (self, fabric, TRUE, cancellable, test_engine_loaded_cb, task);
}

gboolean
sluice_fabric_session_test_finish (SluiceFabricSession  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- storing secrets one after the other ---- */

typedef struct
{
  SluiceFabric *fabric;    /* owned */
  GPtrArray    *secrets;   /* owned (Secret) */
  guint         next;
  SluiceFabricRemoval *removal; /* owned, nullable: delete's result */
} Edit;

static void
edit_free (Edit *e)
{
  g_clear_object (&e->fabric);
  g_clear_pointer (&e->secrets, g_ptr_array_unref);
  sluice_fabric_removal_free (e->removal);
  g_free (e);
}

static Edit *
edit_new (GTask        *task,
          SluiceFabric *fabric)
{
  Edit *e = g_new0 (Edit, 1);

  e->fabric = g_object_ref (fabric);
  e->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_free);
  g_task_set_task_data (task, e, (GDestroyNotify) edit_free);
  return e;
}

static void store_next (GTask *task);

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Edit *e = g_task_get_task_data (task);
  GError *error = NULL;

  if (!sluice_credential_store_store_finish (SLUICE_CREDENTIAL_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("The settings are saved, but not the secret. "));
      g_task_return_error (task, error);
      return;
    }
  e->next++;
  store_next (g_steal_pointer (&task));
}

static void
store_next (GTask *task)
{
  SluiceFabricSession *self = g_task_get_source_object (task);
  Edit *e = g_task_get_task_data (task);
  Secret *s;
  g_autofree char *label = NULL;

  if (e->next >= e->secrets->len)
    {
      /* The keyring holds the new secrets now: an engine made meanwhile
       * has the old ones. */
      if (e->secrets->len > 0)
        forget_engine (self, e->fabric);
      if (e->fabric == self->selected)
        sluice_fabric_session_select (self, e->fabric);   /* new settings: test again */
      g_task_return_boolean (task, TRUE);
      return;
    }
  s = g_ptr_array_index (e->secrets, e->next);
  label = sluice_fabric_session_label (e->fabric, s->field);
  sluice_credential_store_store_async (self->credentials, sluice_fabric_kind_to_string (sluice_fabric_get_kind (e->fabric)),
                                       sluice_fabric_get_id (e->fabric), s->field, label, s->value,
                                       g_task_get_cancellable (task), secret_stored_cb, task);
}

/* ---- save ---- */

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!sluice_fabric_store_save_finish (SLUICE_FABRIC_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  store_next (g_steal_pointer (&task));
}

void
sluice_fabric_session_save_async (SluiceFabricSession *self,
                                  SluiceFabric        *edited,
                                  GHashTable          *secrets,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  SluiceFabric *existing;
  Edit *e;

  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));
  g_return_if_fail (SLUICE_IS_FABRIC (edited));
  g_return_if_fail (!sluice_fabric_is_local (edited));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_session_save_async);
  existing = sluice_fabric_store_lookup (self->fabrics, sluice_fabric_get_id (edited));

  if (!sluice_fabric_store_check_name (self->fabrics, edited, sluice_fabric_get_name (edited), &error) ||
      !sluice_fabric_check (edited, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (sluice_fabric_store_get_load_error (self->fabrics))
    {
      /* Refuse before touching the store: the file on disk is the user's. */
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s could not be read, so it is not overwritten; fix it, or set it aside to start a new one"),
                               sluice_fabric_store_get_path (self->fabrics));
      return;
    }

  if (existing && existing != edited)
    sluice_fabric_update_from (existing, edited);
  else if (existing == NULL)
    sluice_fabric_store_insert (self->fabrics, -1, edited);
  /* edited in place or not, its settings changed */
  forget_engine (self, existing ? existing : edited);
  e = edit_new (task, existing ? existing : edited);
  if (secrets)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (field_of (e->fabric, key) && value && *(char *) value)
          g_ptr_array_add (e->secrets, secret_new (key, value));
    }
  sluice_fabric_store_save_async (self->fabrics, cancellable, saved_cb, g_steal_pointer (&task));
}

gboolean
sluice_fabric_session_save_finish (SluiceFabricSession  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- delete and restore ---- */

static void
removed_saved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Edit *e = g_task_get_task_data (task);
  GError *error = NULL;

  if (!sluice_fabric_store_save_finish (SLUICE_FABRIC_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&e->removal), (GDestroyNotify) sluice_fabric_removal_free);
}

static void
remove_settings (GTask *task)
{
  SluiceFabricSession *self = g_task_get_source_object (task);
  Edit *e = g_task_get_task_data (task);

  e->removal = g_new0 (SluiceFabricRemoval, 1);
  e->removal->fabric = g_object_ref (e->fabric);
  e->removal->secrets = g_steal_pointer (&e->secrets);
  e->secrets = g_ptr_array_new_with_free_func ((GDestroyNotify) secret_free);
  e->removal->position = sluice_fabric_store_remove (self->fabrics, e->fabric);
  forget_engine (self, e->fabric);
  if (self->selected == e->fabric)
    sluice_fabric_session_select (self, sluice_fabric_store_get_local (self->fabrics));
  sluice_fabric_set_state (e->fabric, SLUICE_FABRIC_STATE_UNKNOWN, NULL);
  sluice_fabric_store_save_async (self->fabrics, g_task_get_cancellable (task), removed_saved_cb, task);
}

static void
secrets_cleared_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  GError *error = NULL;

  if (!sluice_credential_store_clear_finish (SLUICE_CREDENTIAL_STORE (source), result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  remove_settings (task);
}

static void clear_or_keep_next (GTask *task, GPtrArray *fields);

typedef struct
{
  GTask     *task;     /* owned */
  GPtrArray *fields;   /* owned (char *): what is left to keep */
} Keep;

static void
kept_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Keep *k = user_data;
  Edit *e = g_task_get_task_data (k->task);
  GError *error = NULL;
  char *secret = sluice_credential_store_lookup_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);
  char *field = g_ptr_array_steal_index (k->fields, k->fields->len - 1);

  if (error)
    {
      g_task_return_error (k->task, error);
      g_object_unref (k->task);
      g_ptr_array_unref (k->fields);
      g_free (field);
      g_free (k);
      return;
    }
  if (secret)
    g_ptr_array_add (e->secrets, secret_new (field, secret));
  sluice_credential_free (secret);
  g_free (field);
  clear_or_keep_next (k->task, k->fields);
  g_free (k);
}

/* Takes @task and @fields. */
static void
clear_or_keep_next (GTask     *task,
                    GPtrArray *fields)
{
  SluiceFabricSession *self = g_task_get_source_object (task);
  Edit *e = g_task_get_task_data (task);
  const char *kind = sluice_fabric_kind_to_string (sluice_fabric_get_kind (e->fabric));

  if (fields->len > 0)
    {
      Keep *k = g_new0 (Keep, 1);
      k->task = task;
      k->fields = fields;
      sluice_credential_store_lookup_async (self->credentials, kind, sluice_fabric_get_id (e->fabric),
                                            g_ptr_array_index (fields, fields->len - 1),
                                            g_task_get_cancellable (task), kept_cb, k);
      return;
    }
  g_ptr_array_unref (fields);
  sluice_credential_store_clear_async (self->credentials, kind, sluice_fabric_get_id (e->fabric), NULL,
                                       g_task_get_cancellable (task), secrets_cleared_cb, task);
}

static void
found_secrets_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = sluice_credential_store_search_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);
  GPtrArray *fields;

  if (items == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      /* No keyring: nothing of it can be deleted or kept now. The settings
       * still go; the banner says the keyring is out of reach. */
      g_debug ("deleting a fabric without its secrets: %s", error->message);
      remove_settings (task);
      return;
    }
  fields = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < items->len; i++)
    {
      const char *field = g_hash_table_lookup (g_ptr_array_index (items, i), "field");
      if (field)
        g_ptr_array_add (fields, g_strdup (field));
    }
  clear_or_keep_next (task, fields);
}

void
sluice_fabric_session_delete_async (SluiceFabricSession *self,
                                    SluiceFabric        *fabric,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));
  g_return_if_fail (SLUICE_IS_FABRIC (fabric));
  g_return_if_fail (!sluice_fabric_is_local (fabric));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_session_delete_async);
  edit_new (task, fabric);
  if (sluice_fabric_store_get_load_error (self->fabrics))
    {
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s could not be read, so it is not overwritten; fix it, or set it aside to start a new one"),
                               sluice_fabric_store_get_path (self->fabrics));
      g_object_unref (task);
      return;
    }
  /* Every item filed under it, whatever fields it had then: search, keep
   * their values for an undo, clear them, then drop the settings. */
  sluice_credential_store_search_async (self->credentials, sluice_fabric_kind_to_string (sluice_fabric_get_kind (fabric)),
                                        sluice_fabric_get_id (fabric), cancellable, found_secrets_cb, task);
}

SluiceFabricRemoval *
sluice_fabric_session_delete_finish (SluiceFabricSession  *self,
                                     GAsyncResult         *result,
                                     GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
sluice_fabric_session_restore_async (SluiceFabricSession *self,
                                     SluiceFabricRemoval *removal,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Edit *e;

  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));
  g_return_if_fail (removal != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_session_restore_async);
  if (sluice_fabric_store_lookup (self->fabrics, sluice_fabric_get_id (removal->fabric)))
    {
      g_task_return_boolean (task, TRUE);   /* already back */
      return;
    }
  e = edit_new (task, removal->fabric);
  for (guint i = 0; i < removal->secrets->len; i++)
    {
      Secret *s = g_ptr_array_index (removal->secrets, i);
      g_ptr_array_add (e->secrets, secret_new (s->field, s->value));
    }
  sluice_fabric_store_insert (self->fabrics, removal->position, removal->fabric);
  sluice_fabric_store_save_async (self->fabrics, cancellable, saved_cb, g_steal_pointer (&task));
}

gboolean
sluice_fabric_session_restore_finish (SluiceFabricSession  *self,
                                      GAsyncResult         *result,
                                      GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- start ---- */

static void
probed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The store's status and problem say it; the banner shows them. */
  if (!sluice_credential_store_probe_finish (SLUICE_CREDENTIAL_STORE (source), result, &error))
    g_debug ("keyring: %s", error->message);
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceFabricSession *self = g_task_get_source_object (task);
  const char *name = g_task_get_task_data (task);
  GError *error = NULL;
  SluiceFabric *chosen;

  if (!sluice_fabric_store_load_finish (SLUICE_FABRIC_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, error);
      return;
    }
  chosen = sluice_fabric_store_lookup_by_name (self->fabrics, name);
  sluice_fabric_session_select (self, chosen ? chosen : sluice_fabric_store_get_local (self->fabrics));
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sluice_fabric_session_start_async (SluiceFabricSession *self,
                                   const char          *selected_name,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SLUICE_IS_FABRIC_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_fabric_session_start_async);
  g_task_set_task_data (task, g_strdup (selected_name), g_free);
  sluice_credential_store_probe_async (self->credentials, cancellable, probed_cb, NULL);
  sluice_fabric_store_load_async (self->fabrics, cancellable, loaded_cb, task);
}

gboolean
sluice_fabric_session_start_finish (SluiceFabricSession  *self,
                                    GAsyncResult         *result,
                                    GError              **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
sluice_fabric_session_dispose (GObject *object)
{
  SluiceFabricSession *self = SLUICE_FABRIC_SESSION (object);

  if (self->testing)
    g_cancellable_cancel (self->testing);
  g_clear_object (&self->testing);
  if (self->loading)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_object (&self->engine);
  g_clear_object (&self->selected);
  g_clear_object (&self->fabrics);
  g_clear_object (&self->credentials);
  g_clear_pointer (&self->engines, g_hash_table_unref);
  g_clear_pointer (&self->generations, g_hash_table_unref);

  G_OBJECT_CLASS (sluice_fabric_session_parent_class)->dispose (object);
}

static void
sluice_fabric_session_finalize (GObject *object)
{
  SluiceFabricSession *self = SLUICE_FABRIC_SESSION (object);

  g_free (self->cache_dir);

  G_OBJECT_CLASS (sluice_fabric_session_parent_class)->finalize (object);
}

static void
sluice_fabric_session_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SluiceFabricSession *self = SLUICE_FABRIC_SESSION (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_object (value, self->selected);
      break;
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_fabric_session_class_init (SluiceFabricSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_fabric_session_dispose;
  object_class->finalize = sluice_fabric_session_finalize;
  object_class->get_property = sluice_fabric_session_get_property;

  properties[PROP_SELECTED] =
    g_param_spec_object ("selected", NULL, NULL, SLUICE_TYPE_FABRIC,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, SLUICE_TYPE_ENGINE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_fabric_session_init (SluiceFabricSession *self)
{
  self->engines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->generations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->factory = sluice_engine_new_for_fabric;
}

SluiceFabricSession *
sluice_fabric_session_new (SluiceFabricStore     *fabrics,
                           SluiceCredentialStore *credentials,
                           const char            *cache_dir)
{
  SluiceFabricSession *self;

  g_return_val_if_fail (SLUICE_IS_FABRIC_STORE (fabrics), NULL);
  g_return_val_if_fail (SLUICE_IS_CREDENTIAL_STORE (credentials), NULL);

  self = g_object_new (SLUICE_TYPE_FABRIC_SESSION, NULL);
  self->fabrics = g_object_ref (fabrics);
  self->credentials = g_object_ref (credentials);
  self->cache_dir = g_strdup (cache_dir);
  self->selected = g_object_ref (sluice_fabric_store_get_local (fabrics));
  self->engine = g_object_ref (sluice_fabric_session_get_engine (self, self->selected));
  return self;
}

SluiceFabricStore *
sluice_fabric_session_get_fabrics (SluiceFabricSession *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (self), NULL);
  return self->fabrics;
}

SluiceCredentialStore *
sluice_fabric_session_get_credentials (SluiceFabricSession *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (self), NULL);
  return self->credentials;
}
