/* SluiceHttpClient against tests/servers/echo-server.py: answers, the
 * fault matrix (429, 503, 500, 401, resets, truncation, HTML, slow
 * headers, refused connections), retries and their budget, idempotency,
 * cancellation, auth headers, TLS with a custom CA, and redaction. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "remote-test-util.h"
#include "sluice-engine.h"
#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

#define FABRIC "Test fabric"
#define TOKEN  "dapi0123456789abcdef0123"

typedef struct
{
  gboolean            done;
  SluiceHttpResponse *response;
  GError             *error;
} Result;

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->response, sluice_http_response_free);
  g_clear_error (&result->error);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Result, result_clear)

static void
request_done_cb (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Result *result = user_data;

  result->response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), res, &result->error);
  g_assert_true ((result->response == NULL) != (result->error == NULL));
  result->done = TRUE;
}

/* Runs one request to its end; returns how long it took in ms. */
static gint64
run_full (SluiceHttpClient *client,
          const char       *method,
          const char       *path,
          const char       *json,
          SluiceHttpFlags   flags,
          const guint      *accept,
          GCancellable     *cancellable,
          Result           *result)
{
  g_autoptr(JsonNode) body = NULL;
  gint64 start = g_get_monotonic_time ();

  if (json != NULL)
    {
      g_autoptr(GError) error = NULL;
      body = json_from_string (json, &error);
      g_assert_no_error (error);
    }
  sluice_http_client_request_async (client, method, path, body, flags, accept, cancellable,
                                    request_done_cb, result);
  remote_test_wait (&result->done, 30000);
  return (g_get_monotonic_time () - start) / 1000;
}

static gint64
run (SluiceHttpClient *client,
     const char       *method,
     const char       *path,
     const char       *json,
     SluiceHttpFlags   flags,
     Result           *result)
{
  return run_full (client, method, path, json, flags, NULL, NULL, result);
}

static SluiceHttpClient *
client_for (RemoteTestServer *server)
{
  g_autoptr(GError) error = NULL;
  SluiceHttpClient *client = sluice_http_client_new (FABRIC, server->base_url, &error);

  g_assert_no_error (error);
  sluice_http_client_set_retry_budget (client, 10);
  return client;
}

static RemoteTestServer *
echo_server (void)
{
  return remote_test_server_start ("echo-server.py", NULL);
}

static void
assert_names_fabric (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, FABRIC));
  g_assert_null (strstr (error->message, TOKEN));
}

static JsonObject *
body_object (SluiceHttpResponse *response)
{
  g_assert_nonnull (response);
  g_assert_nonnull (response->body);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (response->body));
  return json_node_get_object (response->body);
}

/* ---- answers ---- */

static void
test_get_returns_json_and_sends_headers (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  JsonObject *headers, *query;

  g_assert_cmpstr (sluice_http_client_get_fabric_name (client), ==, FABRIC);
  g_assert_cmpstr (sluice_http_client_get_base_url (client), ==, server->base_url);
  sluice_http_client_set_bearer_token (client, TOKEN);
  sluice_http_client_set_header (client, "X-Requested-By", "sluice");
  sluice_http_client_set_header (client, "X-Dropped", "soon");
  sluice_http_client_set_header (client, "X-Dropped", NULL);
  run (client, "GET", "/echo/a?name=x%20y", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.response->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (body_object (result.response), "path"), ==, "/echo/a");
  query = json_object_get_object_member (body_object (result.response), "query");
  g_assert_cmpstr (json_object_get_string_member (query, "name"), ==, "x y");
  headers = json_object_get_object_member (body_object (result.response), "headers");
  g_assert_cmpstr (json_object_get_string_member (headers, "authorization"), ==, "Bearer " TOKEN);
  g_assert_cmpstr (json_object_get_string_member (headers, "x-requested-by"), ==, "sluice");
  g_assert_cmpstr (json_object_get_string_member (headers, "accept"), ==, "application/json");
  g_assert_false (json_object_has_member (headers, "x-dropped"));
  g_assert_cmpstr (g_hash_table_lookup (result.response->headers, "content-type"), ==, "application/json");
  g_assert_cmpuint (g_bytes_get_size (result.response->raw), >, 0);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_post_sends_json_and_basic_auth (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  g_autofree char *expected = g_strconcat ("Basic ", "YWxpY2U6cyNjcmV0LXBhc3M=", NULL);
  JsonObject *object;

  sluice_http_client_set_basic_auth (client, "alice", "s#cret-pass");
  run (client, "post", "/echo", "{\"kind\": \"pyspark\", \"n\": 3}", SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  object = body_object (result.response);
  g_assert_cmpstr (json_object_get_string_member (object, "method"), ==, "POST");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "headers"),
                                                  "authorization"), ==, expected);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "headers"),
                                                  "content-type"), ==, "application/json");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "body"), "n"), ==, 3);
}

static void
test_gzip_empty_and_large_bodies (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) gz = { 0, };
  g_auto(Result) empty = { 0, };
  g_auto(Result) big = { 0, };
  JsonArray *items;

  run (client, "GET", "/gzip", NULL, SLUICE_HTTP_NONE, &gz);
  g_assert_no_error (gz.error);
  g_assert_true (json_object_get_boolean_member (body_object (gz.response), "compressed"));

  run (client, "GET", "/empty", NULL, SLUICE_HTTP_NONE, &empty);
  g_assert_no_error (empty.error);
  g_assert_cmpuint (empty.response->status, ==, 204);
  g_assert_null (empty.response->body);

  run (client, "GET", "/big?n=300000", NULL, SLUICE_HTTP_NONE, &big);
  g_assert_no_error (big.error);
  items = json_object_get_array_member (body_object (big.response), "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 300000);
  g_assert_cmpint (json_array_get_int_element (items, 299999), ==, 299999);
}

static void
test_accepted_status_is_an_answer (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  static const guint accept[] = { 422, 408, 0 };

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 422, \"body\": "
    "{\"code\": \"000904\", \"message\": \"SQL compilation error\", \"statementHandle\": \"01\"}}");
  run_full (client, "POST", "/echo", "{}", SLUICE_HTTP_NONE, accept, NULL, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (result.response->status, ==, 422);
  g_assert_cmpstr (json_object_get_string_member (body_object (result.response), "code"), ==, "000904");
}

/* ---- retries ---- */

static void
test_429_with_retry_after_waits_then_succeeds (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  gint64 ms;

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 429, \"times\": 2,"
    " \"headers\": {\"Retry-After\": \"1\"},"
    " \"body\": {\"error_code\": \"TOO_MANY_REQUESTS\", \"message\": \"errorMessage\"}}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 3);
  g_assert_cmpint (ms, >=, 2000);
  g_assert_cmpint (ms, <, 4000);
}

static void
test_429_retry_after_as_http_date (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 3);
  g_autofree char *date = soup_date_time_to_string (later, SOUP_DATE_HTTP);
  g_autofree char *fault = g_strdup_printf (
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 429,"
    " \"headers\": {\"Retry-After\": \"%s\"}, \"body\": {\"message\": \"slow down\"}}", date);
  gint64 ms;

  remote_test_server_add_faults (server, fault);
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 2);
  /* the date has whole seconds: 2 to 3 s from now */
  g_assert_cmpint (ms, >=, 1900);
  g_assert_cmpint (ms, <, 4000);
}

static void
test_429_without_retry_after_backs_off (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  gint64 ms;

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 429, \"times\": 2,"
    " \"body\": {\"code\": \"390505\", \"message\": \"Too many requests.\"}}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 3);
  /* 1 s then 2 s, each with up to 20 % jitter */
  g_assert_cmpint (ms, >=, 3000);
  g_assert_cmpint (ms, <, 3600 + 1000);
}

static void
test_429_until_the_budget_runs_out (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  gint64 ms;

  sluice_http_client_set_retry_budget (client, 3);
  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 429, \"times\": 0,"
    " \"headers\": {\"Retry-After\": \"1\"},"
    " \"body\": {\"error_code\": \"REQUEST_LIMIT_EXCEEDED\", \"message\": \"Too many requests\"}}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_RATE_LIMITED);
  assert_names_fabric (result.error);
  g_assert_nonnull (strstr (result.error->message, "REQUEST_LIMIT_EXCEEDED, HTTP 429"));
  g_assert_nonnull (strstr (result.error->message, "try again"));
  /* attempts at 0, 1 and 2 s; the next would start past the 3 s budget */
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 3);
  g_assert_cmpint (ms, >=, 2000);
  g_assert_cmpint (ms, <, 3000);
}

static void
test_retry_after_beyond_the_budget_gives_up_at_once (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  gint64 ms;

  sluice_http_client_set_retry_budget (client, 5);
  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 503, \"times\": 0,"
    " \"headers\": {\"Retry-After\": \"100\"}}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  assert_names_fabric (result.error);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
  g_assert_cmpint (ms, <, 1000);
}

static void
test_503_is_retried (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  g_auto(Result) failed = { 0, };

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 503, \"headers\": {\"Retry-After\": \"1\"},"
    " \"body\": {\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"Service temporarily unavailable\"}}");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 2);

  sluice_http_client_set_retry_budget (client, 2);
  json_node_unref (remote_test_server_control (server, "DELETE", "/__requests", NULL));
  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 503, \"times\": 0, \"headers\": {\"Retry-After\": \"1\"},"
    " \"body\": {\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"Service temporarily unavailable\"}}");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &failed);
  g_assert_error (failed.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  assert_names_fabric (failed.error);
  g_assert_cmpstr (failed.error->message, ==,
                   FABRIC " is unavailable: Service temporarily unavailable (TEMPORARILY_UNAVAILABLE, HTTP 503). "
                   "The service has trouble; try again later.");
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 2);
}

static void
test_500_is_not_retried (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 500,"
    " \"body\": {\"msg\": \"java.lang.IllegalStateException: Session is in state starting\"}}");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER);
  g_assert_cmpstr (result.error->message, ==,
                   FABRIC ": java.lang.IllegalStateException: Session is in state starting (HTTP 500). "
                   "The service has trouble; try again later.");
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
}

static void
test_401_and_403_ask_for_the_token (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) r401 = { 0, };
  g_auto(Result) r403 = { 0, };
  g_auto(Result) html = { 0, };

  sluice_http_client_set_bearer_token (client, TOKEN);
  remote_test_server_add_faults (server,
    "[{\"path\": \"^/echo/1\", \"action\": \"status\", \"status\": 401,"
    "  \"body\": {\"error_code\": 401, \"message\": \"Credential was not sent or was of an unsupported type for this API.\"}},"
    " {\"path\": \"^/echo/2\", \"action\": \"status\", \"status\": 403,"
    "  \"headers\": {\"X-Databricks-Reason-Phrase\": \"Invalid access token.\"}},"
    " {\"path\": \"^/echo/3\", \"action\": \"html\", \"status\": 403, \"message\": \"Invalid access token.\"}]");
  run (client, "GET", "/echo/1", NULL, SLUICE_HTTP_NONE, &r401);
  g_assert_error (r401.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (r401.error->message, ==,
                   FABRIC ": Credential was not sent or was of an unsupported type for this API (HTTP 401). "
                   "Check the token in the fabric's settings.");
  run (client, "GET", "/echo/2", NULL, SLUICE_HTTP_NONE, &r403);
  g_assert_error (r403.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (r403.error->message, ==,
                   FABRIC ": Invalid access token (HTTP 403). Check the token in the fabric's settings.");
  run (client, "GET", "/echo/3", NULL, SLUICE_HTTP_NONE, &html);
  g_assert_error (html.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_cmpstr (html.error->message, ==,
                   FABRIC ": Invalid access token (HTTP 403). Check the token in the fabric's settings.");
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 3);
}

static void
test_error_bodies_are_read (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  static const struct {
    const char *fault;
    gint        code;
    const char *message;
  } cases[] = {
    { "{\"action\": \"status\", \"status\": 404, \"body\": {\"msg\": \"Session '7' not found.\"}}",
      SLUICE_HTTP_ERROR_NOT_FOUND,
      FABRIC ": Session '7' not found (HTTP 404). Check the fabric's URL in its settings, or whether the thing was deleted." },
    { "{\"action\": \"status\", \"status\": 400, \"body\": {\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Cluster abc does not exist\"}}",
      SLUICE_HTTP_ERROR_NOT_FOUND, FABRIC ": Cluster abc does not exist (INVALID_PARAMETER_VALUE, HTTP 400)." },
    { "{\"action\": \"status\", \"status\": 400, \"body\": {\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"Missing required field: job_id\"}}",
      SLUICE_HTTP_ERROR_REQUEST, FABRIC ": Missing required field: job_id (INVALID_PARAMETER_VALUE, HTTP 400)." },
    { "{\"action\": \"status\", \"status\": 401, \"body\": {\"code\": \"390303\", \"message\": \"Invalid OAuth access token. \"}}",
      SLUICE_HTTP_ERROR_UNAUTHORIZED, FABRIC ": Invalid OAuth access token (390303, HTTP 401). Check the token in the fabric's settings." },
    { "{\"action\": \"status\", \"status\": 409, \"body\": {\"error_code\": \"RESOURCE_ALREADY_EXISTS\", \"message\": \"Path (/x) already exists.\"}}",
      SLUICE_HTTP_ERROR_CONFLICT, FABRIC ": Path (/x) already exists (RESOURCE_ALREADY_EXISTS, HTTP 409). Something else changed it at the same time; try again." },
    { "{\"action\": \"status\", \"status\": 400, \"body\": {\"error\": \"Legacy 1.2 failure\"}}",
      SLUICE_HTTP_ERROR_REQUEST, FABRIC ": Legacy 1.2 failure (HTTP 400)." },
    { "{\"action\": \"status\", \"status\": 400, \"body\": \"MALFORMED_REQUEST: bad thing\\nsecond line\"}",
      SLUICE_HTTP_ERROR_REQUEST, FABRIC ": MALFORMED_REQUEST: bad thing (HTTP 400)." },
    { "{\"action\": \"status\", \"status\": 405}",
      SLUICE_HTTP_ERROR_REQUEST, FABRIC ": Method Not Allowed (HTTP 405)." },
    { "{\"action\": \"html\", \"status\": 502, \"message\": \"upstream &amp; friends\"}",
      SLUICE_HTTP_ERROR_SERVER, FABRIC ": upstream & friends (HTTP 502). The service has trouble; try again later." },
    { "{\"action\": \"status\", \"status\": 504, \"headers\": {\"Content-Type\": \"text/html\"},"
      " \"body\": \"<html><head><title>504 Gateway Time-out</title></head><body><h1>504</h1></body></html>\"}",
      SLUICE_HTTP_ERROR_SERVER, FABRIC ": 504 Gateway Time-out (HTTP 504). The service has trouble; try again later." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Result) result = { 0, };

      remote_test_server_add_faults (server, cases[i].fault);
      run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
      g_assert_error (result.error, SLUICE_HTTP_ERROR, cases[i].code);
      g_assert_cmpstr (result.error->message, ==, cases[i].message);
    }
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, G_N_ELEMENTS (cases));
}

static char *
custom_reader (guint       status,
               JsonNode   *body,
               const char *raw_text)
{
  if (status == 400 && body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    return g_strdup_printf ("the service says %s",
                            json_object_get_string_member (json_node_get_object (body), "why"));
  return NULL;
}

static void
test_custom_error_reader (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) custom = { 0, };
  g_auto(Result) fallback = { 0, };

  sluice_http_client_set_error_reader (client, custom_reader);
  remote_test_server_add_faults (server,
    "[{\"action\": \"status\", \"status\": 400, \"body\": {\"why\": \"no\"}},"
    " {\"action\": \"status\", \"status\": 500, \"body\": {\"message\": \"generic\"}}]");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &custom);
  g_assert_error (custom.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_REQUEST);
  g_assert_cmpstr (custom.error->message, ==, FABRIC ": the service says no (HTTP 400).");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &fallback);
  g_assert_error (fallback.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (fallback.error->message, ": generic (HTTP 500)"));
}

static void
test_reset_mid_body_is_retried (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };

  remote_test_server_add_faults (server, "{\"path\": \"^/echo\", \"action\": \"reset_mid_body\"}");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpstr (json_object_get_string_member (body_object (result.response), "method"), ==, "GET");
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 2);
}

static void
test_truncated_json_is_a_bad_response (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };

  remote_test_server_add_faults (server, "{\"path\": \"^/echo\", \"action\": \"truncate\"}");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE);
  assert_names_fabric (result.error);
  g_assert_nonnull (strstr (result.error->message, "answered with something that is not JSON"));
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
}

static void
test_html_where_json_was_due (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) json = { 0, };
  g_auto(Result) raw = { 0, };
  g_auto(Result) text = { 0, };

  run (client, "GET", "/html", NULL, SLUICE_HTTP_NONE, &json);
  g_assert_error (json.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (json.error->message, ==,
                   FABRIC " answered with an HTML page (“Sign in to continue”) instead of JSON (HTTP 200). "
                   "Check the fabric's URL in its settings.");

  run (client, "GET", "/html", NULL, SLUICE_HTTP_RAW, &raw);
  g_assert_no_error (raw.error);
  g_assert_null (raw.response->body);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (raw.response->raw, NULL),
                                  g_bytes_get_size (raw.response->raw), "<title>"));

  run (client, "GET", "/text", NULL, SLUICE_HTTP_NONE, &text);
  g_assert_error (text.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (text.error->message, "answered with something that is not JSON"));
}

static void
test_headers_slower_than_the_timeout (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  gint64 ms;

  sluice_http_client_set_timeout (client, 1);
  remote_test_server_add_faults (server, "{\"path\": \"^/echo\", \"action\": \"delay\", \"seconds\": 4}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NO_RETRY, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_TIMEOUT);
  assert_names_fabric (result.error);
  g_assert_nonnull (strstr (result.error->message, "within 1 s"));
  g_assert_cmpint (ms, >=, 1000);
  g_assert_cmpint (ms, <, 2500);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
}

/* All of the host's 8 connections busy: a 9th request waits for one
 * inside libsoup, which does not end it when it is cancelled. The
 * attempt's timeout ends it all the same, and says what was not sent. */
static void
test_request_waiting_for_a_connection_ends_at_its_timeout (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  Result slow[8] = { { 0, } };
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  gint64 ms;

  sluice_http_client_set_timeout (client, 20);
  remote_test_server_add_faults (server, "{\"path\": \"^/echo/slow$\", \"action\": \"delay\", \"seconds\": 5, "
                                         "\"times\": 8}");
  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    sluice_http_client_request_async (client, "GET", "/echo/slow", NULL, SLUICE_HTTP_NO_RETRY, NULL, NULL,
                                      request_done_cb, &slow[i]);
  while (remote_test_server_count (server, "GET", "^/echo/slow$") < G_N_ELEMENTS (slow))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (20 * 1000);
    }

  sluice_http_client_set_timeout (client, 1);
  ms = run (client, "GET", "/echo/waits", NULL, SLUICE_HTTP_NO_RETRY, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_TIMEOUT);
  assert_names_fabric (result.error);
  g_assert_nonnull (strstr (result.error->message, "GET /echo/waits within 1 s"));
  g_assert_cmpint (ms, >=, 1000);
  g_assert_cmpint (ms, <, 3000);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo/waits$"), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (slow); i++)
    {
      remote_test_wait (&slow[i].done, 30000);
      g_assert_no_error (slow[i].error);
      result_clear (&slow[i]);
    }
}

static void
test_timeout_is_retried_like_a_lost_connection (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  g_auto(Result) created = { 0, };
  gint64 ms;

  sluice_http_client_set_timeout (client, 1);
  remote_test_server_add_faults (server, "{\"path\": \"^/echo\", \"action\": \"delay\", \"seconds\": 3}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_no_error (result.error);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 2);
  /* 1 s timeout, then 1 s backoff (+ up to 20 %) */
  g_assert_cmpint (ms, >=, 2000);

  /* A creating request that timed out may have been done. */
  remote_test_server_add_faults (server, "{\"path\": \"^/things\", \"action\": \"delay\", \"seconds\": 3}");
  run (client, "POST", "/things", "{}", SLUICE_HTTP_CREATES, &created);
  g_assert_error (created.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS);
  assert_names_fabric (created.error);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 1);
}


static void
test_refused_connection (void)
{
  g_autofree char *url = remote_test_refused_url ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpClient) client = sluice_http_client_new (FABRIC, url, &error);
  g_auto(Result) result = { 0, };
  g_auto(Result) created = { 0, };
  gint64 ms;

  g_assert_no_error (error);
  sluice_http_client_set_retry_budget (client, 2);
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  assert_names_fabric (result.error);
  g_assert_nonnull (strstr (result.error->message, "cannot connect to 127.0.0.1"));
  /* tried at 0 s and after 1 s; the next wait (2 s) would pass the budget */
  g_assert_cmpint (ms, >=, 1000);
  g_assert_cmpint (ms, <, 2000);

  /* Nothing was sent, so even a creating request is tried again. */
  ms = run (client, "POST", "/things", "{}", SLUICE_HTTP_CREATES, &created);
  g_assert_error (created.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_cmpint (ms, >=, 1000);
}

/* A connection test (SLUICE_HTTP_QUICK) gives up after two retries, where
 * any other request keeps to the client's long budget. */
static void
test_quick_request_gives_up_after_two_retries (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpClient) client = sluice_http_client_new (FABRIC, server->base_url, &error);
  g_auto(Result) quick = { 0, };
  g_auto(Result) normal = { 0, };
  gint64 ms;

  /* the default budget (300 s): nothing shortens it here */
  g_assert_no_error (error);
  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 503, \"times\": 0, \"headers\": {\"Retry-After\": \"1\"},"
    " \"body\": {\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"Service temporarily unavailable\"}}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_QUICK, &quick);
  g_assert_error (quick.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_cmpstr (quick.error->message, ==,
                   FABRIC " is unavailable: Service temporarily unavailable (TEMPORARILY_UNAVAILABLE, HTTP 503). "
                   "The service has trouble; try again later.");
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1 + SLUICE_HTTP_QUICK_RETRIES);
  /* at 0, 1 and 2 s */
  g_assert_cmpint (ms, >=, 2000);
  g_assert_cmpint (ms, <, 4000);

  /* Four 503s: more than a connection test waits for, well within the
   * long budget. */
  json_node_unref (remote_test_server_control (server, "DELETE", "/__faults", NULL));
  json_node_unref (remote_test_server_control (server, "DELETE", "/__requests", NULL));
  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 503, \"times\": 4, \"headers\": {\"Retry-After\": \"1\"}}");
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &normal);
  g_assert_no_error (normal.error);
  g_assert_cmpuint (normal.response->status, ==, 200);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 5);
}

/* A service that takes the connection and never answers: a QUICK
 * request's attempts share its budget instead of waiting 60 s each. */
static void
test_quick_request_attempts_share_the_budget (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpClient) client = sluice_http_client_new (FABRIC, server->base_url, &error);
  g_auto(Result) quick = { 0, };
  g_autofree char *within = g_strdup_printf ("did not answer GET /echo within %u s", SLUICE_HTTP_QUICK_BUDGET_S);
  gint64 ms;

  g_assert_no_error (error);
  remote_test_server_add_faults (server, "{\"path\": \"^/echo\", \"action\": \"delay\", \"seconds\": 30, \"times\": 0}");
  ms = run (client, "GET", "/echo", NULL, SLUICE_HTTP_QUICK, &quick);
  g_assert_error (quick.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_TIMEOUT);
  assert_names_fabric (quick.error);
  g_assert_nonnull (strstr (quick.error->message, within));
  g_assert_cmpint (ms, >=, SLUICE_HTTP_QUICK_BUDGET_S * 1000);
  g_assert_cmpint (ms, <, SLUICE_HTTP_QUICK_BUDGET_S * 1000 + 1500);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
}

static void
test_connection_test_of_an_unreachable_fabric (gconstpointer data)
{
  SluiceFabricKind kind = GPOINTER_TO_INT (data);
  g_autofree char *url = remote_test_refused_url ();
  /* each engine with its own default timeout and budget */
  g_autoptr(SluiceEngine) engine = remote_test_engine_new (kind, FABRIC, "token", TOKEN, "url", url,
                                                           "cluster", "existing", "cluster_id", "0101-000000-abcdefgh",
                                                           "warehouse_id", "abc123", "warehouse", "COMPUTE_WH",
                                                           "user", "ann", "auth", "none", NULL);
  g_autoptr(GError) error = NULL;
  gint64 start;
  gint64 ms;

  start = g_get_monotonic_time ();
  g_assert_false (remote_test_connection (engine, &error));
  ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  assert_names_fabric (error);
  g_assert_nonnull (strstr (error->message, "cannot connect to 127.0.0.1"));
  /* Tried three times: the HTTP layer's waits are 1 and 2 s (+ jitter),
   * Snowflake's own resubmissions 0.5 and 1 s. */
  g_assert_cmpint (ms, >=, 1500);
  g_assert_cmpint (ms, <, 15000);
}

static void
test_creating_request_is_not_replayed (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) reset = { 0, };
  g_auto(Result) dropped = { 0, };
  g_auto(Result) unavailable = { 0, };
  g_auto(Result) things = { 0, };

  remote_test_server_add_faults (server,
    "[{\"path\": \"^/things\", \"method\": \"POST\", \"action\": \"reset\"},"
    " {\"path\": \"^/things\", \"method\": \"POST\", \"action\": \"drop_response\"},"
    " {\"path\": \"^/things\", \"method\": \"POST\", \"action\": \"status\", \"status\": 503}]");
  run (client, "POST", "/things", "{\"name\": \"a\"}", SLUICE_HTTP_CREATES, &reset);
  g_assert_error (reset.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS);
  assert_names_fabric (reset.error);
  g_assert_nonnull (strstr (reset.error->message, "may or may not have been done"));
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 1);

  run (client, "POST", "/things", "{\"name\": \"b\"}", SLUICE_HTTP_CREATES, &dropped);
  g_assert_error (dropped.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 2);

  /* a 503 may come from a gateway after the work was done */
  run (client, "POST", "/things", "{\"name\": \"c\"}", SLUICE_HTTP_CREATES, &unavailable);
  g_assert_error (unavailable.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 3);

  /* the dropped one was created, once */
  run (client, "GET", "/things", NULL, SLUICE_HTTP_NONE, &things);
  g_assert_no_error (things.error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body_object (things.response), "things")), ==, 1);
}

static void
test_idempotent_creating_request_is_replayed (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) dropped = { 0, };
  g_auto(Result) reset = { 0, };
  g_auto(Result) things = { 0, };

  remote_test_server_add_faults (server,
    "{\"path\": \"^/things\", \"method\": \"POST\", \"action\": \"drop_response\"}");
  run (client, "POST", "/things", "{\"idempotency_token\": \"run-1\"}",
       SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT, &dropped);
  g_assert_no_error (dropped.error);
  g_assert_cmpint (json_object_get_int_member (body_object (dropped.response), "id"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 2);

  remote_test_server_add_faults (server,
    "{\"path\": \"^/things\", \"method\": \"POST\", \"action\": \"reset\"}");
  run (client, "POST", "/things", "{\"idempotency_token\": \"run-2\"}",
       SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT, &reset);
  g_assert_no_error (reset.error);
  g_assert_cmpint (json_object_get_int_member (body_object (reset.response), "id"), ==, 2);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 4);

  run (client, "GET", "/things", NULL, SLUICE_HTTP_NONE, &things);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body_object (things.response), "things")), ==, 2);
}

static void
test_creating_request_is_retried_after_429 (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };
  g_auto(Result) things = { 0, };

  /* The service declined: nothing was made, so it is safe to ask again. */
  remote_test_server_add_faults (server,
    "{\"path\": \"^/things\", \"method\": \"POST\", \"action\": \"status\", \"status\": 429,"
    " \"headers\": {\"Retry-After\": \"1\"}}");
  run (client, "POST", "/things", "{}", SLUICE_HTTP_CREATES, &result);
  g_assert_no_error (result.error);
  g_assert_cmpint (json_object_get_int_member (body_object (result.response), "id"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/things"), ==, 2);
  run (client, "GET", "/things", NULL, SLUICE_HTTP_NONE, &things);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body_object (things.response), "things")), ==, 1);
}

static void
test_no_retry_flag (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) result = { 0, };

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 429, \"headers\": {\"Retry-After\": \"1\"}}");
  run (client, "POST", "/echo", "{}", SLUICE_HTTP_NO_RETRY, &result);
  g_assert_error (result.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_RATE_LIMITED);
  g_assert_cmpuint (remote_test_server_count (server, "POST", "^/echo"), ==, 1);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_during_backoff (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) result = { 0, };
  gint64 ms;

  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo\", \"action\": \"status\", \"status\": 429, \"times\": 0, \"headers\": {\"Retry-After\": \"5\"}}");
  g_timeout_add (500, cancel_cb, cancellable);
  ms = run_full (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, NULL, cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ms, >=, 500);
  g_assert_cmpint (ms, <, 1500);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&client));
}

static void
test_cancel_during_a_slow_answer (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Result) result = { 0, };
  g_auto(Result) before = { 0, };
  gint64 ms;

  remote_test_server_add_faults (server, "{\"path\": \"^/echo\", \"action\": \"delay\", \"seconds\": 5}");
  g_timeout_add (300, cancel_cb, cancellable);
  ms = run_full (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, NULL, cancellable, &result);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (ms, <, 1500);

  /* already cancelled: nothing is sent */
  run_full (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, NULL, cancellable, &before);
  g_assert_error (before.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);
}

/* ---- construction ---- */

static void
test_base_url_is_checked (void)
{
  static const struct { const char *url; gboolean ok; const char *says; } cases[] = {
    { "https://adb-1.7.azuredatabricks.net", TRUE, NULL },
    { "https://host:8443/gateway/livy/", TRUE, NULL },
    { "http://127.0.0.1:8998", TRUE, NULL },
    { "http://localhost:8998", TRUE, NULL },
    { "http://[::1]:8998", TRUE, NULL },
    { "http://livy.example.com:8998", FALSE, "must start with https://" },
    { "ftp://example.com", FALSE, "must start with https://" },
    { "", FALSE, "has no URL" },
    { "livy.example.com", FALSE, "is not a URL" },
    { "https://", FALSE, "has no host name" },
    { "https://user:pw@example.com", FALSE, "without a user" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceHttpClient) client = sluice_http_client_new ("Livy", cases[i].url, &error);

      if (cases[i].ok)
        {
          g_assert_no_error (error);
          g_assert_nonnull (client);
          g_assert_false (g_str_has_suffix (sluice_http_client_get_base_url (client), "/"));
        }
      else
        {
          g_assert_null (client);
          g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
          g_assert_true (g_str_has_prefix (error->message, "Livy: "));
          if (*cases[i].url)
            g_assert_null (strstr (error->message, cases[i].url));   /* may hold a password */
          if (strstr (error->message, cases[i].says) == NULL)
            g_error ("%s: “%s” lacks “%s”", cases[i].url, error->message, cases[i].says);
        }
    }
}

static void
test_escape (void)
{
  g_autofree char *a = sluice_http_escape ("a b/c?d=e&f");
  g_autofree char *b = sluice_http_escape ("1202-211320-brick1");

  g_assert_cmpstr (a, ==, "a%20b%2Fc%3Fd%3De%26f");
  g_assert_cmpstr (b, ==, "1202-211320-brick1");
}

/* ---- TLS ---- */

static void
test_custom_ca_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("sluice-tls-XXXXXX", &error);
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  const char *openssl[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert, NULL };
  const char *args[] = { "--tls", cert, key, NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(RemoteTestServer) server = NULL;
  g_autoptr(SluiceHttpClient) client = NULL;
  g_auto(Result) untrusted = { 0, };
  g_auto(Result) trusted = { 0, };

  g_assert_no_error (error);
  proc = g_subprocess_newv (openssl, G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (proc, NULL, &error);
  g_assert_no_error (error);

  server = remote_test_server_start ("echo-server.py", args);
  g_assert_true (g_str_has_prefix (server->base_url, "https://"));
  client = sluice_http_client_new (FABRIC, server->base_url, &error);
  g_assert_no_error (error);

  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &untrusted);
  g_assert_error (untrusted.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_FAILED);
  assert_names_fabric (untrusted.error);
  g_assert_nonnull (strstr (untrusted.error->message, "Custom CA file"));

  g_assert_false (sluice_http_client_set_ca_file (client, missing, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (sluice_http_client_set_ca_file (client, cert, &error));
  g_assert_no_error (error);
  run (client, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &trusted);
  g_assert_no_error (trusted.error);
  g_assert_cmpstr (json_object_get_string_member (body_object (trusted.response), "method"), ==, "GET");
  g_assert_cmpuint (remote_test_server_count (server, "GET", "^/echo"), ==, 1);

  /* The same from a fabric's settings. */
  {
    g_autoptr(SluiceFabric) fabric = sluice_fabric_new (SLUICE_FABRIC_LIVY, "Private Livy");
    g_autoptr(SluiceHttpClient) from_fabric = NULL;
    g_auto(Result) answer = { 0, };

    sluice_fabric_set_setting (fabric, "url", server->base_url);
    sluice_fabric_set_setting (fabric, "ca_file", cert);
    from_fabric = sluice_http_client_new_for_fabric (fabric, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (sluice_http_client_get_fabric_name (from_fabric), ==, "Private Livy");
    run (from_fabric, "GET", "/echo", NULL, SLUICE_HTTP_NONE, &answer);
    g_assert_no_error (answer.error);

    sluice_fabric_set_setting (fabric, "ca_file", missing);
    g_assert_null (sluice_http_client_new_for_fabric (fabric, &error));
    g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
    g_assert_true (g_str_has_prefix (error->message, "Private Livy: "));
    g_assert_nonnull (strstr (error->message, missing));
    g_clear_error (&error);
  }

  g_unlink (cert);
  g_unlink (key);
  g_rmdir (dir);
}

/* ---- redaction ---- */

static GString *captured;   /* debug lines of domain sluice-http, while capturing */
static guint    redactor_calls;

static GLogWriterOutput
capture_writer (GLogLevelFlags   level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
      else if (g_str_equal (fields[i].key, "MESSAGE"))
        message = fields[i].value;
    }
  if (captured != NULL && g_strcmp0 (domain, "sluice-http") == 0 && message != NULL)
    {
      g_string_append (captured, message);
      g_string_append_c (captured, '\n');
      return G_LOG_WRITER_HANDLED;
    }
  if (level & G_LOG_LEVEL_DEBUG)
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Stands in for sluice_redact(): hides query values named like secrets. */
static char *
test_redactor (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("(token|password)=[^&\\s]*", 0, 0, NULL);

  redactor_calls++;
  return g_regex_replace (regex, text, -1, 0, "\\1=[redacted]", 0, NULL);
}

static void
test_debug_log_is_redacted (void)
{
  g_autoptr(RemoteTestServer) server = echo_server ();
  g_autoptr(SluiceHttpClient) client = client_for (server);
  g_auto(Result) ok = { 0, };
  g_auto(Result) refused = { 0, };
  g_autoptr(GString) log = g_string_new (NULL);

  sluice_http_set_redactor (test_redactor);
  sluice_http_client_set_bearer_token (client, TOKEN);
  remote_test_server_add_faults (server,
    "{\"path\": \"^/echo/refused\", \"action\": \"status\", \"status\": 403,"
    " \"body\": {\"message\": \"Token " TOKEN " is not valid\"}}");
  redactor_calls = 0;
  captured = log;
  run (client, "GET", "/echo/ok?cluster=c1&token=query-secret-42", NULL, SLUICE_HTTP_NONE, &ok);
  run (client, "GET", "/echo/refused", NULL, SLUICE_HTTP_NONE, &refused);
  captured = NULL;
  sluice_http_set_redactor (NULL);

  g_assert_no_error (ok.error);
  g_assert_error (refused.error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  /* the service echoed the token: the message must not */
  g_assert_null (strstr (refused.error->message, TOKEN));
  g_assert_nonnull (strstr (refused.error->message, "[redacted]"));
  g_assert_cmpuint (redactor_calls, >=, 3);

  g_assert_nonnull (strstr (log->str, "GET /echo/ok?cluster=c1&token=[redacted] → 200"));
  g_assert_nonnull (strstr (log->str, "GET /echo/refused → 403"));
  g_assert_nonnull (strstr (log->str, " ms"));
  g_assert_null (strstr (log->str, "query-secret-42"));
  g_assert_null (strstr (log->str, TOKEN));
  g_assert_null (strstr (log->str, "Bearer"));
  g_assert_null (strstr (log->str, "not valid"));   /* no bodies */
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_add_func ("/sluice/remote/http/get-returns-json-and-sends-headers", test_get_returns_json_and_sends_headers);
  g_test_add_func ("/sluice/remote/http/post-sends-json-and-basic-auth", test_post_sends_json_and_basic_auth);
  g_test_add_func ("/sluice/remote/http/gzip-empty-and-large-bodies", test_gzip_empty_and_large_bodies);
  g_test_add_func ("/sluice/remote/http/accepted-status-is-an-answer", test_accepted_status_is_an_answer);
  g_test_add_func ("/sluice/remote/http/429-with-retry-after-waits-then-succeeds", test_429_with_retry_after_waits_then_succeeds);
  g_test_add_func ("/sluice/remote/http/429-retry-after-as-http-date", test_429_retry_after_as_http_date);
  g_test_add_func ("/sluice/remote/http/429-without-retry-after-backs-off", test_429_without_retry_after_backs_off);
  g_test_add_func ("/sluice/remote/http/429-until-the-budget-runs-out", test_429_until_the_budget_runs_out);
  g_test_add_func ("/sluice/remote/http/retry-after-beyond-the-budget-gives-up-at-once", test_retry_after_beyond_the_budget_gives_up_at_once);
  g_test_add_func ("/sluice/remote/http/503-is-retried", test_503_is_retried);
  g_test_add_func ("/sluice/remote/http/500-is-not-retried", test_500_is_not_retried);
  g_test_add_func ("/sluice/remote/http/401-and-403-ask-for-the-token", test_401_and_403_ask_for_the_token);
  g_test_add_func ("/sluice/remote/http/error-bodies-are-read", test_error_bodies_are_read);
  g_test_add_func ("/sluice/remote/http/custom-error-reader", test_custom_error_reader);
  g_test_add_func ("/sluice/remote/http/reset-mid-body-is-retried", test_reset_mid_body_is_retried);
  g_test_add_func ("/sluice/remote/http/truncated-json-is-a-bad-response", test_truncated_json_is_a_bad_response);
  g_test_add_func ("/sluice/remote/http/html-where-json-was-due", test_html_where_json_was_due);
  g_test_add_func ("/sluice/remote/http/headers-slower-than-the-timeout", test_headers_slower_than_the_timeout);
  g_test_add_func ("/sluice/remote/http/request-waiting-for-a-connection-ends-at-its-timeout",
                   test_request_waiting_for_a_connection_ends_at_its_timeout);
  g_test_add_func ("/sluice/remote/http/timeout-is-retried-like-a-lost-connection", test_timeout_is_retried_like_a_lost_connection);
  g_test_add_func ("/sluice/remote/http/refused-connection", test_refused_connection);
  g_test_add_func ("/sluice/remote/http/quick-request-gives-up-after-two-retries", test_quick_request_gives_up_after_two_retries);
  g_test_add_func ("/sluice/remote/http/quick-request-attempts-share-the-budget", test_quick_request_attempts_share_the_budget);
  g_test_add_data_func ("/sluice/remote/http/test-connection/databricks", GINT_TO_POINTER (SLUICE_FABRIC_DATABRICKS),
                        test_connection_test_of_an_unreachable_fabric);
  g_test_add_data_func ("/sluice/remote/http/test-connection/databricks-sql", GINT_TO_POINTER (SLUICE_FABRIC_DATABRICKS_SQL),
                        test_connection_test_of_an_unreachable_fabric);
  g_test_add_data_func ("/sluice/remote/http/test-connection/livy", GINT_TO_POINTER (SLUICE_FABRIC_LIVY),
                        test_connection_test_of_an_unreachable_fabric);
  g_test_add_data_func ("/sluice/remote/http/test-connection/snowflake", GINT_TO_POINTER (SLUICE_FABRIC_SNOWFLAKE),
                        test_connection_test_of_an_unreachable_fabric);
  g_test_add_func ("/sluice/remote/http/creating-request-is-not-replayed", test_creating_request_is_not_replayed);
  g_test_add_func ("/sluice/remote/http/idempotent-creating-request-is-replayed", test_idempotent_creating_request_is_replayed);
  g_test_add_func ("/sluice/remote/http/creating-request-is-retried-after-429", test_creating_request_is_retried_after_429);
  g_test_add_func ("/sluice/remote/http/no-retry-flag", test_no_retry_flag);
  g_test_add_func ("/sluice/remote/http/cancel-during-backoff", test_cancel_during_backoff);
  g_test_add_func ("/sluice/remote/http/cancel-during-a-slow-answer", test_cancel_during_a_slow_answer);
  g_test_add_func ("/sluice/remote/http/base-url-is-checked", test_base_url_is_checked);
  g_test_add_func ("/sluice/remote/http/escape", test_escape);
  g_test_add_func ("/sluice/remote/http/custom-ca-file", test_custom_ca_file);
  g_test_add_func ("/sluice/remote/http/debug-log-is-redacted", test_debug_log_is_redacted);

  return g_test_run ();
}
