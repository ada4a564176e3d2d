/* Fabrics: URL checks, settings checks, fabrics.json round trip and bad
 * files, and the engine factory. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-engine-error.h"
#include "sluice-engine.h"
#include "sluice-fabric-store.h"
#include "sluice-local-engine.h"

/* ---- URLs ---- */

static void
test_url_normalises (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "https://adb-123.4.azuredatabricks.net", "https://adb-123.4.azuredatabricks.net" },
    { "  https://adb-123.4.azuredatabricks.net/  ", "https://adb-123.4.azuredatabricks.net" },
    { "HTTPS://ADB-123.Azuredatabricks.NET/", "https://adb-123.azuredatabricks.net" },
    { "https://host.example.com:443/", "https://host.example.com" },
    { "https://host.example.com:8443/", "https://host.example.com:8443" },
    { "https://host.example.com/livy//", "https://host.example.com/livy" },
    { "https://host.example.com/Path/Kept", "https://host.example.com/Path/Kept" },
    { "http://localhost:8998", "http://localhost:8998" },
    { "http://LOCALHOST:80/", "http://localhost" },
    { "http://127.0.0.1:8998/", "http://127.0.0.1:8998" },
    { "http://127.9.9.9:1", "http://127.9.9.9:1" },
    { "http://[::1]:8998/", "http://[::1]:8998" },
    { "https://[2001:DB8::1]/", "https://[2001:db8::1]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = sluice_fabric_normalize_url (cases[i].in, &error);

      g_test_message ("%s", cases[i].in);
      g_assert_no_error (error);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

static void
test_url_rejects (void)
{
  static const struct { const char *in, *message; } cases[] = {
    { "", "is required" },
    { "   ", "is required" },
    { "adb-123.azuredatabricks.net", "is not a URL" },
    { "http://adb-123.azuredatabricks.net", "must start with https:// (plain http is only for this computer" },
    { "http://10.0.0.5:8998", "plain http is only for this computer" },
    { "ftp://host.example.com", "must start with https://" },
    { "https://alice:hunter2hunter2@host.example.com", "must not contain a user name or password" },
    { "https://adb-1.azuredatabricks.net/?o=123", "without “?…” or “#…”" },
    { "https://adb-1.azuredatabricks.net/#job/1", "without “?…” or “#…”" },
    { "https://", "is not a URL" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *out = sluice_fabric_normalize_url (cases[i].in, &error);

      g_test_message ("%s", cases[i].in);
      g_assert_null (out);
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, cases[i].message));
      /* Never the URL itself: it may carry a password. */
      g_assert_null (strstr (error->message, "hunter2"));
    }
}

/* ---- fabrics ---- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *n)
{
  (*n)++;
}

static void
count_changed (SluiceFabric *fabric,
               guint        *n)
{
  (*n)++;
}

static void
count_items (GListModel *model,
             guint       position,
             guint       removed,
             guint       added,
             guint      *n)
{
  *n += added;
}

static void
test_fabric_properties (void)
{
  SluiceFabric *fabric = sluice_fabric_new (SLUICE_FABRIC_DATABRICKS, "Prod");
  guint names = 0, states = 0, changed = 0;

  g_signal_connect (fabric, "notify::name", G_CALLBACK (count_notify), &names);
  g_signal_connect (fabric, "notify::state", G_CALLBACK (count_notify), &states);
  g_signal_connect (fabric, "changed", G_CALLBACK (count_changed), &changed);

  g_assert_cmpuint (strlen (sluice_fabric_get_id (fabric)), ==, 36);
  g_assert_cmpstr (sluice_fabric_get_setting (fabric, "cluster"), ==, "existing");
  g_assert_cmpstr (sluice_fabric_get_setting (fabric, "workers"), ==, "2");

  sluice_fabric_set_name (fabric, "Prod");
  g_assert_cmpuint (names, ==, 0);
  sluice_fabric_set_name (fabric, "Production");
  g_assert_cmpuint (names, ==, 1);

  sluice_fabric_set_state (fabric, SLUICE_FABRIC_STATE_TESTING, NULL);
  sluice_fabric_set_state (fabric, SLUICE_FABRIC_STATE_TESTING, NULL);
  g_assert_cmpuint (states, ==, 1);

  sluice_fabric_set_setting (fabric, "url", "https://x.example.com");
  sluice_fabric_set_setting (fabric, "url", "https://x.example.com");
  g_assert_cmpuint (changed, ==, 1);
  sluice_fabric_set_setting (fabric, "url", "");
  g_assert_null (sluice_fabric_get_setting (fabric, "url"));

  g_assert_finalize_object (fabric);
}

static void
test_fabric_check (void)
{
  g_autoptr(SluiceFabric) fabric = sluice_fabric_new (SLUICE_FABRIC_DATABRICKS, "Prod");
  g_autoptr(GError) error = NULL;
  const SluiceFabricField *fields;
  guint n;

  g_assert_false (sluice_fabric_check (fabric, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Workspace URL: is required");
  g_clear_error (&error);

  sluice_fabric_set_setting (fabric, "url", "HTTPS://Adb-1.azuredatabricks.net:443/");
  g_assert_false (sluice_fabric_check (fabric, &error));
  g_assert_cmpstr (error->message, ==, "Cluster ID: is required");
  g_clear_error (&error);
  /* Normalised in place by the check. */
  g_assert_cmpstr (sluice_fabric_get_setting (fabric, "url"), ==, "https://adb-1.azuredatabricks.net");

  sluice_fabric_set_setting (fabric, "cluster_id", "0101-123456-abc");
  g_assert_true (sluice_fabric_check (fabric, &error));
  g_assert_no_error (error);

  /* A new cluster's fields apply only once "new" is chosen. */
  fields = sluice_fabric_kind_get_fields (SLUICE_FABRIC_DATABRICKS, &n);
  g_assert_cmpuint (n, ==, 9);
  g_assert_false (sluice_fabric_field_applies (fabric, &fields[4]));   /* node_type */
  sluice_fabric_set_setting (fabric, "cluster", "new");
  g_assert_true (sluice_fabric_field_applies (fabric, &fields[4]));
  g_assert_false (sluice_fabric_check (fabric, &error));
  g_assert_cmpstr (error->message, ==, "Node type: is required");
  g_clear_error (&error);
  sluice_fabric_set_setting (fabric, "node_type", "i3.xlarge");
  sluice_fabric_set_setting (fabric, "workers", "-1");
  g_assert_false (sluice_fabric_check (fabric, &error));
  g_assert_cmpstr (error->message, ==, "Workers: must be a whole number from 0 to 1000");
  g_clear_error (&error);
  sluice_fabric_set_setting (fabric, "workers", "4");
  sluice_fabric_set_setting (fabric, "cluster", "huge");
  g_assert_false (sluice_fabric_check (fabric, &error));
  g_assert_cmpstr (error->message, ==, "Cluster: “huge” is not one of existing, new");
  g_clear_error (&error);

  sluice_fabric_set_name (fabric, "  ");
  g_assert_false (sluice_fabric_check (fabric, &error));
  g_assert_cmpstr (error->message, ==, "Name: is required");
}

static void
test_secret_fields (void)
{
  /* Every remote kind names its secrets, so the keyring has a field for them. */
  for (SluiceFabricKind kind = SLUICE_FABRIC_DATABRICKS; kind < SLUICE_FABRIC_N_KINDS; kind++)
    {
      guint n, secrets = 0;
      const SluiceFabricField *fields = sluice_fabric_kind_get_fields (kind, &n);

      for (guint i = 0; i < n; i++)
        secrets += fields[i].type == SLUICE_FABRIC_FIELD_SECRET;
      g_assert_cmpuint (secrets, ==, 1);
    }
}

static void
test_ca_file_is_checked (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sluice-ca-XXXXXX", &error);
  g_autofree char *pem = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (pem, "-----BEGIN CERTIFICATE-----\n", -1, &error));

  /* Every remote kind has the optional field. */
  for (SluiceFabricKind kind = SLUICE_FABRIC_DATABRICKS; kind < SLUICE_FABRIC_N_KINDS; kind++)
    {
      guint n, found = 0;
      const SluiceFabricField *fields = sluice_fabric_kind_get_fields (kind, &n);

      for (guint i = 0; i < n; i++)
        if (g_str_equal (fields[i].key, "ca_file"))
          {
            found++;
            g_assert_cmpint (fields[i].type, ==, SLUICE_FABRIC_FIELD_TEXT);
            g_assert_false (fields[i].required);
            g_assert_cmpstr (fields[i].title, ==, "Custom CA file");
            g_assert_cmpstr (fields[i].hint, ==, "/etc/ssl/private-ca.pem");
          }
      g_assert_cmpuint (found, ==, 1);
    }

  {
    g_autoptr(SluiceFabric) fabric = sluice_fabric_new (SLUICE_FABRIC_LIVY, "Livy");

    sluice_fabric_set_setting (fabric, "url", "https://livy.example.com:8998");
    g_assert_true (sluice_fabric_check (fabric, &error));
    g_assert_no_error (error);

    sluice_fabric_set_setting (fabric, "ca_file", missing);
    g_assert_false (sluice_fabric_check (fabric, &error));
    g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
    expected = g_strdup_printf ("Custom CA file: %s does not exist", missing);
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);
    g_clear_pointer (&expected, g_free);

    sluice_fabric_set_setting (fabric, "ca_file", dir);
    g_assert_false (sluice_fabric_check (fabric, &error));
    expected = g_strdup_printf ("Custom CA file: %s is not a file Sluice can read", dir);
    g_assert_cmpstr (error->message, ==, expected);
    g_clear_error (&error);

    sluice_fabric_set_setting (fabric, "ca_file", "ca.pem");
    g_assert_false (sluice_fabric_check (fabric, &error));
    g_assert_cmpstr (error->message, ==, "Custom CA file: must be a full path, like /etc/ssl/private-ca.pem");
    g_clear_error (&error);

    sluice_fabric_set_setting (fabric, "ca_file", pem);
    g_assert_true (sluice_fabric_check (fabric, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (sluice_fabric_get_setting (fabric, "ca_file"), ==, pem);
  }

  g_unlink (pem);
  g_rmdir (dir);
}

/* ---- fabrics.json ---- */

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sluice-fabrics-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sluice", "fabrics.json", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = NULL;
  g_autofree char *sub = g_build_filename (f->dir, "sluice", NULL);
  const char *name;

  dir = g_dir_open (sub, 0, NULL);
  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *p = g_build_filename (sub, name, NULL);
      g_unlink (p);
    }
  g_rmdir (sub);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0700);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static char *
read_text (const char *path)
{
  char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static void
test_store_missing_file (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SluiceFabricStore) store = sluice_fabric_store_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceFabric) local = NULL;

  g_assert_true (sluice_fabric_store_load (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  local = g_list_model_get_item (G_LIST_MODEL (store), 0);
  g_assert_true (sluice_fabric_is_local (local));
  g_assert_cmpstr (sluice_fabric_get_id (local), ==, "local");
  g_assert_true (sluice_fabric_store_lookup_by_name (store, "local") == local);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

static const char round_trip[] =
  "{\n"
  "  \"format_version\": 1,\n"
  "  \"fabrics\": [\n"
  "    {\n"
  "      \"id\": \"5b0c3c9e-7d33-4d7e-9f55-8f8a7f0e0001\",\n"
  "      \"name\": \"Prod workspace\",\n"
  "      \"kind\": \"databricks\",\n"
  "      \"url\": \"https://adb-1.azuredatabricks.net\",\n"
  "      \"cluster\": \"new\",\n"
  "      \"spark_version\": \"14.3.x-scala2.12\",\n"
  "      \"node_type\": \"i3.xlarge\",\n"
  "      \"workers\": 4,\n"
  "      \"autotermination_minutes\": 30,\n"
  "      \"x_future_setting\": {\n"
  "        \"kept\": true\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"5b0c3c9e-7d33-4d7e-9f55-8f8a7f0e0002\",\n"
  "      \"name\": \"Warehouse\",\n"
  "      \"kind\": \"databricks-sql\",\n"
  "      \"url\": \"https://dbc-1.cloud.databricks.com\",\n"
  "      \"warehouse_id\": \"abcdef0123456789\"\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"5b0c3c9e-7d33-4d7e-9f55-8f8a7f0e0003\",\n"
  "      \"name\": \"Livy on this machine\",\n"
  "      \"kind\": \"livy\",\n"
  "      \"url\": \"http://127.0.0.1:8998\",\n"
  "      \"auth\": \"basic\",\n"
  "      \"user\": \"analyst\",\n"
  "      \"proxy_user\": \"etl\"\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"5b0c3c9e-7d33-4d7e-9f55-8f8a7f0e0004\",\n"
  "      \"name\": \"Snow\",\n"
  "      \"kind\": \"snowflake\",\n"
  "      \"url\": \"https://myorg-acct.snowflakecomputing.com\",\n"
  "      \"warehouse\": \"COMPUTE_WH\",\n"
  "      \"database\": \"ANALYTICS\",\n"
  "      \"schema\": \"PUBLIC\",\n"
  "      \"role\": \"ANALYST\",\n"
  "      \"user\": \"alice\",\n"
  "      \"token_type\": \"oauth\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
test_store_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SluiceFabricStore) store = sluice_fabric_store_new (f->path);
  g_autoptr(SluiceFabricStore) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  SluiceFabric *livy;

  write_text (f->path, round_trip);
  g_assert_true (sluice_fabric_store_load (store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 5);
  livy = sluice_fabric_store_lookup_by_name (store, "livy ON this machine");
  g_assert_nonnull (livy);
  g_assert_cmpint (sluice_fabric_get_kind (livy), ==, SLUICE_FABRIC_LIVY);
  g_assert_cmpstr (sluice_fabric_get_setting (livy, "proxy_user"), ==, "etl");

  /* Byte for byte, the unknown member included. */
  bytes = sluice_fabric_store_to_bytes (store);
  g_assert_cmpstr (g_bytes_get_data (bytes, NULL), ==, round_trip);
  g_assert_true (sluice_fabric_store_save (store, NULL, &error));
  g_assert_no_error (error);
  text = read_text (f->path);
  g_assert_cmpstr (text, ==, round_trip);

  /* Edits survive a save and a load. */
  sluice_fabric_set_setting (livy, "proxy_user", NULL);
  sluice_fabric_store_remove (store, sluice_fabric_store_lookup_by_name (store, "Warehouse"));
  g_assert_true (sluice_fabric_store_save (store, NULL, &error));
  again = sluice_fabric_store_new (f->path);
  g_assert_true (sluice_fabric_store_load (again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);
  g_assert_null (sluice_fabric_store_lookup_by_name (again, "Warehouse"));
  g_assert_null (sluice_fabric_get_setting (sluice_fabric_store_lookup_by_name (again, "Livy on this machine"),
                                            "proxy_user"));
}

static void
test_store_names (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SluiceFabricStore) store = sluice_fabric_store_new (f->path);
  g_autoptr(SluiceFabric) a = sluice_fabric_new (SLUICE_FABRIC_SNOWFLAKE, "Snow");
  g_autoptr(SluiceFabric) b = sluice_fabric_new (SLUICE_FABRIC_SNOWFLAKE, "Other");
  g_autoptr(GError) error = NULL;
  guint added = 0;

  g_signal_connect (store, "items-changed", G_CALLBACK (count_items), &added);
  sluice_fabric_store_insert (store, -1, a);
  sluice_fabric_store_insert (store, 0, b);   /* never before Local */
  g_assert_cmpuint (added, ==, 2);
  g_assert_true (g_list_model_get_item (G_LIST_MODEL (store), 2) == (gpointer) b);
  g_object_unref (b);

  g_assert_true (sluice_fabric_store_check_name (store, a, "Snow", &error));
  g_assert_false (sluice_fabric_store_check_name (store, b, "SNOW", &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Name: another fabric is called “Snow”");
  g_clear_error (&error);
  g_assert_false (sluice_fabric_store_check_name (store, NULL, "local", &error));
  g_clear_error (&error);
  g_assert_false (sluice_fabric_store_check_name (store, NULL, "", &error));
  g_assert_cmpstr (error->message, ==, "Name: is required");
  g_clear_error (&error);

  g_assert_cmpuint (sluice_fabric_store_remove (store, a), ==, 1);
  g_assert_null (sluice_fabric_store_lookup (store, sluice_fabric_get_id (a)));
}

static void
test_store_bad_files (Fixture       *f,
                      gconstpointer  data)
{
  static const struct { const char *text, *message; } cases[] = {
    { "{\n  \"format_version\": 1,\n  \"fabrics\": [\n    {\"id\": \"a\",\n", ":4:5: unterminated object" },
    { "[]\n", ":1:1: the file must hold an object" },
    { "{\"fabrics\": []}\n", ":1:1: “format_version” is missing" },
    { "{\"format_version\": \"1\"}\n", ":1:20: “format_version” must be a whole number" },
    { "{\"format_version\": 2,\n \"fabrics\": []}\n", ":1:20: written by a newer Sluice (format_version 2; this one reads 1)" },
    { "{\"format_version\": 1,\n \"fabrics\": {}}\n", ":2:13: “fabrics” must be an array" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"databrick\"}]}\n",
      ":2:36: unknown fabric kind “databrick”" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"local\"}]}\n",
      ":2:36: the Local fabric is built in" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"kind\": \"livy\", \"url\": \"https://l.example.com\"}]}\n",
      ":2:3: “name” is missing" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"databricks-sql\", \"url\": \"https://d.example.com\",\n"
      "   \"warehouse_id\": \"w\", \"token\": \"dapi0123456789abcdef0123456789abcdef\"}]}\n",
      ":3:34: “token” is a secret: it belongs in the keyring, not in this file" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"livy\", \"url\": \"http://livy.example.com\"}]}\n",
      ":2:3: fabric “X”: Livy URL: must start with https://" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"databricks\", \"url\": \"https://d.example.com\",\n"
      "   \"cluster\": \"new\", \"node_type\": \"n\", \"spark_version\": \"s\", \"workers\": \"2\",\n"
      "   \"autotermination_minutes\": 10}]}\n",
      ":3:73: “workers” must be a whole number" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"livy\", \"url\": \"https://l.example.com\"},\n"
      "  {\"id\": \"b\", \"name\": \"x\", \"kind\": \"livy\", \"url\": \"https://m.example.com\"}]}\n",
      ":3:23: another fabric is named “x”" },
    { "{\"format_version\": 1, \"fabrics\": [\n"
      "  {\"id\": \"a\", \"name\": \"X\", \"kind\": \"livy\", \"url\": \"https://l.example.com\"},\n"
      "  {\"id\": \"a\", \"name\": \"Y\", \"kind\": \"livy\", \"url\": \"https://m.example.com\"}]}\n",
      ":3:10: another fabric has the id “a”" },
    { "{\"format_version\": 1, \"format_version\": 1}\n", ":1:" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SluiceFabricStore) store = sluice_fabric_store_new (f->path);
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strconcat (f->path, cases[i].message, NULL);
      g_autofree char *after = NULL;
      g_autofree char *moved = NULL;
      g_autofree char *moved_text = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      write_text (f->path, cases[i].text);
      g_assert_false (sluice_fabric_store_load (store, NULL, &error));
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
      g_test_message ("%s", error->message);
      g_assert_true (g_str_has_prefix (error->message, expected));
      /* A secret in the file is never repeated in the message. */
      g_assert_null (strstr (error->message, "dapi"));
      g_assert_nonnull (sluice_fabric_store_get_load_error (store));
      g_assert_cmpstr (sluice_fabric_store_get_load_error (store)->message, ==, error->message);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
      g_clear_error (&error);

      /* Not overwritten: saving refuses and the file is as it was. */
      g_assert_false (sluice_fabric_store_save (store, NULL, &error));
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
      g_assert_nonnull (strstr (error->message, "is not overwritten"));
      g_clear_error (&error);
      after = read_text (f->path);
      g_assert_cmpstr (after, ==, cases[i].text);

      /* Until the user sets it aside. */
      moved = sluice_fabric_store_set_aside (store, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (moved + strlen (f->path), ==, ".broken");
      g_assert_null (sluice_fabric_store_get_load_error (store));
      moved_text = read_text (moved);
      g_assert_cmpstr (moved_text, ==, cases[i].text);
      g_assert_true (sluice_fabric_store_save (store, NULL, &error));
      g_assert_no_error (error);
      g_unlink (moved);
    }
}

static void
loaded_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_store_async (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(SluiceFabricStore) store = sluice_fabric_store_new (f->path);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint notified = 0;

  write_text (f->path, "{\"format_version\": 1, \"fabrics\": 3}");
  g_signal_connect (store, "notify::load-error", G_CALLBACK (count_notify), &notified);
  sluice_fabric_store_load_async (store, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (sluice_fabric_store_load_finish (store, result, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpuint (notified, ==, 1);
  g_clear_object (&result);
  g_clear_error (&error);

  write_text (f->path, round_trip);
  sluice_fabric_store_load_async (store, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sluice_fabric_store_load_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 5);
  g_clear_object (&result);

  sluice_fabric_store_save_async (store, NULL, loaded_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (sluice_fabric_store_save_finish (store, result, &error));
  g_assert_no_error (error);
}

/* ---- the engine factory ---- */

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_factory (void)
{
  g_autoptr(SluiceFabric) local = sluice_fabric_new_local ();
  g_autoptr(SluiceEngine) engine = sluice_engine_new_for_fabric (local, NULL, NULL);

  g_assert_true (SLUICE_IS_LOCAL_ENGINE (engine));

  for (SluiceFabricKind kind = SLUICE_FABRIC_DATABRICKS; kind < SLUICE_FABRIC_N_KINDS; kind++)
    {
      g_autoptr(SluiceFabric) fabric = sluice_fabric_new (kind, "x");
      g_autoptr(SluiceEngine) remote = sluice_engine_new_for_fabric (fabric, NULL, NULL);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      /* Every remote kind has an engine (tests/remote/); a fabric without
       * a URL fails saying so, before any request. */
      g_assert_cmpuint (sluice_engine_get_capabilities (remote) & SLUICE_ENGINE_CAN_TEST_CONNECTION, !=, 0);
      g_assert_cmpuint (sluice_engine_get_capabilities (remote) & SLUICE_ENGINE_CAN_RUN_PIPELINE, !=, 0);
      if (kind == SLUICE_FABRIC_DATABRICKS_SQL)
        g_assert_cmpuint (sluice_engine_get_capabilities (remote), ==,
                          SLUICE_ENGINE_CAN_TEST_CONNECTION | SLUICE_ENGINE_CAN_LIST_COMPUTE |
                          SLUICE_ENGINE_CAN_RUN_PIPELINE | SLUICE_ENGINE_CAN_RUN_SQL);
      sluice_engine_test_connection_async (remote, NULL, tested_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (sluice_engine_test_connection_finish (remote, result, &error));
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
      g_assert_true (g_str_has_prefix (error->message, "x: the fabric has no "));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/engines/fabric/url-is-normalised", test_url_normalises);
  g_test_add_func ("/sluice/engines/fabric/url-is-refused-with-a-reason", test_url_rejects);
  g_test_add_func ("/sluice/engines/fabric/properties-notify-on-change", test_fabric_properties);
  g_test_add_func ("/sluice/engines/fabric/check-names-the-field", test_fabric_check);
  g_test_add_func ("/sluice/engines/fabric/every-remote-kind-has-a-secret", test_secret_fields);
  g_test_add_func ("/sluice/engines/fabric/ca-file-is-checked", test_ca_file_is_checked);
  g_test_add ("/sluice/engines/fabric-store/a-missing-file-is-local-only", Fixture, NULL,
              fixture_set_up, test_store_missing_file, fixture_tear_down);
  g_test_add ("/sluice/engines/fabric-store/round-trips-byte-for-byte", Fixture, NULL,
              fixture_set_up, test_store_round_trip, fixture_tear_down);
  g_test_add ("/sluice/engines/fabric-store/names-are-unique", Fixture, NULL,
              fixture_set_up, test_store_names, fixture_tear_down);
  g_test_add ("/sluice/engines/fabric-store/bad-file-is-named-and-kept", Fixture, NULL,
              fixture_set_up, test_store_bad_files, fixture_tear_down);
  g_test_add ("/sluice/engines/fabric-store/loads-and-saves-async", Fixture, NULL,
              fixture_set_up, test_store_async, fixture_tear_down);
  g_test_add_func ("/sluice/engines/fabric/factory-says-what-is-not-available", test_factory);

  return g_test_run ();
}
