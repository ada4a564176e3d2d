/* Fabrics and the keyring together, as the fabric manager drives them:
 * save with a secret, test, delete (the secret too), undo (both back),
 * against a real gnome-keyring (with-keyring.sh). No display needed. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sluice-engine-error.h"
#include "sluice-fabric-session.h"
#include "sluice-http-client.h"
#include "sluice-redact.h"

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

typedef struct
{
  char                  *dir;
  char                  *path;
  SluiceFabricSession   *session;
  SluiceCredentialStore *credentials;
} Fixture;

static void
set_up (Fixture       *f,
        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceFabricStore) store = NULL;
  g_autoptr(GAsyncResult) r = NULL;

  f->dir = g_dir_make_tmp ("sluice-session-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "fabrics.json", NULL);
  store = sluice_fabric_store_new (f->path);
  f->credentials = sluice_credential_store_new ();
  f->session = sluice_fabric_session_new (store, f->credentials, f->dir);
  sluice_fabric_session_start_async (f->session, "local", NULL, got_result, &r);
  {
    gboolean ok = sluice_fabric_session_start_finish (f->session, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
}

static GPtrArray *items_of (Fixture *f, const char *kind, const char *id);

static void
tear_down (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_autoptr(GPtrArray) left = items_of (f, NULL, NULL);

  /* One keyring for the whole program: each test starts with none of ours. */
  for (guint i = 0; i < left->len; i++)
    {
      GHashTable *a = g_ptr_array_index (left, i);
      g_autoptr(GAsyncResult) r = NULL;
      sluice_credential_store_clear_async (f->credentials, g_hash_table_lookup (a, "kind"),
                                           g_hash_table_lookup (a, "id"), NULL, NULL, got_result, &r);
      g_assert_true (sluice_credential_store_clear_finish (f->credentials, wait_for (&r), NULL));
    }

  g_clear_object (&f->session);
  g_clear_object (&f->credentials);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (f->path);
  g_free (f->dir);
}

static GPtrArray *
items_of (Fixture    *f,
          const char *kind,
          const char *id)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *found;

  sluice_credential_store_search_async (f->credentials, kind, id, NULL, got_result, &r);
  found = sluice_credential_store_search_finish (f->credentials, wait_for (&r), &error);
  g_assert_no_error (error);
  return found;
}

static char *
secret_of (Fixture      *f,
           SluiceFabric *fabric,
           const char   *field)
{
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  char *secret;

  sluice_credential_store_lookup_async (f->credentials, sluice_fabric_kind_to_string (sluice_fabric_get_kind (fabric)),
                                        sluice_fabric_get_id (fabric), field, NULL, got_result, &r);
  secret = sluice_credential_store_lookup_finish (f->credentials, wait_for (&r), &error);
  g_assert_no_error (error);
  return secret;
}

static SluiceFabric *
save (Fixture          *f,
      SluiceFabricKind  kind,
      const char       *name,
      const char       *secret)
{
  g_autoptr(SluiceFabric) fabric = sluice_fabric_new (kind, name);
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  switch (kind)
    {
    case SLUICE_FABRIC_DATABRICKS:
      sluice_fabric_set_setting (fabric, "url", "https://ADB-1.azuredatabricks.net/");
      sluice_fabric_set_setting (fabric, "cluster_id", "0101-1-abc");
      g_hash_table_insert (secrets, "token", (char *) secret);
      break;
    case SLUICE_FABRIC_SNOWFLAKE:
      sluice_fabric_set_setting (fabric, "url", "https://org-acct.snowflakecomputing.com");
      sluice_fabric_set_setting (fabric, "warehouse", "WH");
      sluice_fabric_set_setting (fabric, "user", "alice");
      g_hash_table_insert (secrets, "token", (char *) secret);
      break;
    case SLUICE_FABRIC_LIVY:
      sluice_fabric_set_setting (fabric, "url", "http://127.0.0.1:1");
      sluice_fabric_set_setting (fabric, "auth", "basic");
      sluice_fabric_set_setting (fabric, "user", "bob");
      g_hash_table_insert (secrets, "password", (char *) secret);
      break;
    default:
      g_assert_not_reached ();
    }
  sluice_fabric_session_save_async (f->session, fabric, secrets, NULL, got_result, &r);
  {
    gboolean ok = sluice_fabric_session_save_finish (f->session, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  return sluice_fabric_store_lookup (sluice_fabric_session_get_fabrics (f->session), sluice_fabric_get_id (fabric));
}

static char *
file_text (const char *path)
{
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  return text;
}

static void
test_save_delete_undo (Fixture       *f,
                       gconstpointer  data)
{
  SluiceFabricStore *store = sluice_fabric_session_get_fabrics (f->session);
  SluiceFabric *prod = save (f, SLUICE_FABRIC_DATABRICKS, "Prod", "dapi00112233445566778899aabbccddeeff");
  SluiceFabric *snow = save (f, SLUICE_FABRIC_SNOWFLAKE, "Snow", "snow-token-4455667788");
  SluiceFabric *livy = save (f, SLUICE_FABRIC_LIVY, "Livy here", "livy-password-99887766");
  g_autofree char *text = file_text (f->path);
  g_autofree char *token = NULL, *back = NULL;
  g_autoptr(GPtrArray) all = NULL, after = NULL, restored = NULL, none = NULL;
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceFabricRemoval) removal = NULL;
  g_autofree char *after_text = NULL, *restored_text = NULL;
  g_autofree char *prod_id = NULL;

  g_assert_nonnull (prod);
  g_assert_nonnull (snow);
  g_assert_nonnull (livy);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);
  /* Settings in the file, normalised; secrets only in the keyring. */
  g_assert_nonnull (strstr (text, "\"url\": \"https://adb-1.azuredatabricks.net\""));
  g_assert_null (strstr (text, "dapi"));
  g_assert_null (strstr (text, "snow-token"));
  g_assert_null (strstr (text, "livy-password"));
  all = items_of (f, NULL, NULL);
  g_assert_cmpuint (all->len, ==, 3);
  token = secret_of (f, prod, "token");
  g_assert_cmpstr (token, ==, "dapi00112233445566778899aabbccddeeff");

  /* Delete: the setting and the secret go; the others stay. */
  prod_id = g_strdup (sluice_fabric_get_id (prod));
  sluice_fabric_session_select (f->session, prod);
  sluice_fabric_session_delete_async (f->session, prod, NULL, got_result, &r);
  removal = sluice_fabric_session_delete_finish (f->session, wait_for (&r), &error);
  g_assert_no_error (error);
  g_assert_nonnull (removal);
  g_clear_object (&r);
  g_assert_null (sluice_fabric_store_lookup (store, prod_id));
  g_assert_true (sluice_fabric_is_local (sluice_fabric_session_get_selected (f->session)));
  after = items_of (f, NULL, NULL);
  g_assert_cmpuint (after->len, ==, 2);
  g_clear_pointer (&after, g_ptr_array_unref);
  after = items_of (f, "databricks", prod_id);
  g_assert_cmpuint (after->len, ==, 0);
  after_text = file_text (f->path);
  g_assert_null (strstr (after_text, prod_id));

  /* Undo: both come back, in the same place. */
  sluice_fabric_session_restore_async (f->session, removal, NULL, got_result, &r);
  {
    gboolean ok = sluice_fabric_session_restore_finish (f->session, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_clear_object (&r);
  {
    g_autoptr(SluiceFabric) second = g_list_model_get_item (G_LIST_MODEL (store), 1);
    g_assert_cmpstr (sluice_fabric_get_id (second), ==, prod_id);
  }
  back = secret_of (f, sluice_fabric_store_lookup (store, prod_id), "token");
  g_assert_cmpstr (back, ==, "dapi00112233445566778899aabbccddeeff");
  restored_text = file_text (f->path);
  g_assert_cmpstr (restored_text, ==, text);
  restored = items_of (f, NULL, NULL);
  g_assert_cmpuint (restored->len, ==, 3);

  /* Delete them all: nothing of Sluice's remains in the keyring. */
  for (guint n = g_list_model_get_n_items (G_LIST_MODEL (store)); n > 1; n--)
    {
      g_autoptr(SluiceFabric) last = g_list_model_get_item (G_LIST_MODEL (store), n - 1);
      g_autoptr(SluiceFabricRemoval) gone = NULL;

      sluice_fabric_session_delete_async (f->session, last, NULL, got_result, &r);
      gone = sluice_fabric_session_delete_finish (f->session, wait_for (&r), &error);
      g_assert_no_error (error);
      g_clear_object (&r);
    }
  none = items_of (f, NULL, NULL);
  g_assert_cmpuint (none->len, ==, 0);
  {
    const char *argv[] = { "secret-tool", "search", "--all", "app", APP_ID, NULL };
    g_autofree char *out = NULL, *err = NULL;
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (out, ==, "");
    g_assert_cmpstr (err, ==, "");
  }
  sluice_credential_free (g_steal_pointer (&token));
  sluice_credential_free (g_steal_pointer (&back));
}

static void
test_replace_keeps_one (Fixture       *f,
                        gconstpointer  data)
{
  SluiceFabric *snow = save (f, SLUICE_FABRIC_SNOWFLAKE, "Snow", "first-snow-token-1");
  g_autoptr(SluiceFabric) edit = sluice_fabric_copy (snow);
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autofree char *secret = NULL, *kept = NULL;

  /* Renamed with a new token: the item is the fabric's id's, so one item. */
  sluice_fabric_set_name (edit, "Snowflake prod");
  g_hash_table_insert (secrets, "token", "second-snow-token-2");
  sluice_fabric_session_save_async (f->session, edit, secrets, NULL, got_result, &r);
  { gboolean ok = sluice_fabric_session_save_finish (f->session, wait_for (&r), &error); g_assert_no_error (error); g_assert_true (ok); }
  g_clear_object (&r);
  g_assert_cmpstr (sluice_fabric_get_name (snow), ==, "Snowflake prod");
  items = items_of (f, NULL, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  secret = secret_of (f, snow, "token");
  g_assert_cmpstr (secret, ==, "second-snow-token-2");

  /* Saved without a new secret: the stored one stays. */
  sluice_fabric_session_save_async (f->session, edit, NULL, NULL, got_result, &r);
  { gboolean ok = sluice_fabric_session_save_finish (f->session, wait_for (&r), &error); g_assert_no_error (error); g_assert_true (ok); }
  kept = secret_of (f, snow, "token");
  g_assert_cmpstr (kept, ==, "second-snow-token-2");
  sluice_credential_free (g_steal_pointer (&secret));
  sluice_credential_free (g_steal_pointer (&kept));
}

static void
test_refuses_bad_settings (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(SluiceFabric) fabric = sluice_fabric_new (SLUICE_FABRIC_DATABRICKS_SQL, "W");
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  sluice_fabric_set_setting (fabric, "url", "http://dbc.example.com");
  sluice_fabric_set_setting (fabric, "warehouse_id", "w1");
  g_hash_table_insert (secrets, "token", "never-stored-token-1");
  sluice_fabric_session_save_async (f->session, fabric, secrets, NULL, got_result, &r);
  g_assert_false (sluice_fabric_session_save_finish (f->session, wait_for (&r), &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Workspace URL: must start with https://"));
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  items = items_of (f, NULL, NULL);
  g_assert_cmpuint (items->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (sluice_fabric_session_get_fabrics (f->session))), ==, 1);
}

static void
test_connection_states (Fixture       *f,
                        gconstpointer  data)
{
  SluiceFabric *prod = save (f, SLUICE_FABRIC_DATABRICKS, "Prod", "dapi99887766554433221100ffeeddccbbaa");
  SluiceFabric *local = sluice_fabric_store_get_local (sluice_fabric_session_get_fabrics (f->session));
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sluice_fabric_session_test_async (f->session, local, NULL, got_result, &r);
  g_assert_cmpint (sluice_fabric_get_state (local), ==, SLUICE_FABRIC_STATE_TESTING);
  {
    gboolean ok = sluice_fabric_session_test_finish (f->session, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (ok);
  }
  g_assert_cmpint (sluice_fabric_get_state (local), ==, SLUICE_FABRIC_STATE_READY);
  g_clear_object (&r);

  sluice_fabric_session_test_async (f->session, prod, NULL, got_result, &r);
  g_assert_false (sluice_fabric_session_test_finish (f->session, wait_for (&r), &error));
  /* The session hands the keyring's token to the engine, so the Databricks
   * engine goes to the network (which has no such workspace) instead of
   * saying that it has no token. */
  g_assert_nonnull (error);
  g_assert_true (error->domain == SLUICE_HTTP_ERROR);
  g_assert_true (g_str_has_prefix (error->message, "Prod: "));
  g_assert_null (strstr (error->message, "no personal access token"));
  g_assert_null (strstr (error->message, "dapi99887766554433221100ffeeddccbbaa"));
  g_assert_cmpint (sluice_fabric_get_state (prod), ==, SLUICE_FABRIC_STATE_FAILED);
  g_assert_cmpstr (sluice_fabric_get_state_message (prod), ==, error->message);

  /* The selected fabric's engine is what pipelines run on: here the one
   * the test made, so at once (test-fabric-session's engine tests cover
   * the wait for the keyring). */
  sluice_fabric_session_select (f->session, prod);
  g_assert_true (sluice_fabric_session_get_selected (f->session) == prod);
  g_assert_true (sluice_fabric_session_get_selected_engine (f->session) == sluice_fabric_session_get_engine (f->session, prod));
  g_assert_cmpuint (sluice_engine_get_capabilities (sluice_fabric_session_get_engine (f->session, prod)) &
                    SLUICE_ENGINE_CAN_RUN_PIPELINE, !=, 0);
  g_assert_true (sluice_fabric_session_get_engine (f->session, local) ==
                 sluice_fabric_session_get_engine (f->session, local));
}

/* ---- engines get their secrets ---- */

static GHashTable *made_secrets;   /* a copy of what the last engine was given */
static guint       made_count;

static SluiceEngine *
recording_factory (SluiceFabric *fabric,
                   const char   *cache_dir,
                   GHashTable   *secrets)
{
  /* A test's probe of what the kind can do has no secrets (NULL); an
   * engine to use has the table of what the keyring gave. */
  if (secrets == NULL)
    return sluice_engine_new_for_fabric (fabric, cache_dir, NULL);
  made_count++;
  g_clear_pointer (&made_secrets, g_hash_table_unref);
  made_secrets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, secrets);
      while (g_hash_table_iter_next (&iter, &key, &value))
        g_hash_table_insert (made_secrets, g_strdup (key), g_strdup (value));
    }
  return sluice_engine_new_for_fabric (fabric, cache_dir, secrets);
}

static guint engine_notifies;

static void
engine_notified_cb (GObject    *object,
                    GParamSpec *pspec,
                    gpointer    data)
{
  engine_notifies++;
}

static SluiceEngine *
wait_for_selected_engine (Fixture *f)
{
  while (sluice_fabric_session_get_selected_engine (f->session) == NULL)
    g_main_context_iteration (NULL, TRUE);
  return sluice_fabric_session_get_selected_engine (f->session);
}

static void
test_engine_gets_the_secrets (Fixture       *f,
                              gconstpointer  data)
{
  SluiceFabric *local = sluice_fabric_store_get_local (sluice_fabric_session_get_fabrics (f->session));
  SluiceFabric *livy = save (f, SLUICE_FABRIC_LIVY, "Livy", "s3cret-livy-password");
  SluiceEngine *first, *second;
  g_autoptr(SluiceFabric) edited = NULL;
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sluice_fabric_session_set_engine_factory (f->session, recording_factory);
  made_count = 0;
  g_signal_connect (f->session, "notify::engine", G_CALLBACK (engine_notified_cb), NULL);

  /* Local: at once, no keyring, no secrets. */
  engine_notifies = 0;
  g_assert_nonnull (sluice_fabric_session_get_selected_engine (f->session));
  g_assert_true (sluice_fabric_session_get_selected_engine (f->session) == sluice_fabric_session_get_engine (f->session, local));

  /* Remote: none while the keyring is asked, then one with the password. */
  sluice_fabric_session_select (f->session, livy);
  g_assert_null (sluice_fabric_session_get_selected_engine (f->session));
  g_assert_null (sluice_fabric_session_get_engine (f->session, livy));
  first = wait_for_selected_engine (f);
  g_assert_true (first == sluice_fabric_session_get_engine (f->session, livy));
  g_assert_cmpuint (made_count, >=, 1);
  g_assert_cmpuint (g_hash_table_size (made_secrets), ==, 1);
  g_assert_cmpstr (g_hash_table_lookup (made_secrets, "password"), ==, "s3cret-livy-password");
  g_assert_cmpuint (engine_notifies, ==, 2);   /* to NULL, then to the engine */

  /* Made once: asking again gives the same engine. */
  sluice_fabric_session_load_engine_async (f->session, livy, NULL, got_result, &r);
  {
    g_autoptr(SluiceEngine) again = sluice_fabric_session_load_engine_finish (f->session, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_true (again == first);
  }
  g_clear_object (&r);

  /* A new password: a new engine with it, picked up by the selection. */
  edited = sluice_fabric_copy (livy);
  g_hash_table_insert (secrets, "password", "n3w-livy-password");
  made_count = 0;
  sluice_fabric_session_save_async (f->session, edited, secrets, NULL, got_result, &r);
  g_assert_true (sluice_fabric_session_save_finish (f->session, wait_for (&r), &error));
  g_assert_no_error (error);
  g_clear_object (&r);
  while (made_count == 0 || g_strcmp0 (g_hash_table_lookup (made_secrets, "password"), "n3w-livy-password") != 0 ||
         sluice_fabric_session_get_selected_engine (f->session) == NULL)
    g_main_context_iteration (NULL, TRUE);
  second = sluice_fabric_session_get_selected_engine (f->session);
  g_assert_true (second == sluice_fabric_session_get_engine (f->session, livy));
  g_assert_cmpstr (g_hash_table_lookup (made_secrets, "password"), ==, "n3w-livy-password");

  /* New settings alone (the dialog edits the store's own fabric) make a new engine too. */
  g_object_ref (second);
  sluice_fabric_set_setting (livy, "proxy_user", "etl");
  sluice_fabric_session_save_async (f->session, livy, NULL, NULL, got_result, &r);
  g_assert_true (sluice_fabric_session_save_finish (f->session, wait_for (&r), &error));
  g_assert_no_error (error);
  g_clear_object (&r);
  g_assert_true (wait_for_selected_engine (f) != second);
  g_assert_cmpstr (g_hash_table_lookup (made_secrets, "password"), ==, "n3w-livy-password");
  g_object_unref (second);

  /* Back to Local: at once. */
  sluice_fabric_session_select (f->session, local);
  g_assert_true (sluice_fabric_session_get_selected_engine (f->session) == sluice_fabric_session_get_engine (f->session, local));
  g_signal_handlers_disconnect_by_func (f->session, engine_notified_cb, NULL);
  sluice_fabric_session_set_engine_factory (f->session, NULL);
  g_clear_pointer (&made_secrets, g_hash_table_unref);
}

static void
test_engine_without_a_stored_secret (Fixture       *f,
                                     gconstpointer  data)
{
  SluiceFabric *prod = save (f, SLUICE_FABRIC_SNOWFLAKE, "Snow", "snowflake-token-123456");
  g_autoptr(GAsyncResult) r = NULL;
  g_autoptr(GError) error = NULL;

  sluice_fabric_session_set_engine_factory (f->session, recording_factory);
  /* The token goes from the keyring (behind Sluice's back): the engine is
   * made without it, and says so when used. */
  sluice_credential_store_clear_async (f->credentials, "snowflake", sluice_fabric_get_id (prod), NULL, NULL,
                                       got_result, &r);
  g_assert_true (sluice_credential_store_clear_finish (f->credentials, wait_for (&r), &error));
  g_clear_object (&r);
  sluice_fabric_session_load_engine_async (f->session, prod, NULL, got_result, &r);
  {
    g_autoptr(SluiceEngine) engine = sluice_fabric_session_load_engine_finish (f->session, wait_for (&r), &error);
    g_assert_no_error (error);
    g_assert_nonnull (engine);
  }
  g_assert_cmpuint (g_hash_table_size (made_secrets), ==, 0);
  sluice_fabric_session_set_engine_factory (f->session, NULL);
  g_clear_pointer (&made_secrets, g_hash_table_unref);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  sluice_redact_install_log_writer ();   /* after g_test_init(): it wraps its log handler */

  g_test_add ("/sluice/ui/fabric-session/save-delete-undo-with-secrets", Fixture, NULL,
              set_up, test_save_delete_undo, tear_down);
  g_test_add ("/sluice/ui/fabric-session/replace-keeps-one-item", Fixture, NULL,
              set_up, test_replace_keeps_one, tear_down);
  g_test_add ("/sluice/ui/fabric-session/bad-settings-store-nothing", Fixture, NULL,
              set_up, test_refuses_bad_settings, tear_down);
  g_test_add ("/sluice/ui/fabric-session/engine-gets-the-keyring-secrets", Fixture, NULL,
              set_up, test_engine_gets_the_secrets, tear_down);
  g_test_add ("/sluice/ui/fabric-session/engine-without-a-stored-secret", Fixture, NULL,
              set_up, test_engine_without_a_stored_secret, tear_down);
  g_test_add ("/sluice/ui/fabric-session/connection-states", Fixture, NULL,
              set_up, test_connection_states, tear_down);

  return g_test_run ();
}
