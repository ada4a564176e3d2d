/* The credential store against a real gnome-keyring (tests/secrets/
 * with-keyring.sh gives each run its own): store, look up, replace,
 * delete, several owners, and nothing of Sluice's left behind. */
#include "config.h"

#include "sluice-credential-store.h"
#include "sluice-redact.h"
#include "sluice-secret-error.h"

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
store (SluiceCredentialStore *s,
       const char            *kind,
       const char            *id,
       const char            *field,
       const char            *secret)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sluice_credential_store_store_async (s, kind, id, field, "Sluice: test item", secret, NULL, got_result, &r);
  {
    gboolean ok = sluice_credential_store_store_finish (s, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
}

static char *
lookup (SluiceCredentialStore *s,
        const char            *kind,
        const char            *id,
        const char            *field)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  sluice_credential_store_lookup_async (s, kind, id, field, NULL, got_result, &r);
  secret = sluice_credential_store_lookup_finish (s, wait_for (&r), &error);
  g_assert_no_error (error);
  return secret;
}

static void
clear (SluiceCredentialStore *s,
       const char            *kind,
       const char            *id,
       const char            *field)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sluice_credential_store_clear_async (s, kind, id, field, NULL, got_result, &r);
  {
    gboolean ok = sluice_credential_store_clear_finish (s, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
}

static GPtrArray *
search (SluiceCredentialStore *s,
        const char            *kind,
        const char            *id)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  sluice_credential_store_search_async (s, kind, id, NULL, got_result, &r);
  found = sluice_credential_store_search_finish (s, wait_for (&r), &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

/* What secret-tool, a program of its own, finds of Sluice's items. */
static char *
secret_tool_search (void)
{
  const char *argv[] = { "secret-tool", "search", "--all", "app", APP_ID, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  return g_strconcat (out, err, NULL);
}

static void
test_store_lookup_replace_delete (void)
{
  g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
  g_autofree char *first = NULL, *second = NULL, *gone = NULL, *tool = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint status_notified = 0;

  g_signal_connect_swapped (s, "notify::status", G_CALLBACK (g_atomic_int_inc), &status_notified);
  g_assert_cmpint (sluice_credential_store_get_status (s), ==, SLUICE_KEYRING_UNKNOWN);

  store (s, "databricks", "fabric-1", "token", "dapi-first-value-000111");
  g_assert_cmpint (sluice_credential_store_get_status (s), ==, SLUICE_KEYRING_AVAILABLE);
  g_assert_null (sluice_credential_store_get_problem (s));
  g_assert_cmpuint (status_notified, ==, 1);
  first = lookup (s, "databricks", "fabric-1", "token");
  g_assert_cmpstr (first, ==, "dapi-first-value-000111");

  /* Replace: the same attributes, one item, the new value. */
  store (s, "databricks", "fabric-1", "token", "dapi-second-value-222333");
  second = lookup (s, "databricks", "fabric-1", "token");
  g_assert_cmpstr (second, ==, "dapi-second-value-222333");
  found = search (s, "databricks", "fabric-1");
  g_assert_cmpuint (found->len, ==, 1);
  {
    GHashTable *a = g_ptr_array_index (found, 0);
    g_assert_cmpstr (g_hash_table_lookup (a, "app"), ==, APP_ID);
    g_assert_cmpstr (g_hash_table_lookup (a, "schema-version"), ==, "1");
    g_assert_cmpstr (g_hash_table_lookup (a, "kind"), ==, "databricks");
    g_assert_cmpstr (g_hash_table_lookup (a, "id"), ==, "fabric-1");
    g_assert_cmpstr (g_hash_table_lookup (a, "field"), ==, "token");
  }

  /* Whatever is stored or looked up is redacted from then on. */
  {
    g_autofree char *line = sluice_redact ("got dapi-second-value-222333 and dapi-first-value-000111");
    g_assert_cmpstr (line, ==, "got [redacted] and [redacted]");
  }

  clear (s, "databricks", "fabric-1", "token");
  gone = lookup (s, "databricks", "fabric-1", "token");
  g_assert_null (gone);
  clear (s, "databricks", "fabric-1", "token");   /* nothing to clear is fine */
  tool = secret_tool_search ();
  g_assert_cmpstr (tool, ==, "");
  sluice_credential_free (g_steal_pointer (&first));
  sluice_credential_free (g_steal_pointer (&second));
  g_assert_finalize_object (g_steal_pointer (&s));
}

static void
test_several_owners (void)
{
  g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
  g_autoptr(GPtrArray) all = NULL, two = NULL, after = NULL, none = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *tool = NULL;

  store (s, "databricks", "f-a", "token", "secret-of-a-0001");
  store (s, "snowflake", "f-b", "token", "secret-of-b-0002");
  store (s, "livy", "f-c", "password", "secret-of-c-0003");
  store (s, "livy", "f-c", "extra", "secret-of-c-0004");

  all = search (s, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 4);
  two = search (s, "livy", "f-c");
  g_assert_cmpuint (two->len, ==, 2);

  /* A kind and id without a field: every item of that owner. */
  clear (s, "livy", "f-c", NULL);
  after = search (s, NULL, NULL);
  g_assert_cmpuint (after->len, ==, 2);
  a = lookup (s, "databricks", "f-a", "token");
  b = lookup (s, "snowflake", "f-b", "token");
  c = lookup (s, "livy", "f-c", "password");
  g_assert_cmpstr (a, ==, "secret-of-a-0001");
  g_assert_cmpstr (b, ==, "secret-of-b-0002");
  g_assert_null (c);

  clear (s, "databricks", "f-a", NULL);
  clear (s, "snowflake", "f-b", NULL);
  none = search (s, NULL, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  tool = secret_tool_search ();
  g_assert_cmpstr (tool, ==, "");
  sluice_credential_free (g_steal_pointer (&a));
  sluice_credential_free (g_steal_pointer (&b));
}

static void
test_label_and_schema (void)
{
  g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  GList *items;

  store (s, "snowflake", "f-label", "token", "label-check-secret-9");
  /* Straight through libsecret: the item's schema and label, no secret in either. */
  g_hash_table_insert (attributes, "app", APP_ID);
  {
    g_autoptr(GAsyncResult) r = NULL;
    secret_password_searchv (sluice_credential_store_get_schema (), attributes, SECRET_SEARCH_ALL, NULL,
                             got_result, &r);
    items = secret_password_search_finish (wait_for (&r), &error);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  {
    g_autofree char *label = secret_retrievable_get_label (items->data);
    g_autoptr(GHashTable) a = secret_retrievable_get_attributes (items->data);
    GHashTableIter iter;
    gpointer key, value;

    g_assert_cmpstr (label, ==, "Sluice: test item");
    g_assert_cmpstr (g_hash_table_lookup (a, "xdg:schema"), ==, SLUICE_CREDENTIAL_SCHEMA_NAME);
    g_hash_table_iter_init (&iter, a);
    while (g_hash_table_iter_next (&iter, &key, &value))
      g_assert_null (strstr (value, "label-check-secret-9"));
  }
  g_list_free_full (items, g_object_unref);
  clear (s, "snowflake", "f-label", NULL);
}

/* The labels of Sluice's items of @id, through libsecret itself. */
static GPtrArray *
labels_of (const char *id)
{
  g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *labels = g_ptr_array_new_with_free_func (g_free);
  GList *items;

  g_hash_table_insert (attributes, "app", APP_ID);
  g_hash_table_insert (attributes, "id", (char *) id);
  secret_password_searchv (sluice_credential_store_get_schema (), attributes, SECRET_SEARCH_ALL, NULL,
                           got_result, &r);
  items = secret_password_search_finish (wait_for (&r), &error);
  g_assert_no_error (error);
  for (GList *l = items; l; l = l->next)
    g_ptr_array_add (labels, secret_retrievable_get_label (l->data));
  g_list_free_full (items, g_object_unref);
  return labels;
}

static gboolean
relabel (SluiceCredentialStore *s,
         const char                  *kind,
         const char                  *id,
         const char                  *field,
         const char                  *label)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done;

  sluice_credential_store_relabel_async (s, kind, id, field, label, NULL, got_result, &r);
  done = sluice_credential_store_relabel_finish (s, wait_for (&r), &error);
  g_assert_no_error (error);
  return done;
}

/* A renamed owner: its item gets the new label, keeps its secret and stays
 * one item; no item, nothing made. */
static void
test_relabel (void)
{
  g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
  g_autoptr(GPtrArray) labels = NULL;
  char *secret;

  store (s, "databricks", "f-relabel", "token", "relabel-secret-4");
  store (s, "databricks", "f-other", "token", "other-secret-5");
  g_assert_true (relabel (s, "databricks", "f-relabel", "token", "Sluice: token of fabric “Production”"));
  labels = labels_of ("f-relabel");
  g_assert_cmpuint (labels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, "Sluice: token of fabric “Production”");
  g_clear_pointer (&labels, g_ptr_array_unref);
  secret = lookup (s, "databricks", "f-relabel", "token");
  g_assert_cmpstr (secret, ==, "relabel-secret-4");
  sluice_credential_free (secret);
  /* The other owner's item is not touched. */
  labels = labels_of ("f-other");
  g_assert_cmpuint (labels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (labels, 0), ==, "Sluice: test item");
  g_clear_pointer (&labels, g_ptr_array_unref);

  g_assert_false (relabel (s, "databricks", "f-relabel", "password", "Sluice: password of fabric “Production”"));
  labels = labels_of ("f-relabel");
  g_assert_cmpuint (labels->len, ==, 1);
  clear (s, "databricks", "f-relabel", NULL);
  clear (s, "databricks", "f-other", NULL);
}

static void
test_probe (void)
{
  g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sluice_credential_store_probe_async (s, NULL, got_result, &r);
  {
    gboolean ok = sluice_credential_store_probe_finish (s, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpint (sluice_credential_store_get_status (s), ==, SLUICE_KEYRING_AVAILABLE);
}

static void
test_cancelled (void)
{
  g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  sluice_credential_store_store_async (s, "livy", "f-x", "password", "l", "cancelled-value-1", cancellable,
                                       got_result, &r);
  g_assert_false (sluice_credential_store_store_finish (s, wait_for (&r), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* A cancellation says nothing about the keyring. */
  g_assert_cmpint (sluice_credential_store_get_status (s), ==, SLUICE_KEYRING_UNKNOWN);
}

static void
test_unreachable (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(SluiceCredentialStore) s = sluice_credential_store_new ();
      g_autoptr(GAsyncResult) r = NULL;
      g_autoptr(GError) error = NULL;

      sluice_credential_store_store_async (s, "livy", "f-y", "password", "l", "unreachable-value-1", NULL,
                                           got_result, &r);
      g_assert_false (sluice_credential_store_store_finish (s, wait_for (&r), &error));
      g_assert_error (error, SLUICE_SECRET_ERROR, SLUICE_SECRET_ERROR_UNAVAILABLE);
      g_assert_true (g_str_has_prefix (error->message, "The keyring is not available: "));
      g_assert_cmpint (sluice_credential_store_get_status (s), ==, SLUICE_KEYRING_UNAVAILABLE);
      g_assert_nonnull (sluice_credential_store_get_problem (s));
      return;
    }
  /* No session bus: a dead socket, as on a machine without one. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/sluice-no-bus", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDIN);
  g_test_trap_assert_passed ();
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *bus = g_strdup (g_getenv ("DBUS_SESSION_BUS_ADDRESS"));

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/secrets/credential-store/store-lookup-replace-delete", test_store_lookup_replace_delete);
  g_test_add_func ("/sluice/secrets/credential-store/several-owners-apart", test_several_owners);
  g_test_add_func ("/sluice/secrets/credential-store/label-and-attributes-hold-no-secret", test_label_and_schema);
  g_test_add_func ("/sluice/secrets/credential-store/relabel-keeps-the-secret", test_relabel);
  g_test_add_func ("/sluice/secrets/credential-store/probe-finds-the-keyring", test_probe);
  g_test_add_func ("/sluice/secrets/credential-store/cancelled-says-nothing-of-the-keyring", test_cancelled);
  g_test_add_func ("/sluice/secrets/credential-store/no-bus-is-unavailable", test_unreachable);

  return g_test_run ();
}
