#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-engines-types.h"

G_BEGIN_DECLS

/* The one HTTP layer of the remote engines (issue 7): a SoupSession per
 * fabric, JSON in and out, a per-request timeout, retries and the
 * retry budget, https only (loopback excepted), TLS verified with an
 * optional custom CA file, and error bodies turned into one sentence that
 * names the fabric.
 *
 * Retries: only for 429, 503 and connection failures (refused, reset,
 * dropped before the whole body arrived), honouring Retry-After (seconds
 * or an HTTP date), otherwise min(10, attempt) s plus up to 20 % jitter,
 * for as long as the retry budget (300 s; SLUICE_HTTP_QUICK: 12 s and two
 * retries) lasts. A request that creates
 * something (SLUICE_HTTP_CREATES) is retried only when it carries an
 * idempotency key (SLUICE_HTTP_IDEMPOTENT: Jobs `idempotency_token`,
 * Snowflake `requestId`). GET, HEAD and DELETE are always idempotent.
 * Two failures say that nothing was done, so every request is retried
 * after them: a refused connection (nothing was sent) and a 429 (the
 * service declined). A creating request whose answer was lost (reset,
 * dropped, timed out) fails with SLUICE_HTTP_ERROR_AMBIGUOUS; a 503 to it
 * is not retried either (a gateway may answer 503 after the work is done).
 *
 * The timeout runs per attempt, from the start until the headers, then
 * from each piece of the body to the next. Use a client from the thread
 * that made it (the main thread): soup sessions are not shared.
 *
 * Debug logging (G_MESSAGES_DEBUG=sluice-http) names method, path, status
 * and timing, never headers or bodies, and passes through the redactor that
 * the program installed (sluice_http_set_redactor()). */

#define SLUICE_TYPE_HTTP_CLIENT (sluice_http_client_get_type ())
G_DECLARE_FINAL_TYPE (SluiceHttpClient, sluice_http_client, SLUICE, HTTP_CLIENT, GObject)

typedef enum {
  SLUICE_HTTP_NONE       = 0,
  SLUICE_HTTP_CREATES    = 1 << 0,  /* a POST that makes something: no blind retry */
  SLUICE_HTTP_IDEMPOTENT = 1 << 1,  /* carries an idempotency key: retry is safe */
  SLUICE_HTTP_NO_RETRY   = 1 << 2,  /* never retry (cancel calls, polling does its own) */
  SLUICE_HTTP_RAW        = 1 << 3,  /* the body need not be JSON (HTML pages, empty) */
  SLUICE_HTTP_QUICK      = 1 << 4,  /* someone waits (Test connection): the short budget below */
} SluiceHttpFlags;

/* A QUICK request gives up after SLUICE_HTTP_QUICK_BUDGET_S in all (each
 * attempt's timeout included) and SLUICE_HTTP_QUICK_RETRIES retries, so that
 * a connection test against a host that is down answers in seconds. */
#define SLUICE_HTTP_QUICK_BUDGET_S 12
#define SLUICE_HTTP_QUICK_RETRIES  2

/* What a service answered with a 2xx status, or with a status the caller
 * accepted (sluice_http_client_request_async's @accept_status). */
typedef struct
{
  guint         status;
  JsonNode     *body;       /* nullable: empty body, or RAW and not JSON */
  GBytes       *raw;        /* the body's bytes, decompressed */
  GHashTable   *headers;    /* lower-case name → value */
} SluiceHttpResponse;

void                 sluice_http_response_free (SluiceHttpResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceHttpResponse, sluice_http_response_free)

/* A service-specific reading of an error body: returns the service's own
 * message (transfer full), or NULL to fall back to the generic reading
 * (`message`, `msg`, `error`, an HTML page's <pre> or <title>, the reason
 * phrase). */
typedef char *(*SluiceHttpErrorReader) (guint        status,
                                        JsonNode    *body,
                                        const char  *raw_text);

/* @fabric_name: what error messages call it (“Databricks prod”).
 * @base_url: https://HOST[:PORT][/PATH]; http only on loopback; checked
 * here (SLUICE_ENGINE_ERROR_FAILED naming the problem). */
SluiceHttpClient *sluice_http_client_new          (const char        *fabric_name,
                                                   const char        *base_url,
                                                   GError           **error);
/* A client for @fabric: named after it, on its "url" setting, trusting its
 * "ca_file" setting when set (a file the fabric check found readable; if
 * it went since, the error names it). No credentials: the engine sets
 * those from its secrets. */
SluiceHttpClient *sluice_http_client_new_for_fabric (SluiceFabric    *fabric,
                                                     GError         **error);
const char       *sluice_http_client_get_base_url (SluiceHttpClient  *self);
const char       *sluice_http_client_get_fabric_name (SluiceHttpClient *self);

/* Authorization: Bearer TOKEN on every request (the token is registered
 * with the redactor). */
void              sluice_http_client_set_bearer_token (SluiceHttpClient *self,
                                                       const char       *token);
void              sluice_http_client_set_basic_auth   (SluiceHttpClient *self,
                                                       const char       *user,
                                                       const char       *password);
/* An extra header on every request (X-Requested-By, the Snowflake token
 * type, Accept…). */
void              sluice_http_client_set_header       (SluiceHttpClient *self,
                                                       const char       *name,
                                                       const char       *value);
/* A PEM file of CA certificates trusted instead of the system's. */
gboolean          sluice_http_client_set_ca_file      (SluiceHttpClient *self,
                                                       const char       *path,
                                                       GError          **error);
void              sluice_http_client_set_error_reader (SluiceHttpClient *self,
                                                       SluiceHttpErrorReader reader);
/* Defaults 60 s and 300 s; tests shorten them. */
void              sluice_http_client_set_timeout      (SluiceHttpClient *self,
                                                       guint             seconds);
void              sluice_http_client_set_retry_budget (SluiceHttpClient *self,
                                                       guint             seconds);

/* @path_and_query: relative to the base URL ("/api/2.1/clusters/get?cluster_id=…";
 * values escaped by the caller, see sluice_http_escape()). @body: nullable,
 * sent as application/json. @accept_status: nullable, 0-terminated statuses
 * besides 2xx that are answers rather than errors (Snowflake's 422, 408). 
 * Any other status fails with SLUICE_HTTP_ERROR and one sentence:
 * “Databricks prod: Invalid access token (HTTP 403). Check the token in the
 * fabric's settings.” */
void                sluice_http_client_request_async  (SluiceHttpClient    *self,
                                                       const char          *method,
                                                       const char          *path_and_query,
                                                       JsonNode            *body,
                                                       SluiceHttpFlags      flags,
                                                       const guint         *accept_status,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* (transfer full) */
SluiceHttpResponse *sluice_http_client_request_finish (SluiceHttpClient    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

/* Percent-encodes a query or path value. (transfer full) */
char               *sluice_http_escape                (const char          *value);

/* The process-wide redactor every debug line and error message passes
 * through; the UI and the CLI set sluice_redact() (engines may not include
 * the secrets layer). NULL: none. */
typedef char *(*SluiceHttpRedactor) (const char *text);
void                sluice_http_set_redactor          (SluiceHttpRedactor redactor);
/* (transfer full) through the installed redactor */
char               *sluice_http_redact                (const char *text);

#define SLUICE_HTTP_ERROR (sluice_http_error_quark ())

typedef enum {
  SLUICE_HTTP_ERROR_FAILED,         /* anything else */
  SLUICE_HTTP_ERROR_UNAUTHORIZED,   /* 401, 403 */
  SLUICE_HTTP_ERROR_NOT_FOUND,      /* 404, and Databricks' "… does not exist" */
  SLUICE_HTTP_ERROR_CONFLICT,       /* 409 */
  SLUICE_HTTP_ERROR_RATE_LIMITED,   /* 429 after the budget ran out */
  SLUICE_HTTP_ERROR_UNAVAILABLE,    /* 503, refused, reset after the budget ran out */
  SLUICE_HTTP_ERROR_TIMEOUT,        /* no answer within the per-request timeout */
  SLUICE_HTTP_ERROR_BAD_RESPONSE,   /* truncated or invalid JSON, HTML where JSON was due */
  SLUICE_HTTP_ERROR_SERVER,         /* other 5xx */
  SLUICE_HTTP_ERROR_REQUEST,        /* other 4xx */
  SLUICE_HTTP_ERROR_AMBIGUOUS,      /* a creating request may or may not have been done */
} SluiceHttpError;

GQuark              sluice_http_error_quark           (void);

G_END_DECLS
