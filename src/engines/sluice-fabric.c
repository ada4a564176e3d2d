#define G_LOG_DOMAIN "sluice-fabric"

#include "config.h"

#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-json-doc.h"

struct _SluiceFabric
{
  GObject            parent_instance;
  char              *id;         /* owned */
  char              *name;       /* owned */
  SluiceFabricKind   kind;
  GHashTable        *settings;   /* owned: key → value, both owned */
  JsonObject        *extra;      /* owned, nullable */
  GStrv              former;     /* owned, never NULL */
  SluiceFabricState  state;
  char              *state_message; /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceFabric, sluice_fabric, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_KIND,
  PROP_STATE,
  PROP_STATE_MESSAGE,
  N_PROPS
};

enum { CHANGED, N_SIGNALS };

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- kinds and their fields ---- */

static const char * const kind_names[] = { "local", "databricks", "databricks-sql", "livy", "snowflake" };
static const char * const kind_titles[] = { N_("Local"), N_("Databricks"), N_("Databricks SQL"),
                                            N_("Apache Livy"), N_("Snowflake") };

static const char * const cluster_choices[] = { "existing", "new", NULL };
static const char * const cluster_titles[] = { N_("Existing cluster"), N_("New cluster per run"), NULL };
static const char * const livy_auth_choices[] = { "none", "basic", NULL };
static const char * const livy_auth_titles[] = { N_("None"), N_("Basic (user and password)"), NULL };
static const char * const token_type_choices[] = { "pat", "oauth", NULL };
static const char * const token_type_titles[] = { N_("Programmatic access token"), N_("OAuth access token"), NULL };

static const SluiceFabricField databricks_fields[] = {
  { "url", N_("Workspace URL"), SLUICE_FABRIC_FIELD_URL, TRUE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("https://adb-1234567890123456.7.azuredatabricks.net") },
  { "cluster", N_("Cluster"), SLUICE_FABRIC_FIELD_CHOICE, TRUE, "existing", cluster_choices, cluster_titles },
  { "cluster_id", N_("Cluster ID"), SLUICE_FABRIC_FIELD_TEXT, TRUE, NULL, NULL, NULL, 0, 0, "cluster", "existing",
    N_("0123-456789-abcdefgh") },
  { "spark_version", N_("Spark version"), SLUICE_FABRIC_FIELD_TEXT, TRUE, "14.3.x-scala2.12", NULL, NULL, 0, 0,
    "cluster", "new" },
  { "node_type", N_("Node type"), SLUICE_FABRIC_FIELD_TEXT, TRUE, NULL, NULL, NULL, 0, 0, "cluster", "new",
    N_("i3.xlarge") },
  { "workers", N_("Workers"), SLUICE_FABRIC_FIELD_INT, TRUE, "2", NULL, NULL, 0, 1000, "cluster", "new" },
  { "autotermination_minutes", N_("Auto-termination (minutes, 0 for never)"), SLUICE_FABRIC_FIELD_INT, TRUE,
    "60", NULL, NULL, 0, 43200, "cluster", "new" },
  { "token", N_("Personal access token"), SLUICE_FABRIC_FIELD_SECRET, TRUE },  { "ca_file", N_("Custom CA file"), SLUICE_FABRIC_FIELD_TEXT, FALSE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("/etc/ssl/private-ca.pem") },
};

static const SluiceFabricField databricks_sql_fields[] = {
  { "url", N_("Workspace URL"), SLUICE_FABRIC_FIELD_URL, TRUE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("https://dbc-a1b2c3d4-e5f6.cloud.databricks.com") },
  { "warehouse_id", N_("SQL warehouse ID"), SLUICE_FABRIC_FIELD_TEXT, TRUE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("1234567890abcdef") },
  { "token", N_("Personal access token"), SLUICE_FABRIC_FIELD_SECRET, TRUE },  { "ca_file", N_("Custom CA file"), SLUICE_FABRIC_FIELD_TEXT, FALSE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("/etc/ssl/private-ca.pem") },
};

static const SluiceFabricField livy_fields[] = {
  { "url", N_("Livy URL"), SLUICE_FABRIC_FIELD_URL, TRUE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("https://livy.example.com:8998") },
  { "auth", N_("Authentication"), SLUICE_FABRIC_FIELD_CHOICE, TRUE, "none", livy_auth_choices, livy_auth_titles },
  { "user", N_("User"), SLUICE_FABRIC_FIELD_TEXT, TRUE, NULL, NULL, NULL, 0, 0, "auth", "basic" },
  { "password", N_("Password"), SLUICE_FABRIC_FIELD_SECRET, TRUE, NULL, NULL, NULL, 0, 0, "auth", "basic" },
  { "proxy_user", N_("Proxy user"), SLUICE_FABRIC_FIELD_TEXT, FALSE },  { "ca_file", N_("Custom CA file"), SLUICE_FABRIC_FIELD_TEXT, FALSE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("/etc/ssl/private-ca.pem") },
};

static const SluiceFabricField snowflake_fields[] = {
  { "url", N_("Account URL"), SLUICE_FABRIC_FIELD_URL, TRUE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("https://myorg-account.snowflakecomputing.com") },
  { "warehouse", N_("Warehouse"), SLUICE_FABRIC_FIELD_TEXT, TRUE },
  { "database", N_("Database"), SLUICE_FABRIC_FIELD_TEXT, FALSE },
  { "schema", N_("Schema"), SLUICE_FABRIC_FIELD_TEXT, FALSE },
  { "role", N_("Role"), SLUICE_FABRIC_FIELD_TEXT, FALSE },
  { "user", N_("User"), SLUICE_FABRIC_FIELD_TEXT, TRUE },
  { "token_type", N_("Token type"), SLUICE_FABRIC_FIELD_CHOICE, TRUE, "pat", token_type_choices, token_type_titles },
  { "token", N_("Token"), SLUICE_FABRIC_FIELD_SECRET, TRUE },  { "ca_file", N_("Custom CA file"), SLUICE_FABRIC_FIELD_TEXT, FALSE, NULL, NULL, NULL, 0, 0, NULL, NULL,
    N_("/etc/ssl/private-ca.pem") },
};

const char *
sluice_fabric_kind_to_string (SluiceFabricKind kind)
{
  g_return_val_if_fail (kind < SLUICE_FABRIC_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
sluice_fabric_kind_from_string (const char       *s,
                                SluiceFabricKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (s, kind_names[i]) == 0)
      {
        *kind = i;
        return TRUE;
      }
  return FALSE;
}

const char *
sluice_fabric_kind_get_title (SluiceFabricKind kind)
{
  g_return_val_if_fail (kind < SLUICE_FABRIC_N_KINDS, NULL);
  return _(kind_titles[kind]);
}

const SluiceFabricField *
sluice_fabric_kind_get_fields (SluiceFabricKind  kind,
                               guint            *n_fields)
{
  switch (kind)
    {
    case SLUICE_FABRIC_DATABRICKS:
      *n_fields = G_N_ELEMENTS (databricks_fields);
      return databricks_fields;
    case SLUICE_FABRIC_DATABRICKS_SQL:
      *n_fields = G_N_ELEMENTS (databricks_sql_fields);
      return databricks_sql_fields;
    case SLUICE_FABRIC_LIVY:
      *n_fields = G_N_ELEMENTS (livy_fields);
      return livy_fields;
    case SLUICE_FABRIC_SNOWFLAKE:
      *n_fields = G_N_ELEMENTS (snowflake_fields);
      return snowflake_fields;
    case SLUICE_FABRIC_LOCAL:
    default:
      *n_fields = 0;
      return NULL;
    }
}

/* ---- URLs ---- */

static gboolean
is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  bare = host[0] == '[' ? g_strndup (host + 1, strlen (host) - 2) : g_strdup (host);
  address = g_inet_address_new_from_string (bare);
  return address && g_inet_address_get_is_loopback (address);
}

char *
sluice_fabric_normalize_url (const char  *url,
                             GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (url ? url : ""));
  g_autoptr(GUri) uri = NULL;
  g_autofree char *scheme = NULL, *host = NULL, *path = NULL;
  int port;

  /* The messages never quote the URL: a pasted one may carry a password. */
  if (*text == '\0')
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("is required"));
      return NULL;
    }
  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("is not a URL (it must look like https://host.example.com)"));
      return NULL;
    }
  scheme = g_ascii_strdown (g_uri_get_scheme (uri), -1);
  host = g_ascii_strdown (g_uri_get_host (uri), -1);
  if (!g_str_equal (scheme, "https") && !g_str_equal (scheme, "http"))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("must start with https://"));
      return NULL;
    }
  if (g_str_equal (scheme, "http") && !is_loopback (host))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("must start with https:// (plain http is only for this computer: localhost, 127.0.0.1, ::1)"));
      return NULL;
    }
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("must not contain a user name or password (the secret has its own field, kept in the keyring)"));
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("must be the address alone, without “?…” or “#…”"));
      return NULL;
    }

  port = g_uri_get_port (uri);
  if ((port == 443 && g_str_equal (scheme, "https")) || (port == 80 && g_str_equal (scheme, "http")))
    port = -1;
  path = g_strdup (g_uri_get_path (uri));
  while (*path && path[strlen (path) - 1] == '/')
    path[strlen (path) - 1] = '\0';
  if (strchr (host, ':') && host[0] != '[')
    {
      /* GUri hands back an IPv6 literal without its brackets. */
      char *bracketed = g_strdup_printf ("[%s]", host);
      g_free (host);
      host = bracketed;
    }

  if (port > 0)
    return g_strdup_printf ("%s://%s:%d%s", scheme, host, port, path);
  return g_strdup_printf ("%s://%s%s", scheme, host, path);
}

/* ---- checks ---- */

/* A custom CA file is read by the engine at connection time; say now if it
 * cannot be, rather than at the first run. */
static gboolean
check_ca_file (const char  *title,
               const char  *path,
               GError     **error)
{
  if (!g_path_is_absolute (path))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: must be a full path, like /etc/ssl/private-ca.pem"), title);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: %s does not exist"), title, path);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR) || g_access (path, R_OK) != 0)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: %s is not a file Sluice can read"), title, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_field (SluiceFabric             *self,
             const SluiceFabricField  *field,
             GError                  **error)
{
  const char *value = sluice_fabric_get_setting (self, field->key);
  g_autoptr(GError) local_error = NULL;

  if (field->type == SLUICE_FABRIC_FIELD_SECRET)
    return TRUE;   /* kept in the keyring: the caller knows whether one is stored */
  if (value == NULL)
    {
      if (!field->required)
        return TRUE;
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("%s: is required"), _(field->title));
      return FALSE;
    }

  switch (field->type)
    {
    case SLUICE_FABRIC_FIELD_URL:
      {
        g_autofree char *normal = sluice_fabric_normalize_url (value, &local_error);
        if (normal == NULL)
          {
            g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", _(field->title),
                         local_error->message);
            return FALSE;
          }
        sluice_fabric_set_setting (self, field->key, normal);
        return TRUE;
      }
    case SLUICE_FABRIC_FIELD_INT:
      {
        gint64 n;
        if (!g_ascii_string_to_signed (value, 10, field->min, field->max, &n, NULL))
          {
            g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                         _("%s: must be a whole number from %d to %d"), _(field->title), field->min, field->max);
            return FALSE;
          }
        return TRUE;
      }
    case SLUICE_FABRIC_FIELD_CHOICE:
      if (!g_strv_contains ((const char * const *) field->choices, value))
        {
          g_autofree char *list = g_strjoinv (", ", (char **) field->choices);
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                       _("%s: “%s” is not one of %s"), _(field->title), value, list);
          return FALSE;
        }
      return TRUE;
    case SLUICE_FABRIC_FIELD_TEXT:
      if (strchr (value, '\n') || strchr (value, '\r'))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                       _("%s: must be on one line"), _(field->title));
          return FALSE;
        }
      if (g_str_equal (field->key, "ca_file"))
        return check_ca_file (_(field->title), value, error);
      return TRUE;
    case SLUICE_FABRIC_FIELD_SECRET:
    default:
      return TRUE;
    }
}

gboolean
sluice_fabric_check (SluiceFabric  *self,
                     GError       **error)
{
  const SluiceFabricField *fields;
  guint n;
  g_autofree char *name = NULL;

  g_return_val_if_fail (SLUICE_IS_FABRIC (self), FALSE);

  name = g_strstrip (g_strdup (self->name ? self->name : ""));
  if (*name == '\0')
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("Name: is required"));
      return FALSE;
    }
  fields = sluice_fabric_kind_get_fields (self->kind, &n);
  for (guint i = 0; i < n; i++)
    if (sluice_fabric_field_applies (self, &fields[i]) && !check_field (self, &fields[i], error))
      return FALSE;
  return TRUE;
}

gboolean
sluice_fabric_field_applies (SluiceFabric            *self,
                             const SluiceFabricField *field)
{
  const char *value;

  g_return_val_if_fail (SLUICE_IS_FABRIC (self), FALSE);

  if (field->when_key == NULL)
    return TRUE;
  value = sluice_fabric_get_setting (self, field->when_key);
  if (value == NULL)
    {
      guint n;
      const SluiceFabricField *fields = sluice_fabric_kind_get_fields (self->kind, &n);
      for (guint i = 0; i < n; i++)
        if (g_str_equal (fields[i].key, field->when_key))
          value = fields[i].default_value;
    }
  return g_strcmp0 (value, field->when_value) == 0;
}

/* ---- GObject ---- */

static void
sluice_fabric_finalize (GObject *object)
{
  SluiceFabric *self = SLUICE_FABRIC (object);

  g_free (self->id);
  g_free (self->name);
  g_hash_table_unref (self->settings);
  g_clear_pointer (&self->extra, json_object_unref);
  g_strfreev (self->former);
  g_free (self->state_message);

  G_OBJECT_CLASS (sluice_fabric_parent_class)->finalize (object);
}

static void
sluice_fabric_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  SluiceFabric *self = SLUICE_FABRIC (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_STATE_MESSAGE:
      g_value_set_string (value, self->state_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_fabric_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  SluiceFabric *self = SLUICE_FABRIC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      sluice_fabric_set_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_fabric_class_init (SluiceFabricClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = sluice_fabric_finalize;
  object_class->get_property = sluice_fabric_get_property;
  object_class->set_property = sluice_fabric_set_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL,
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_KIND] = g_param_spec_int ("kind", NULL, NULL, 0, SLUICE_FABRIC_N_KINDS - 1, 0, ro);
  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, SLUICE_FABRIC_STATE_UNKNOWN,
                                             SLUICE_FABRIC_STATE_UNAVAILABLE, SLUICE_FABRIC_STATE_UNKNOWN, ro);
  properties[PROP_STATE_MESSAGE] = g_param_spec_string ("state-message", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sluice_fabric_init (SluiceFabric *self)
{
  self->settings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->former = g_new0 (char *, 1);
}

/* ---- public API ---- */

SluiceFabric *
sluice_fabric_new (SluiceFabricKind  kind,
                   const char       *name)
{
  SluiceFabric *self;
  const SluiceFabricField *fields;
  guint n;

  g_return_val_if_fail (kind < SLUICE_FABRIC_N_KINDS, NULL);

  self = g_object_new (SLUICE_TYPE_FABRIC, NULL);
  self->kind = kind;
  self->id = g_uuid_string_random ();
  self->name = g_strdup (name ? name : "");
  fields = sluice_fabric_kind_get_fields (kind, &n);
  for (guint i = 0; i < n; i++)
    if (fields[i].default_value)
      g_hash_table_insert (self->settings, g_strdup (fields[i].key), g_strdup (fields[i].default_value));
  return self;
}

SluiceFabric *
sluice_fabric_new_local (void)
{
  SluiceFabric *self = sluice_fabric_new (SLUICE_FABRIC_LOCAL, _("Local"));

  sluice_fabric_set_id (self, "local");
  return self;
}

SluiceFabric *
sluice_fabric_copy (SluiceFabric *self)
{
  SluiceFabric *copy;
  GHashTableIter iter;
  gpointer key, value;

  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);

  copy = g_object_new (SLUICE_TYPE_FABRIC, NULL);
  copy->kind = self->kind;
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  g_strfreev (copy->former);
  copy->former = g_strdupv (self->former);
  g_hash_table_iter_init (&iter, self->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy->settings, g_strdup (key), g_strdup (value));
  if (self->extra)
    {
      copy->extra = json_object_new ();
      sluice_json_object_append (copy->extra, self->extra);
    }
  return copy;
}

void
sluice_fabric_update_from (SluiceFabric *self,
                           SluiceFabric *other)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (SLUICE_IS_FABRIC (self));
  g_return_if_fail (SLUICE_IS_FABRIC (other));
  g_return_if_fail (self->kind == other->kind);

  sluice_fabric_set_name (self, other->name);
  sluice_fabric_set_former_names (self, (const char * const *) other->former);
  g_hash_table_remove_all (self->settings);
  g_hash_table_iter_init (&iter, other->settings);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->settings, g_strdup (key), g_strdup (value));
  /* New settings: what was known of the old connection no longer holds. */
  sluice_fabric_set_state (self, SLUICE_FABRIC_STATE_UNKNOWN, NULL);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char *
sluice_fabric_get_id (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);
  return self->id;
}

void
sluice_fabric_set_id (SluiceFabric *self,
                      const char   *id)
{
  g_return_if_fail (SLUICE_IS_FABRIC (self));
  g_return_if_fail (id != NULL);

  if (g_strcmp0 (self->id, id) == 0)
    return;
  g_free (self->id);
  self->id = g_strdup (id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

const char *
sluice_fabric_get_name (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);
  return self->name;
}

void
sluice_fabric_set_name (SluiceFabric *self,
                        const char   *name)
{
  g_return_if_fail (SLUICE_IS_FABRIC (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;
  g_free (self->name);
  self->name = g_strdup (name ? name : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

SluiceFabricKind
sluice_fabric_get_kind (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), SLUICE_FABRIC_LOCAL);
  return self->kind;
}

gboolean
sluice_fabric_is_local (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), FALSE);
  return self->kind == SLUICE_FABRIC_LOCAL;
}

const char *
sluice_fabric_get_setting (SluiceFabric *self,
                           const char   *key)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (self->settings, key);
}

void
sluice_fabric_set_setting (SluiceFabric *self,
                           const char   *key,
                           const char   *value)
{
  g_return_if_fail (SLUICE_IS_FABRIC (self));
  g_return_if_fail (key != NULL);

  if (value && *value == '\0')
    value = NULL;
  if (g_strcmp0 (g_hash_table_lookup (self->settings, key), value) == 0)
    return;
  if (value)
    g_hash_table_insert (self->settings, g_strdup (key), g_strdup (value));
  else
    g_hash_table_remove (self->settings, key);
  g_signal_emit (self, signals[CHANGED], 0);
}

const char * const *
sluice_fabric_get_former_names (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);
  return (const char * const *) self->former;
}

void
sluice_fabric_set_former_names (SluiceFabric       *self,
                                const char * const *names)
{
  g_return_if_fail (SLUICE_IS_FABRIC (self));

  if (self->former == (GStrv) names)
    return;
  g_strfreev (self->former);
  self->former = names ? g_strdupv ((char **) names) : g_new0 (char *, 1);
}

gboolean
sluice_fabric_was_named (SluiceFabric *self,
                         const char   *name)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (SLUICE_IS_FABRIC (self), FALSE);

  if (name == NULL)
    return FALSE;
  folded = g_utf8_casefold (name, -1);
  for (guint i = 0; self->former[i]; i++)
    {
      g_autofree char *other = g_utf8_casefold (self->former[i], -1);
      if (g_str_equal (folded, other))
        return TRUE;
    }
  return FALSE;
}

JsonObject *
sluice_fabric_get_extra (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);
  return self->extra;
}

void
sluice_fabric_set_extra (SluiceFabric *self,
                         JsonObject   *extra)
{
  g_return_if_fail (SLUICE_IS_FABRIC (self));

  if (extra)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}

SluiceFabricState
sluice_fabric_get_state (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), SLUICE_FABRIC_STATE_UNKNOWN);
  return self->state;
}

const char *
sluice_fabric_get_state_message (SluiceFabric *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (self), NULL);
  return self->state_message;
}

void
sluice_fabric_set_state (SluiceFabric      *self,
                         SluiceFabricState  state,
                         const char        *message)
{
  g_return_if_fail (SLUICE_IS_FABRIC (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->state_message, message) != 0)
    {
      g_free (self->state_message);
      self->state_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
