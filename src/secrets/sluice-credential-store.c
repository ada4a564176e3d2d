#define G_LOG_DOMAIN "sluice-credentials"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-credential-store.h"
#include "sluice-redact.h"
#include "sluice-secret-error.h"

struct _SluiceCredentialStore
{
  GObject              parent_instance;
  SluiceKeyringStatus  status;
  char                *problem;   /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceCredentialStore, sluice_credential_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATUS,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const SecretSchema *
sluice_credential_store_get_schema (void)
{
  static const SecretSchema schema = {
    SLUICE_CREDENTIAL_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "app", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "schema-version", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "field", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };
  return &schema;
}

static void
set_status (SluiceCredentialStore *self,
            SluiceKeyringStatus    status,
            const char            *problem)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->problem, problem) != 0)
    {
      g_free (self->problem);
      self->problem = g_strdup (problem);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

/* The attributes of one item, or of a set of items when @kind, @id or
 * @field are NULL. */
static GHashTable *
attributes (const char *kind,
            const char *id,
            const char *field)
{
  GHashTable *a = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (a, "app", APP_ID);
  g_hash_table_insert (a, "schema-version", SLUICE_CREDENTIAL_SCHEMA_VERSION);
  if (kind)
    g_hash_table_insert (a, "kind", (char *) kind);
  if (id)
    g_hash_table_insert (a, "id", (char *) id);
  if (field)
    g_hash_table_insert (a, "field", (char *) field);
  return a;
}

/* Whatever libsecret or D-Bus said, the caller sees one domain. Anything but
 * a cancellation means the keyring is out of reach, and the message says
 * why, redacted (it may quote a service's reply). */
static GError *
translate (SluiceCredentialStore *self,
           GError                *error)
{
  g_autofree char *reason = NULL;
  GError *translated;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return error;

  reason = sluice_redact (error->message);
  g_debug ("keyring: %s", reason);
  set_status (self, SLUICE_KEYRING_UNAVAILABLE,
              g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED)
                ? _("The keyring is locked.") : reason);
  translated = g_error_new (SLUICE_SECRET_ERROR, SLUICE_SECRET_ERROR_UNAVAILABLE,
                            _("The keyring is not available: %s"), reason);
  g_error_free (error);
  return translated;
}

static void
got_through (SluiceCredentialStore *self)
{
  set_status (self, SLUICE_KEYRING_AVAILABLE, NULL);
}

/* ---- probe and search ---- */

static void
search_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceCredentialStore *self = g_task_get_source_object (task);
  GError *error = NULL;
  GList *items = secret_password_search_finish (result, &error);
  GPtrArray *found;

  if (error)
    {
      g_task_return_error (task, translate (self, error));
      return;
    }
  got_through (self);
  found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);
  for (GList *l = items; l; l = l->next)
    g_ptr_array_add (found, secret_retrievable_get_attributes (l->data));
  g_list_free_full (items, g_object_unref);
  g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

void
sluice_credential_store_search_async (SluiceCredentialStore *self,
                                      const char            *kind,
                                      const char            *id,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GHashTable) a = NULL;
  GTask *task;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_credential_store_search_async);
  a = attributes (kind, id, NULL);
  /* SECRET_SEARCH_ALL without UNLOCK or LOAD_SECRETS: never a prompt, never a secret. */
  secret_password_searchv (sluice_credential_store_get_schema (), a, SECRET_SEARCH_ALL,
                           cancellable, search_cb, task);
}

GPtrArray *
sluice_credential_store_search_finish (SluiceCredentialStore  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(GPtrArray) found = sluice_credential_store_search_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
sluice_credential_store_probe_async (SluiceCredentialStore *self,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  GTask *task;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_credential_store_probe_async);
  /* A search for an item that cannot exist: it needs the service, and
   * neither unlocks nor prompts. */
  sluice_credential_store_search_async (self, "probe", "probe", cancellable, probe_cb, task);
}

gboolean
sluice_credential_store_probe_finish (SluiceCredentialStore  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- store, lookup, clear ---- */

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceCredentialStore *self = g_task_get_source_object (task);
  GError *error = NULL;

  secret_password_store_finish (result, &error);
  if (error)
    {
      g_task_return_error (task, translate (self, error));
      return;
    }
  got_through (self);
  g_debug ("stored a %s in the keyring", (char *) g_task_get_task_data (task));
  g_task_return_boolean (task, TRUE);
}

void
sluice_credential_store_store_async (SluiceCredentialStore *self,
                                     const char            *kind,
                                     const char            *id,
                                     const char            *field,
                                     const char            *label,
                                     const char            *secret,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GHashTable) a = NULL;
  GTask *task;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (kind && id && field && label && secret);

  /* Before anything can log it. */
  sluice_redact_add_secret (secret);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_credential_store_store_async);
  g_task_set_task_data (task, g_strdup (field), g_free);
  a = attributes (kind, id, field);
  secret_password_storev (sluice_credential_store_get_schema (), a, SECRET_COLLECTION_DEFAULT, label,
                          secret, cancellable, store_cb, task);
}

gboolean
sluice_credential_store_store_finish (SluiceCredentialStore  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceCredentialStore *self = g_task_get_source_object (task);
  GError *error = NULL;
  char *secret = secret_password_lookup_finish (result, &error);

  if (error)
    {
      g_task_return_error (task, translate (self, error));
      return;
    }
  got_through (self);
  sluice_redact_add_secret (secret);
  g_task_return_pointer (task, secret, (GDestroyNotify) secret_password_free);
}

void
sluice_credential_store_lookup_async (SluiceCredentialStore *self,
                                      const char            *kind,
                                      const char            *id,
                                      const char            *field,
                                      GCancellable          *cancellable,
                                      GAsyncReadyCallback    callback,
                                      gpointer               user_data)
{
  g_autoptr(GHashTable) a = NULL;
  GTask *task;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (kind && id && field);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_credential_store_lookup_async);
  a = attributes (kind, id, field);
  secret_password_lookupv (sluice_credential_store_get_schema (), a, cancellable, lookup_cb, task);
}

char *
sluice_credential_store_lookup_finish (SluiceCredentialStore  *self,
                                       GAsyncResult           *result,
                                       GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- relabel ---- */

typedef struct
{
  char *kind, *id, *field, *label;
} Relabel;

static void
relabel_free (Relabel *r)
{
  g_free (r->kind);
  g_free (r->id);
  g_free (r->field);
  g_free (r->label);
  g_free (r);
}

static void
relabel_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!sluice_credential_store_store_finish (SLUICE_CREDENTIAL_STORE (source), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
relabel_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceCredentialStore *self = SLUICE_CREDENTIAL_STORE (source);
  Relabel *r = g_task_get_task_data (task);
  GError *error = NULL;
  char *secret = sluice_credential_store_lookup_finish (self, result, &error);

  if (error)
    {
      g_task_return_error (task, error);
      return;
    }
  if (secret == NULL)
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  {
    GCancellable *cancellable = g_task_get_cancellable (task);

    sluice_credential_store_store_async (self, r->kind, r->id, r->field, r->label, secret,
                                         cancellable, relabel_stored_cb, g_steal_pointer (&task));
  }
  sluice_credential_free (secret);
}

void
sluice_credential_store_relabel_async (SluiceCredentialStore *self,
                                       const char            *kind,
                                       const char            *id,
                                       const char            *field,
                                       const char            *label,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  GTask *task;
  Relabel *r;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (kind && id && field && label);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_credential_store_relabel_async);
  r = g_new0 (Relabel, 1);
  r->kind = g_strdup (kind);
  r->id = g_strdup (id);
  r->field = g_strdup (field);
  r->label = g_strdup (label);
  g_task_set_task_data (task, r, (GDestroyNotify) relabel_free);
  /* The task's copies: libsecret reads the attributes after this returns. */
  sluice_credential_store_lookup_async (self, r->kind, r->id, r->field, cancellable, relabel_found_cb, task);
}

gboolean
sluice_credential_store_relabel_finish (SluiceCredentialStore  *self,
                                        GAsyncResult           *result,
                                        GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceCredentialStore *self = g_task_get_source_object (task);
  GError *error = NULL;

  /* FALSE with no error: there was nothing to remove, which is success. */
  secret_password_clear_finish (result, &error);
  if (error)
    {
      g_task_return_error (task, translate (self, error));
      return;
    }
  got_through (self);
  g_task_return_boolean (task, TRUE);
}

void
sluice_credential_store_clear_async (SluiceCredentialStore *self,
                                     const char            *kind,
                                     const char            *id,
                                     const char            *field,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GHashTable) a = NULL;
  GTask *task;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (self));
  g_return_if_fail (kind && id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_credential_store_clear_async);
  a = attributes (kind, id, field);
  secret_password_clearv (sluice_credential_store_get_schema (), a, cancellable, clear_cb, task);
}

gboolean
sluice_credential_store_clear_finish (SluiceCredentialStore  *self,
                                      GAsyncResult           *result,
                                      GError                **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sluice_credential_free (char *secret)
{
  if (secret)
    secret_password_free (secret);
}

/* ---- GObject ---- */

static void
sluice_credential_store_finalize (GObject *object)
{
  SluiceCredentialStore *self = SLUICE_CREDENTIAL_STORE (object);

  g_free (self->problem);

  G_OBJECT_CLASS (sluice_credential_store_parent_class)->finalize (object);
}

static void
sluice_credential_store_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SluiceCredentialStore *self = SLUICE_CREDENTIAL_STORE (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_credential_store_class_init (SluiceCredentialStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sluice_credential_store_finalize;
  object_class->get_property = sluice_credential_store_get_property;

  properties[PROP_STATUS] =
    g_param_spec_int ("status", NULL, NULL, SLUICE_KEYRING_UNKNOWN, SLUICE_KEYRING_UNAVAILABLE,
                      SLUICE_KEYRING_UNKNOWN, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_credential_store_init (SluiceCredentialStore *self)
{
}

SluiceCredentialStore *
sluice_credential_store_new (void)
{
  return g_object_new (SLUICE_TYPE_CREDENTIAL_STORE, NULL);
}

SluiceKeyringStatus
sluice_credential_store_get_status (SluiceCredentialStore *self)
{
  g_return_val_if_fail (SLUICE_IS_CREDENTIAL_STORE (self), SLUICE_KEYRING_UNKNOWN);
  return self->status;
}

const char *
sluice_credential_store_get_problem (SluiceCredentialStore *self)
{
  g_return_val_if_fail (SLUICE_IS_CREDENTIAL_STORE (self), NULL);
  return self->problem;
}
