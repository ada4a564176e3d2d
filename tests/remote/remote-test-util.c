#include <glib/gstdio.h>

#include "remote-test-util.h"

#include <libsoup/soup.h>

RemoteTestServer *
remote_test_server_start (const char         *script,
                          const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  RemoteTestServer *server;

  path = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "tests", "servers", script, NULL);
  g_strv_builder_add (builder, "/usr/bin/python3");
  g_strv_builder_add (builder, path);
  if (argv)
    g_strv_builder_addv (builder, (const char **) argv);
  args = g_strv_builder_end (builder);

  server = g_new0 (RemoteTestServer, 1);
  /* The server exits when its stdin closes: when this test ends, however. */
  server->process = g_subprocess_newv ((const char * const *) args,
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "PORT "));
  server->port = (guint) g_ascii_strtoull (line + 5, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);
  server->base_url = g_strdup_printf ("%s://127.0.0.1:%u",
                                      argv && g_strv_contains (argv, "--tls") ? "https" : "http",
                                      server->port);
  return server;
}

void
remote_test_server_stop (RemoteTestServer *server)
{
  if (server == NULL)
    return;
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_object_unref (server->process);
  g_free (server->base_url);
  g_free (server);
}

/* The control API trusts a --tls server's test certificate: what is under
 * test is the client, not this helper. */
static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

JsonNode *
remote_test_server_control (RemoteTestServer *server,
                            const char       *method,
                            const char       *path,
                            const char       *json)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (server->base_url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  if (json)
    {
      g_autoptr(GBytes) body = g_bytes_new (json, strlen (json));
      soup_message_set_request_body_from_bytes (msg, "application/json", body);
    }
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  {
    /* The body is not NUL-terminated: parse it with its length. */
    g_autoptr(JsonParser) parser = json_parser_new ();
    gsize len;
    const char *text = g_bytes_get_data (answer, &len);

    json_parser_load_from_data (parser, text, (gssize) len, &error);
    g_assert_no_error (error);
    node = json_node_copy (json_parser_get_root (parser));
  }
  return node;
}

void
remote_test_server_add_faults (RemoteTestServer *server,
                               const char       *json)
{
  g_autoptr(JsonNode) node = remote_test_server_control (server, "POST", "/__faults", json);
  (void) node;
}

JsonArray *
remote_test_server_requests (RemoteTestServer *server)
{
  g_autoptr(JsonNode) node = remote_test_server_control (server, "GET", "/__requests", NULL);
  return json_array_ref (json_object_get_array_member (json_node_get_object (node), "requests"));
}

guint
remote_test_server_count (RemoteTestServer *server,
                          const char       *method,
                          const char       *path_regex)
{
  g_autoptr(JsonArray) requests = remote_test_server_requests (server);
  g_autoptr(GRegex) regex = g_regex_new (path_regex, 0, 0, NULL);
  guint n = 0;

  g_assert_nonnull (regex);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      if ((method == NULL || g_str_equal (json_object_get_string_member (r, "method"), method)) &&
          g_regex_match (regex, json_object_get_string_member (r, "path"), 0, NULL))
        n++;
    }
  return n;
}

static gboolean
timed_out_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
remote_test_wait (gboolean *done,
                  guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_true (*done);
}

void
remote_test_result_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
remote_test_wait_result (GAsyncResult **result,
                         guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timed_out_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_nonnull (*result);
  return *result;
}

gboolean
remote_test_connection (SluiceEngine  *engine,
                        GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sluice_engine_test_connection_async (engine, NULL, remote_test_result_cb, &result);
  return sluice_engine_test_connection_finish (engine, remote_test_wait_result (&result, 60000), error);
}

GListModel *
remote_test_list_compute (SluiceEngine  *engine,
                          GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sluice_engine_list_compute_async (engine, NULL, remote_test_result_cb, &result);
  return sluice_engine_list_compute_finish (engine, remote_test_wait_result (&result, 60000), error);
}

void
remote_test_write_file (const char *dir,
                        const char *relative,
                        const char *text)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

void
remote_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remote_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

SluiceEngine *
remote_test_engine_new (SluiceFabricKind  kind,
                        const char       *name,
                        const char       *secret_name,
                        const char       *secret,
                        const char       *first_key,
                        ...)
{
  g_autoptr(SluiceFabric) fabric = sluice_fabric_new (kind, name);
  g_autoptr(GHashTable) secrets = g_hash_table_new (g_str_hash, g_str_equal);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    sluice_fabric_set_setting (fabric, key, va_arg (args, const char *));
  va_end (args);
  if (secret != NULL)
    g_hash_table_insert (secrets, (gpointer) secret_name, (gpointer) secret);
  return sluice_engine_new_for_fabric (fabric, NULL, secrets);
}

typedef struct
{
  RemoteTestServer *server;       /* borrowed: the test outlives the watch */
  char             *method;
  char             *path_regex;
  GCancellable     *cancellable;  /* owned */
} CancelWatch;

static void
cancel_watch_free (CancelWatch *watch)
{
  g_free (watch->method);
  g_free (watch->path_regex);
  g_object_unref (watch->cancellable);
  g_free (watch);
}

static gboolean
cancel_watch_cb (gpointer user_data)
{
  CancelWatch *watch = user_data;

  if (remote_test_server_count (watch->server, watch->method, watch->path_regex) == 0)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (watch->cancellable);
  return G_SOURCE_REMOVE;
}

void
remote_test_cancel_on_request (RemoteTestServer *server,
                               const char       *method,
                               const char       *path_regex,
                               GCancellable     *cancellable)
{
  CancelWatch *watch = g_new0 (CancelWatch, 1);

  watch->server = server;
  watch->method = g_strdup (method);
  watch->path_regex = g_strdup (path_regex);
  watch->cancellable = g_object_ref (cancellable);
  g_timeout_add_full (G_PRIORITY_DEFAULT, 50, cancel_watch_cb, watch, (GDestroyNotify) cancel_watch_free);
}

guint
remote_test_await_count (RemoteTestServer *server,
                         const char       *method,
                         const char       *path_regex)
{
  for (guint i = 0; i < 200 && remote_test_server_count (server, method, path_regex) == 0; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  return remote_test_server_count (server, method, path_regex);
}

char *
remote_test_refused_url (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  g_socket_close (socket, NULL);
  return g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}
