#define G_LOG_DOMAIN "sluice-http"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

#define DEFAULT_TIMEOUT_S       60
#define DEFAULT_RETRY_BUDGET_S  300
#define MAX_BACKOFF_S           10
#define JITTER_FRACTION         0.2
#define READ_CHUNK              (64 * 1024)
#define MAX_DETAIL_CHARS        300

struct _SluiceHttpClient
{
  GObject                parent_instance;

  char                  *fabric_name;     /* owned */
  char                  *base_url;        /* owned, without a trailing '/' */
  char                  *host;            /* owned, for messages */
  SoupSession           *session;         /* owned */
  char                  *authorization;   /* owned, nullable: the Authorization value */
  GPtrArray             *secrets;         /* owned (char *): scrubbed from every message */
  GPtrArray             *headers;         /* owned (char *), name, value, name, value… */
  SluiceHttpErrorReader  error_reader;    /* nullable */
  guint                  timeout_s;
  guint                  retry_budget_s;
};

G_DEFINE_FINAL_TYPE (SluiceHttpClient, sluice_http_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (sluice-http-error-quark, sluice_http_error)

static SluiceHttpRedactor redactor;   /* process-wide, set once at start-up */

/* ---- redaction ---- */

void
sluice_http_set_redactor (SluiceHttpRedactor func)
{
  g_atomic_pointer_set (&redactor, func);
}

char *
sluice_http_redact (const char *text)
{
  SluiceHttpRedactor func = g_atomic_pointer_get (&redactor);

  if (text == NULL)
    return NULL;
  return func ? func (text) : g_strdup (text);
}

/* The process redactor, then this client's own secrets: a test or a
 * program may run without the secrets layer's registry. */
static char *
client_redact (SluiceHttpClient *self,
               const char       *text)
{
  g_autofree char *out = sluice_http_redact (text);

  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);
      g_auto(GStrv) parts = NULL;

      if (strstr (out, secret) == NULL)
        continue;
      parts = g_strsplit (out, secret, -1);
      g_free (out);
      out = g_strjoinv ("[redacted]", parts);
    }
  return g_steal_pointer (&out);
}

static void
client_add_secret (SluiceHttpClient *self,
                   const char       *secret)
{
  if (secret != NULL && strlen (secret) >= 4)
    g_ptr_array_add (self->secrets, g_strdup (secret));
}

/* ---- responses ---- */

void
sluice_http_response_free (SluiceHttpResponse *response)
{
  if (response == NULL)
    return;
  g_clear_pointer (&response->body, json_node_unref);
  g_clear_pointer (&response->raw, g_bytes_unref);
  g_clear_pointer (&response->headers, g_hash_table_unref);
  g_free (response);
}

char *
sluice_http_escape (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);
  return g_uri_escape_string (value, NULL, FALSE);
}

/* ---- reading error bodies ---- */

static char *
collapse_whitespace (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

/* The text of an HTML element's content: tags dropped, the common
 * entities decoded, whitespace collapsed. */
static char *
html_text (const char *html)
{
  static const struct { const char *entity; const char *text; } entities[] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
    { "&apos;", "'" }, { "&nbsp;", " " }, { "&amp;", "&" },
  };
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean in_tag = FALSE;

  for (const char *p = html; *p; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>' && in_tag)
        in_tag = FALSE;
      else if (!in_tag)
        g_string_append_c (out, *p);
    }
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    g_string_replace (out, entities[i].entity, entities[i].text, 0);
  return collapse_whitespace (out->str);
}

static char *
html_element (const char *html,
              const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("<%s\\b[^>]*>(.*?)</%s\\s*>", name, name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *inner = NULL;
  char *text;

  if (!g_regex_match (regex, html, 0, &match))
    return NULL;
  inner = g_match_info_fetch (match, 1);
  text = html_text (inner);
  if (*text == '\0')
    g_clear_pointer (&text, g_free);
  return text;
}

static gboolean
looks_like_html (const char *text)
{
  g_autofree char *head = g_ascii_strdown (text, MIN (strlen (text), 512));

  return strstr (head, "<html") != NULL || strstr (head, "<!doctype html") != NULL ||
         strstr (head, "<head") != NULL || strstr (head, "<body") != NULL;
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The service's own code, when it says more than the status: Databricks'
 * error_code (a string, or a number that may merely repeat the status),
 * Snowflake's code. */
static char *
object_code (JsonObject *object,
             guint       status)
{
  static const char * const members[] = { "error_code", "code", "errorCode" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      JsonNode *node = json_object_get_member (object, members[i]);

      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        continue;
      if (json_node_get_value_type (node) == G_TYPE_STRING && *json_node_get_string (node))
        {
          const char *code = json_node_get_string (node);
          if (g_ascii_strtoull (code, NULL, 10) == status && status > 0)
            return NULL;
          return g_strdup (code);
        }
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        {
          gint64 code = json_node_get_int (node);
          return code == (gint64) status ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, code);
        }
    }
  return NULL;
}

static char *
object_message (JsonObject *object)
{
  static const char * const members[] = { "message", "msg", "error_description", "error", "detail", "title" };

  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    {
      const char *text = object_string (object, members[i]);
      JsonNode *node;

      if (text != NULL && *text)
        return g_strdup (text);
      /* {"error": {"message": …}} */
      node = json_object_get_member (object, members[i]);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          char *inner = object_message (json_node_get_object (node));
          if (inner != NULL)
            return inner;
        }
    }
  return NULL;
}

/* Drops a trailing period, so the message reads well before "(HTTP 403)". */
static char *
tidy_detail (char *text)
{
  gsize len;

  g_strstrip (text);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '.')
    text[--len] = '\0';
  if (g_utf8_strlen (text, -1) > MAX_DETAIL_CHARS)
    {
      char *cut = g_utf8_substring (text, 0, MAX_DETAIL_CHARS);
      char *out = g_strconcat (cut, "…", NULL);
      g_free (cut);
      g_free (text);
      return out;
    }
  return text;
}

typedef struct
{
  char     *detail;   /* owned, nullable: the service's words */
  char     *code;     /* owned, nullable: the service's code */
  gboolean  missing;  /* Databricks' "… does not exist" */
} Reading;

static void
reading_clear (Reading *reading)
{
  g_clear_pointer (&reading->detail, g_free);
  g_clear_pointer (&reading->code, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reading, reading_clear)

static void
read_error_body (SluiceHttpClient *self,
                 guint             status,
                 JsonNode         *body,
                 const char       *text,
                 const char       *reason,
                 Reading          *out)
{
  if (self->error_reader != NULL)
    out->detail = self->error_reader (status, body, text);

  if (body != NULL && JSON_NODE_HOLDS_OBJECT (body))
    {
      JsonObject *object = json_node_get_object (body);
      const char *error_code = object_string (object, "error_code");

      if (out->detail == NULL)
        out->detail = object_message (object);
      out->code = object_code (object, status);
      if (error_code != NULL &&
          (g_str_equal (error_code, "RESOURCE_DOES_NOT_EXIST") || g_str_equal (error_code, "NOT_FOUND") ||
           (g_str_equal (error_code, "INVALID_PARAMETER_VALUE") && out->detail != NULL &&
            strstr (out->detail, "does not exist") != NULL)))
        out->missing = TRUE;
    }
  else if (out->detail == NULL && text != NULL && *text)
    {
      if (looks_like_html (text))
        {
          out->detail = html_element (text, "pre");
          if (out->detail == NULL)
            out->detail = html_element (text, "title");
        }
      else
        {
          const char *end = strchr (text, '\n');
          g_autofree char *line = end ? g_strndup (text, end - text) : g_strdup (text);
          out->detail = collapse_whitespace (line);
        }
    }

  if (out->detail != NULL && *out->detail == '\0')
    g_clear_pointer (&out->detail, g_free);
  if (out->detail == NULL && reason != NULL && *reason)
    out->detail = g_strdup (reason);
  if (out->detail == NULL)
    out->detail = g_strdup (soup_status_get_phrase (status));
  out->detail = tidy_detail (out->detail);
}

/* ---- the request ---- */

typedef enum {
  OUTCOME_DONE,        /* an answer the caller gets (or an error it gets) */
  OUTCOME_RETRY,       /* try again if the budget allows */
} Outcome;

typedef struct
{
  SluiceHttpClient   *client;          /* owned */
  char               *method;          /* owned */
  char               *path;            /* owned: path and query */
  char               *uri;             /* owned */
  GBytes             *body;            /* owned, nullable */
  SluiceHttpFlags     flags;
  guint              *accept_status;   /* owned, nullable, 0-terminated */
  GCancellable       *cancellable;     /* owned, nullable: the caller's */
  GSource            *cancel_source;   /* owned, nullable: watches the caller's */

  gint64              started_us;      /* when the first attempt began */
  guint               attempt;         /* 1-based */
  guint               budget_s;        /* the retry budget: the client's, or QUICK's */
  guint               attempt_timeout_s;  /* what the attempt in flight was given */

  /* the attempt in flight */
  SoupMessage        *message;         /* owned, nullable */
  GCancellable       *attempt_cancel;  /* owned, nullable */
  GInputStream       *stream;          /* owned, nullable */
  GByteArray         *buffer;          /* owned, nullable */
  GSource            *timer;           /* owned, nullable: attempt timeout or backoff wait */
  gint64              attempt_us;
  gboolean            sent;            /* request headers went out */
  gboolean            timed_out;

  GError             *last_error;      /* owned, nullable: what a give-up reports */
} Request;

static gboolean
release_later_cb (gpointer object)
{
  g_object_unref (object);
  return G_SOURCE_REMOVE;
}

static void
request_clear_attempt (Request *req)
{
  if (req->timer != NULL)
    {
      g_source_destroy (req->timer);
      g_clear_pointer (&req->timer, g_source_unref);
    }
  /* libsoup 3.2 may still run callbacks of a failed attempt's message
   * (a connection closed without an answer) after ours has returned; let
   * go of the message and its stream only once the main loop is idle. */
  if (req->message != NULL)
    {
      g_signal_handlers_disconnect_by_data (req->message, req);
      g_idle_add_full (G_PRIORITY_LOW, release_later_cb, g_steal_pointer (&req->message), NULL);
    }
  if (req->stream != NULL)
    g_idle_add_full (G_PRIORITY_LOW, release_later_cb, g_steal_pointer (&req->stream), NULL);
  g_clear_object (&req->attempt_cancel);
  g_clear_pointer (&req->buffer, g_byte_array_unref);
}

static void
request_free (Request *req)
{
  request_clear_attempt (req);
  if (req->cancel_source != NULL)
    {
      g_source_destroy (req->cancel_source);
      g_clear_pointer (&req->cancel_source, g_source_unref);
    }
  g_clear_object (&req->client);
  g_free (req->method);
  g_free (req->path);
  g_free (req->uri);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_free (req->accept_status);
  g_clear_object (&req->cancellable);
  g_clear_error (&req->last_error);
  g_free (req);
}

static void attempt_start (GTask *task);

static gboolean
request_is_replayable (Request *req)
{
  return !(req->flags & SLUICE_HTTP_CREATES) || (req->flags & SLUICE_HTTP_IDEMPOTENT);
}

static void
log_attempt (Request    *req,
             guint       status,
             const char *what)
{
  g_autofree char *path = NULL;
  g_autofree char *line = NULL;
  gint64 ms;

  ms = (g_get_monotonic_time () - req->attempt_us) / 1000;
  path = client_redact (req->client, req->path);
  if (status != 0)
    line = g_strdup_printf ("%s %s → %u (%" G_GINT64_FORMAT " ms, attempt %u)",
                            req->method, path, status, ms, req->attempt);
  else
    line = g_strdup_printf ("%s %s → %s (%" G_GINT64_FORMAT " ms, attempt %u)",
                            req->method, path, what, ms, req->attempt);
  g_debug ("%s: %s", req->client->fabric_name, line);
}

/* Sets @req->last_error to one sentence naming the fabric (redacted). */
static void
request_set_error (Request    *req,
                   gint        code,
                   const char *format,
                   ...) G_GNUC_PRINTF (3, 4);

static void
request_set_error (Request    *req,
                   gint        code,
                   const char *format,
                   ...)
{
  g_autofree char *text = NULL;
  g_autofree char *sentence = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  sentence = client_redact (req->client, text);
  g_clear_error (&req->last_error);
  req->last_error = g_error_new_literal (SLUICE_HTTP_ERROR, code, sentence);
}

static gboolean
status_accepted (Request *req,
                 guint    status)
{
  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    return TRUE;
  for (const guint *s = req->accept_status; s != NULL && *s != 0; s++)
    if (*s == status)
      return TRUE;
  return FALSE;
}

/* Seconds to wait before the next attempt, or -1 when no Retry-After. */
static gint64
retry_after_seconds (SoupMessage *message)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  char *end = NULL;
  guint64 seconds;

  if (value == NULL)
    return -1;
  while (g_ascii_isspace (*value))
    value++;
  seconds = g_ascii_strtoull (value, &end, 10);
  if (end != value && (*end == '\0' || g_ascii_isspace (*end)))
    return (gint64) MIN (seconds, G_MAXINT32);
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return -1;
  now = g_date_time_new_now_utc ();
  return MAX (0, (g_date_time_difference (when, now) + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static GHashTable *
response_headers (SoupMessage *message)
{
  GHashTable *headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, soup_message_get_response_headers (message));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      char *key = g_ascii_strdown (name, -1);
      const char *old = g_hash_table_lookup (headers, key);

      if (old != NULL)
        g_hash_table_replace (headers, key, g_strconcat (old, ", ", value, NULL));
      else
        g_hash_table_insert (headers, key, g_strdup (value));
    }
  return headers;
}

/* A complete answer arrived: decides between the caller's response, an
 * error sentence, and another attempt. */
static Outcome
handle_answer (Request             *req,
               SluiceHttpResponse **out_response,
               gint64              *out_wait_s)
{
  SluiceHttpClient *self = req->client;
  guint status = soup_message_get_status (req->message);
  g_autoptr(GBytes) raw = g_byte_array_free_to_bytes (g_steal_pointer (&req->buffer));
  gsize len = 0;
  const char *data = g_bytes_get_data (raw, &len);
  g_autofree char *text = g_strndup (data ? data : "", len);
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) parse_error = NULL;
  gboolean valid_utf8 = g_utf8_validate (text, -1, NULL);

  log_attempt (req, status, NULL);

  if (len > 0 && valid_utf8)
    body = json_from_string (text, &parse_error);
  else if (len > 0)
    g_set_error_literal (&parse_error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "not UTF-8");

  if (status_accepted (req, status))
    {
      SluiceHttpResponse *response;

      if (parse_error != NULL && !(req->flags & SLUICE_HTTP_RAW))
        {
          g_autofree char *title = valid_utf8 && looks_like_html (text) ? html_element (text, "title") : NULL;

          if (title != NULL)
            request_set_error (req, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                               _("%s answered with an HTML page (“%s”) instead of JSON (HTTP %u). Check the fabric's URL in its settings."),
                               self->fabric_name, title, status);
          else
            request_set_error (req, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                               _("%s answered with something that is not JSON (HTTP %u). Check the fabric's URL in its settings, or try again later."),
                               self->fabric_name, status);
          return OUTCOME_DONE;
        }
      response = g_new0 (SluiceHttpResponse, 1);
      response->status = status;
      response->body = parse_error == NULL ? g_steal_pointer (&body) : NULL;
      response->raw = g_steal_pointer (&raw);
      response->headers = response_headers (req->message);
      *out_response = response;
      return OUTCOME_DONE;
    }

  {
    g_auto(Reading) reading = { NULL, };
    g_autofree char *codes = NULL;
    const char *reason = soup_message_get_reason_phrase (req->message);
    const char *db_reason = soup_message_headers_get_one (soup_message_get_response_headers (req->message),
                                                          "X-Databricks-Reason-Phrase");
    gboolean may_retry = !(req->flags & SLUICE_HTTP_NO_RETRY);

    read_error_body (self, status, parse_error == NULL ? body : NULL, valid_utf8 ? text : NULL,
                     len == 0 && db_reason != NULL ? db_reason : reason, &reading);
    codes = reading.code != NULL ? g_strdup_printf ("%s, HTTP %u", reading.code, status)
                                 : g_strdup_printf ("HTTP %u", status);

    switch (status)
      {
      case SOUP_STATUS_UNAUTHORIZED:
      case SOUP_STATUS_FORBIDDEN:
        request_set_error (req, SLUICE_HTTP_ERROR_UNAUTHORIZED,
                           _("%s: %s (%s). Check the token in the fabric's settings."),
                           self->fabric_name, reading.detail, codes);
        return OUTCOME_DONE;

      case SOUP_STATUS_NOT_FOUND:
        request_set_error (req, SLUICE_HTTP_ERROR_NOT_FOUND,
                           _("%s: %s (%s). Check the fabric's URL in its settings, or whether the thing was deleted."),
                           self->fabric_name, reading.detail, codes);
        return OUTCOME_DONE;

      case SOUP_STATUS_CONFLICT:
        request_set_error (req, SLUICE_HTTP_ERROR_CONFLICT,
                           _("%s: %s (%s). Something else changed it at the same time; try again."),
                           self->fabric_name, reading.detail, codes);
        return OUTCOME_DONE;

      case 429:  /* Too Many Requests: soup 3.2 has no name for it */
        /* The service refused the request: nothing was done, so even a
         * creating request may be sent again. */
        request_set_error (req, SLUICE_HTTP_ERROR_RATE_LIMITED,
                           _("%s is still refusing requests after %u s of retries: %s (%s). Wait a few minutes, then try again."),
                           self->fabric_name, req->budget_s, reading.detail, codes);
        *out_wait_s = retry_after_seconds (req->message);
        return may_retry ? OUTCOME_RETRY : OUTCOME_DONE;

      case SOUP_STATUS_SERVICE_UNAVAILABLE:
        request_set_error (req, SLUICE_HTTP_ERROR_UNAVAILABLE,
                           _("%s is unavailable: %s (%s). The service has trouble; try again later."),
                           self->fabric_name, reading.detail, codes);
        *out_wait_s = retry_after_seconds (req->message);
        /* A 503 may come from a gateway after the service did the work. */
        return may_retry && request_is_replayable (req) ? OUTCOME_RETRY : OUTCOME_DONE;

      default:
        break;
      }

    if (reading.missing)
      request_set_error (req, SLUICE_HTTP_ERROR_NOT_FOUND, _("%s: %s (%s)."),
                         self->fabric_name, reading.detail, codes);
    else if (SOUP_STATUS_IS_SERVER_ERROR (status))
      request_set_error (req, SLUICE_HTTP_ERROR_SERVER,
                         _("%s: %s (%s). The service has trouble; try again later."),
                         self->fabric_name, reading.detail, codes);
    else if (SOUP_STATUS_IS_CLIENT_ERROR (status))
      request_set_error (req, SLUICE_HTTP_ERROR_REQUEST, _("%s: %s (%s)."),
                         self->fabric_name, reading.detail, codes);
    else
      request_set_error (req, SLUICE_HTTP_ERROR_FAILED,
                         _("%s answered with an unexpected status: %s (%s)."),
                         self->fabric_name, reading.detail, codes);
    return OUTCOME_DONE;
  }
}

/* The connection failed: before the request went out (always safe to try
 * again), or after (the answer is lost). */
static Outcome
handle_failure (Request *req,
                GError  *error)
{
  SluiceHttpClient *self = req->client;
  gboolean may_retry = !(req->flags & SLUICE_HTTP_NO_RETRY);

  if (req->timed_out)
    {
      log_attempt (req, 0, "timed out");
      if (req->sent && !request_is_replayable (req))
        {
          request_set_error (req, SLUICE_HTTP_ERROR_AMBIGUOUS,
                             _("%s did not answer %s %s within %u s, so the request to create something may or may not have been done. Check on the service before trying again."),
                             self->fabric_name, req->method, req->path, req->attempt_timeout_s);
          return OUTCOME_DONE;
        }
      request_set_error (req, SLUICE_HTTP_ERROR_TIMEOUT,
                         _("%s did not answer %s %s within %u s. Try again later, or check the fabric's URL in its settings."),
                         self->fabric_name, req->method, req->path, req->attempt_timeout_s);
      return may_retry ? OUTCOME_RETRY : OUTCOME_DONE;
    }

  log_attempt (req, 0, error->message);

  if (error->domain == G_TLS_ERROR)
    {
      request_set_error (req, SLUICE_HTTP_ERROR_FAILED,
                         _("%s: the TLS certificate of %s is not trusted (%s). If the service uses a private certificate authority, set the fabric's Custom CA file."),
                         self->fabric_name, self->host, error->message);
      return OUTCOME_DONE;
    }
  if (error->domain == G_RESOLVER_ERROR)
    {
      request_set_error (req, SLUICE_HTTP_ERROR_UNAVAILABLE,
                         _("%s: cannot find the host %s (%s). Check the fabric's URL in its settings."),
                         self->fabric_name, self->host, error->message);
      /* A lookup can fail for a moment when the network changes. */
      return may_retry && g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE)
             ? OUTCOME_RETRY : OUTCOME_DONE;
    }

  if (!req->sent)
    {
      request_set_error (req, SLUICE_HTTP_ERROR_UNAVAILABLE,
                         _("%s: cannot connect to %s (%s). Check the fabric's URL in its settings and that the service is running."),
                         self->fabric_name, self->host, error->message);
      return may_retry ? OUTCOME_RETRY : OUTCOME_DONE;
    }

  if (!request_is_replayable (req))
    {
      request_set_error (req, SLUICE_HTTP_ERROR_AMBIGUOUS,
                         _("%s: the connection was lost after the request to create something was sent (%s), so it may or may not have been done. Check on the service before trying again."),
                         self->fabric_name, error->message);
      return OUTCOME_DONE;
    }
  request_set_error (req, SLUICE_HTTP_ERROR_UNAVAILABLE,
                     _("%s: the connection to %s was lost before the whole answer arrived (%s). Try again later."),
                     self->fabric_name, self->host, error->message);
  return may_retry ? OUTCOME_RETRY : OUTCOME_DONE;
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->timer, g_source_unref);
  /* the source's ref goes when it is removed; the attempt takes its own */
  attempt_start (g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/* Waits before the next attempt, or gives up with the last error when the
 * wait would end past the budget. Consumes the caller's ref on @task. */
static void
schedule_retry (GTask  *task,
                Request *req,
                gint64   retry_after_s)
{
  SluiceHttpClient *self = req->client;
  gint64 wait_ms;
  gint64 elapsed_ms = (g_get_monotonic_time () - req->started_us) / 1000;

  if (retry_after_s >= 0)
    wait_ms = retry_after_s * 1000;
  else
    {
      gint64 base_ms = (gint64) MIN (MAX_BACKOFF_S, req->attempt) * 1000;
      wait_ms = base_ms + (gint64) g_random_double_range (0, JITTER_FRACTION * base_ms);
    }

  request_clear_attempt (req);
  if (elapsed_ms + wait_ms > (gint64) req->budget_s * 1000 ||
      ((req->flags & SLUICE_HTTP_QUICK) && req->attempt > SLUICE_HTTP_QUICK_RETRIES))
    {
      g_task_return_error (task, g_steal_pointer (&req->last_error));
      g_object_unref (task);
      return;
    }

  g_debug ("%s: %s %s: retrying in %" G_GINT64_FORMAT " ms", self->fabric_name, req->method,
           req->path, wait_ms);
  req->timer = g_timeout_source_new ((guint) wait_ms);
  g_source_set_static_name (req->timer, "[sluice] http backoff");
  g_source_set_callback (req->timer, backoff_done_cb, task, g_object_unref);
  g_source_attach (req->timer, g_task_get_context (task));
}

/* Ends the attempt in flight; consumes the ref on @task that the attempt
 * holds (see attempt_start). */
static void
attempt_finish (GTask  *task,
                GError *failure)
{
  Request *req = g_task_get_task_data (task);
  SluiceHttpResponse *response = NULL;
  gint64 wait_s = -1;
  Outcome outcome;

  if (g_cancellable_is_cancelled (req->cancellable))
    {
      request_clear_attempt (req);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
      g_object_unref (task);
      return;
    }

  outcome = failure != NULL ? handle_failure (req, failure) : handle_answer (req, &response, &wait_s);
  if (outcome == OUTCOME_RETRY)
    {
      schedule_retry (task, req, wait_s);
      return;
    }

  request_clear_attempt (req);
  if (response != NULL)
    g_task_return_pointer (task, response, (GDestroyNotify) sluice_http_response_free);
  else
    g_task_return_error (task, g_steal_pointer (&req->last_error));
  g_object_unref (task);
}

/* The attempt ends here and now, whether or not libsoup ever calls back:
 * a message that waits for a connection (all of the host's in use) is not
 * completed when its cancellable is, so waiting for that would let one
 * request hang for ever. The attempt's late callbacks find it gone. */
static gboolean
attempt_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GCancellable) cancel = g_steal_pointer (&req->attempt_cancel);
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");

  g_clear_pointer (&req->timer, g_source_unref);
  req->timed_out = TRUE;
  attempt_finish (task, error);
  g_cancellable_cancel (cancel);
  return G_SOURCE_REMOVE;
}

/* (Re)arms the per-attempt timeout: it runs from the start until the
 * headers, then from each piece of the body to the next, so a large
 * download that keeps moving is not cut off. */
static void
arm_timeout (GTask   *task,
             Request *req)
{
  guint timeout_ms = req->client->timeout_s * 1000;

  if (req->timer != NULL)
    {
      g_source_destroy (req->timer);
      g_clear_pointer (&req->timer, g_source_unref);
    }
  /* A QUICK request's attempts share its budget: a host that takes the
   * connection and never answers must not hold a connection test for the
   * full timeout. */
  if (req->flags & SLUICE_HTTP_QUICK)
    {
      gint64 left_ms = (gint64) req->budget_s * 1000 - (g_get_monotonic_time () - req->started_us) / 1000;

      timeout_ms = (guint) CLAMP (left_ms, 1000, (gint64) timeout_ms);
    }
  req->attempt_timeout_s = (timeout_ms + 999) / 1000;
  req->timer = g_timeout_source_new (timeout_ms);
  g_source_set_static_name (req->timer, "[sluice] http timeout");
  g_source_set_callback (req->timer, attempt_timeout_cb, task, NULL);
  g_source_attach (req->timer, g_task_get_context (task));
}

/* Every callback from libsoup or the stream holds a ref of its own on the
 * task: it may come after the attempt ended (timed out, cancelled), and
 * then it only lets go. */
static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);

  if (req->stream == NULL || G_INPUT_STREAM (source) != req->stream)
    return;  /* an attempt that already ended */
  if (chunk == NULL)
    {
      attempt_finish (task, error);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      /* libsoup finishes the message, and gives its connection back to the
       * session's pool, only when the body stream is closed. Left to the
       * stream's last unref (an idle callback, which a busy main loop may
       * not run for a long time), the host's 8 connections stay in use
       * and the next request waits for one for ever. */
      g_input_stream_close (req->stream, NULL, NULL);
      attempt_finish (task, NULL);
      return;
    }
  g_byte_array_append (req->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  arm_timeout (task, req);
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT, req->attempt_cancel,
                                   read_cb, g_object_ref (task));
}

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);

  if (req->message == NULL || soup_session_get_async_result_message (SOUP_SESSION (source), result) != req->message)
    return;  /* an attempt that already ended */
  if (stream == NULL)
    {
      attempt_finish (task, error);
      return;
    }
  req->stream = g_steal_pointer (&stream);
  arm_timeout (task, req);
  req->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (req->stream, READ_CHUNK, G_PRIORITY_DEFAULT, req->attempt_cancel,
                                   read_cb, g_object_ref (task));
}

static void
wrote_headers_cb (SoupMessage *message,
                  gpointer     user_data)
{
  Request *req = user_data;

  req->sent = TRUE;
}

static void
attempt_start (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  SluiceHttpClient *self = req->client;
  SoupMessageHeaders *headers;

  req->attempt++;
  req->sent = FALSE;
  req->timed_out = FALSE;
  req->attempt_us = g_get_monotonic_time ();
  req->message = soup_message_new (req->method, req->uri);
  g_assert (req->message != NULL);
  /* libsoup 3.2 crashes (a NULL read inside it, seen under ASan) when a
   * server closes a kept-alive connection as a request on it starts: every
   * request gets a connection of its own, which costs a handshake per call
   * and nothing else (remote calls are seconds apart). */
  soup_message_add_flags (req->message, SOUP_MESSAGE_NEW_CONNECTION);
  headers = soup_message_get_request_headers (req->message);
  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  if (!(req->flags & SLUICE_HTTP_RAW))
    soup_message_headers_replace (headers, "Accept", "application/json");
  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    soup_message_headers_replace (headers, g_ptr_array_index (self->headers, i),
                                  g_ptr_array_index (self->headers, i + 1));
  if (req->body != NULL)
    soup_message_set_request_body_from_bytes (req->message, "application/json", req->body);
  g_signal_connect (req->message, "wrote-headers", G_CALLBACK (wrote_headers_cb), req);

  req->attempt_cancel = g_cancellable_new ();
  arm_timeout (task, req);
  soup_session_send_async (self->session, req->message, G_PRIORITY_DEFAULT, req->attempt_cancel,
                           send_cb, g_object_ref (task));
}

/* The caller cancelled: the attempt in flight, or the backoff wait, ends
 * now (libsoup may never call back for a message still waiting for a
 * connection). Runs in the task's context. */
static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->cancel_source, g_source_unref);
  if (req->attempt_cancel != NULL)
    {
      g_autoptr(GCancellable) cancel = g_steal_pointer (&req->attempt_cancel);

      /* It sees the caller's cancellable, and takes the attempt's ref. */
      attempt_finish (task, NULL);
      g_cancellable_cancel (cancel);
    }
  else if (req->timer != NULL)
    {
      /* Waiting: destroying the backoff source drops the ref it held. */
      g_source_destroy (req->timer);
      g_clear_pointer (&req->timer, g_source_unref);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
    }
  return G_SOURCE_REMOVE;
}

void
sluice_http_client_request_async (SluiceHttpClient    *self,
                                  const char          *method,
                                  const char          *path_and_query,
                                  JsonNode            *body,
                                  SluiceHttpFlags      flags,
                                  const guint         *accept_status,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_http_client_request_async);
  g_task_set_check_cancellable (task, FALSE);

  req = g_new0 (Request, 1);
  req->client = g_object_ref (self);
  req->method = g_ascii_strup (method, -1);
  req->path = g_strdup (path_and_query);
  req->uri = g_strconcat (self->base_url, path_and_query, NULL);
  req->flags = flags;
  req->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  if (accept_status != NULL)
    {
      guint n = 0;
      while (accept_status[n] != 0)
        n++;
      req->accept_status = g_memdup2 (accept_status, (n + 1) * sizeof (guint));
    }
  if (body != NULL)
    {
      gsize len = 0;
      char *text = json_to_string (body, FALSE);
      len = strlen (text);
      req->body = g_bytes_new_take (text, len);
    }
  g_task_set_task_data (task, req, (GDestroyNotify) request_free);

  if (g_uri_peek_scheme (req->uri) == NULL || !g_uri_is_valid (req->uri, G_URI_FLAGS_ENCODED, NULL))
    {
      g_task_return_new_error (task, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_FAILED,
                               _("%s: “%s” is not a valid request path."), self->fabric_name, path_and_query);
      return;
    }
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
      return;
    }

  if (cancellable != NULL)
    {
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (req->cancel_source, "[sluice] http cancel");
      g_source_set_callback (req->cancel_source, G_SOURCE_FUNC (caller_cancelled_cb), task, NULL);
      g_source_attach (req->cancel_source, g_task_get_context (task));
    }
  req->budget_s = self->retry_budget_s;
  if (flags & SLUICE_HTTP_QUICK)
    req->budget_s = MIN (req->budget_s, SLUICE_HTTP_QUICK_BUDGET_S);
  req->started_us = g_get_monotonic_time ();
  attempt_start (g_steal_pointer (&task));
}

SluiceHttpResponse *
sluice_http_client_request_finish (SluiceHttpClient  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (SLUICE_IS_HTTP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_http_client_request_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the client ---- */

static void
sluice_http_client_finalize (GObject *object)
{
  SluiceHttpClient *self = SLUICE_HTTP_CLIENT (object);

  g_clear_object (&self->session);
  g_free (self->fabric_name);
  g_free (self->base_url);
  g_free (self->host);
  g_free (self->authorization);
  g_ptr_array_unref (self->secrets);
  g_ptr_array_unref (self->headers);

  G_OBJECT_CLASS (sluice_http_client_parent_class)->finalize (object);
}

static void
sluice_http_client_class_init (SluiceHttpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sluice_http_client_finalize;
}

static void
sluice_http_client_init (SluiceHttpClient *self)
{
  self->secrets = g_ptr_array_new_with_free_func (g_free);
  self->headers = g_ptr_array_new_with_free_func (g_free);
  self->timeout_s = DEFAULT_TIMEOUT_S;
  self->retry_budget_s = DEFAULT_RETRY_BUDGET_S;
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

SluiceHttpClient *
sluice_http_client_new (const char  *fabric_name,
                        const char  *base_url,
                        GError     **error)
{
  g_autoptr(SluiceHttpClient) self = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *url = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (fabric_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  url = g_strstrip (g_strdup (base_url ? base_url : ""));
  if (*url == '\0')
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the fabric has no URL. Set one in its settings."), fabric_name);
      return NULL;
    }
  /* The messages never quote the URL: a pasted one may carry a password. */
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the fabric's URL is not a URL (it must look like https://host.example.com)."),
                   fabric_name);
      return NULL;
    }
  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0')
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the fabric's URL has no host name."), fabric_name);
      return NULL;
    }
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && host_is_loopback (host)))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the fabric's URL must start with https:// (plain http is allowed only to this computer)."),
                   fabric_name);
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the fabric's URL must be only https://HOST[:PORT][/PATH], without a user, query or fragment."),
                   fabric_name);
      return NULL;
    }

  self = g_object_new (SLUICE_TYPE_HTTP_CLIENT, NULL);
  self->fabric_name = g_strdup (fabric_name);
  self->host = g_strdup (host);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  self->base_url = g_steal_pointer (&url);
  /* Timeouts are ours (per attempt, see arm_timeout), so soup's are off. */
  /* soup's default of 2 connections per host would queue a request behind
   * two slow ones (long polls, partition downloads), and our timeout runs
   * from the moment it is queued. */
  self->session = soup_session_new_with_options ("timeout", 0,
                                                 "max-conns-per-host", 8,
                                                 "max-conns", 16,
                                                 "user-agent", "Sluice/" PACKAGE_VERSION " ",
                                                 NULL);
  return g_steal_pointer (&self);
}

SluiceHttpClient *
sluice_http_client_new_for_fabric (SluiceFabric  *fabric,
                                   GError       **error)
{
  g_autoptr(SluiceHttpClient) self = NULL;
  const char *ca_file;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);
  g_return_val_if_fail (!sluice_fabric_is_local (fabric), NULL);

  self = sluice_http_client_new (sluice_fabric_get_name (fabric), sluice_fabric_get_setting (fabric, "url"), error);
  if (self == NULL)
    return NULL;
  ca_file = sluice_fabric_get_setting (fabric, "ca_file");
  if (ca_file != NULL && !sluice_http_client_set_ca_file (self, ca_file, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
sluice_http_client_get_base_url (SluiceHttpClient *self)
{
  g_return_val_if_fail (SLUICE_IS_HTTP_CLIENT (self), NULL);
  return self->base_url;
}

const char *
sluice_http_client_get_fabric_name (SluiceHttpClient *self)
{
  g_return_val_if_fail (SLUICE_IS_HTTP_CLIENT (self), NULL);
  return self->fabric_name;
}

void
sluice_http_client_set_bearer_token (SluiceHttpClient *self,
                                     const char       *token)
{
  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));

  g_clear_pointer (&self->authorization, g_free);
  if (token == NULL || *token == '\0')
    return;
  client_add_secret (self, token);
  self->authorization = g_strconcat ("Bearer ", token, NULL);
}

void
sluice_http_client_set_basic_auth (SluiceHttpClient *self,
                                   const char       *user,
                                   const char       *password)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));

  g_clear_pointer (&self->authorization, g_free);
  if (user == NULL)
    return;
  pair = g_strconcat (user, ":", password ? password : "", NULL);
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  client_add_secret (self, password);
  client_add_secret (self, encoded);
  self->authorization = g_strconcat ("Basic ", encoded, NULL);
}

void
sluice_http_client_set_header (SluiceHttpClient *self,
                               const char       *name,
                               const char       *value)
{
  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));
  g_return_if_fail (name != NULL);

  for (guint i = 0; i + 1 < self->headers->len; i += 2)
    if (g_ascii_strcasecmp (g_ptr_array_index (self->headers, i), name) == 0)
      {
        g_ptr_array_remove_range (self->headers, i, 2);
        break;
      }
  if (value == NULL)
    return;
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

gboolean
sluice_http_client_set_ca_file (SluiceHttpClient  *self,
                                const char        *path,
                                GError           **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SLUICE_IS_HTTP_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (path == NULL || *path == '\0')
    {
      /* back to the system's CAs */
      database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
      soup_session_set_tls_database (self->session, database);
      return TRUE;
    }
  database = g_tls_file_database_new (path, &local_error);
  if (database == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the custom CA file %s cannot be used: %s"),
                   self->fabric_name, path, local_error->message);
      return FALSE;
    }
  soup_session_set_tls_database (self->session, database);
  return TRUE;
}

void
sluice_http_client_set_error_reader (SluiceHttpClient      *self,
                                     SluiceHttpErrorReader  reader)
{
  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));
  self->error_reader = reader;
}

void
sluice_http_client_set_timeout (SluiceHttpClient *self,
                                guint             seconds)
{
  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));
  g_return_if_fail (seconds > 0);
  self->timeout_s = seconds;
}

void
sluice_http_client_set_retry_budget (SluiceHttpClient *self,
                                     guint             seconds)
{
  g_return_if_fail (SLUICE_IS_HTTP_CLIENT (self));
  self->retry_budget_s = seconds;
}
