#define G_LOG_DOMAIN "sluice-redact"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "sluice-redact.h"

/* Known secrets, longest first so that a secret containing another is
 * replaced whole. Guarded by the lock: engines log from worker threads. */
static GMutex     known_lock;
static GPtrArray *known;   /* owned (char *), nullable */

typedef struct
{
  const char *pattern;
  const char *replacement;
} Rule;

/* What a secret looks like even when this process has never seen it. The
 * replacements keep the key, so a log still says *what* was hidden. */
static const Rule rules[] = {
  /* Authorization: Bearer abc / Proxy-Authorization: Basic abc, to the end of the line */
  { "(\\b(?:proxy-)?authorization[\"']?\\s*[:=]\\s*+)(?!\\[redacted\\])[^\\r\\n]+", "\\1" SLUICE_REDACTED },
  /* a bearer token on its own */
  { "\\b(bearer\\s++)(?!\\[redacted\\])[A-Za-z0-9._~+/=-]{6,}", "\\1" SLUICE_REDACTED },
  /* basic credentials: base64 with at least one digit or + / = (not the word "Basic authentication") */
  { "\\b(basic\\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{6,}={0,2}", "\\1" SLUICE_REDACTED },
  /* Databricks personal access tokens */
  { "\\bdapi[0-9a-z]{16,}(?:-[0-9]+)?\\b", SLUICE_REDACTED },
  /* JSON web tokens (OAuth access tokens, Snowflake's) */
  { "\\beyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]*", SLUICE_REDACTED },
  /* password=…, "token": "…", client_secret=… in query strings, JSON, connection strings */
  { "(\\b(?:password|passwd|pwd|pat|token|access_token|refresh_token|id_token|client_secret|secret|"
    "api_key|apikey|private_key)[\"']?\\s*[=:]\\s*+[\"']?+)(?!\\[redacted\\])[^\\s&;,\"']+",
    "\\1" SLUICE_REDACTED },
  /* https://user:password@host */
  { "(\\b[a-z][a-z0-9+.-]*://[^/\\s:@]*:)(?!\\[redacted\\])[^@\\s/]+@", "\\1" SLUICE_REDACTED "@" },
};

static GRegex *
rule_regex (guint i)
{
  static GRegex *compiled[G_N_ELEMENTS (rules)];
  static gsize ready;

  if (g_once_init_enter (&ready))
    {
      for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
        {
          g_autoptr(GError) error = NULL;
          compiled[r] = g_regex_new (rules[r].pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0, &error);
          g_assert_no_error (error);
        }
      g_once_init_leave (&ready, 1);
    }
  return compiled[i];
}

static int
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a);
  gsize lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

void
sluice_redact_add_secret (const char *secret)
{
  if (secret == NULL || strlen (secret) < SLUICE_REDACT_MIN_LENGTH)
    return;

  g_mutex_lock (&known_lock);
  if (known == NULL)
    known = g_ptr_array_new ();
  for (guint i = 0; i < known->len; i++)
    if (g_str_equal (g_ptr_array_index (known, i), secret))
      {
        g_mutex_unlock (&known_lock);
        return;
      }
  /* Kept for the life of the process: a token that was deleted may still
   * turn up in a late response or a log line. */
  g_ptr_array_add (known, g_strdup (secret));
  g_ptr_array_sort (known, longest_first);
  g_mutex_unlock (&known_lock);
}

char *
sluice_redact (const char *text)
{
  g_autoptr(GString) out = NULL;
  char *result;

  if (text == NULL)
    return NULL;

  out = g_string_new (text);
  g_mutex_lock (&known_lock);
  for (guint i = 0; known && i < known->len; i++)
    g_string_replace (out, g_ptr_array_index (known, i), SLUICE_REDACTED, 0);
  g_mutex_unlock (&known_lock);

  result = g_string_free (g_steal_pointer (&out), FALSE);
  for (guint r = 0; r < G_N_ELEMENTS (rules); r++)
    {
      /* A literal replacement cannot fail; an invalid UTF-8 text can. */
      char *next = g_regex_replace (rule_regex (r), result, -1, 0, rules[r].replacement, 0, NULL);
      if (next == NULL)
        continue;
      g_free (result);
      result = next;
    }
  return result;
}

void
sluice_redact_error (GError *error)
{
  char *redacted;

  if (error == NULL)
    return;
  redacted = sluice_redact (error->message);
  g_free (error->message);
  error->message = redacted;
}

static GLogWriterOutput
redacting_writer (GLogLevelFlags   level,
                  const GLogField *fields,
                  gsize            n_fields,
                  gpointer         user_data)
{
  const char *domain = NULL;
  g_autofree GLogField *copy = NULL;
  g_autofree char *message = NULL;
  GLogWriterOutput ret;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
  /* Skip the work for debug messages nobody asked for. */
  if (g_log_writer_default_would_drop (level, domain))
    return G_LOG_WRITER_HANDLED;

  copy = g_memdup2 (fields, n_fields * sizeof *fields);
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (copy[i].key, "MESSAGE") && message == NULL)
      {
        g_autofree char *text = copy[i].length < 0 ? g_strdup (copy[i].value)
                                                   : g_strndup (copy[i].value, copy[i].length);
        message = sluice_redact (text);
        copy[i].value = message;
        copy[i].length = -1;
      }
  ret = g_log_writer_default (level, copy, n_fields, user_data);
  return ret;
}

static void
redacting_printerr (const char *string)
{
  g_autofree char *redacted = sluice_redact (string);

  fputs (redacted, stderr);
  fflush (stderr);
}

/* The old g_message()/g_debug() API passes the text to the default handler
 * before any writer; a test program's handler (g_test_init() installs one)
 * echoes it as it is. Redacted here too, so it never sees a secret. */
static GLogFunc previous_handler;

static void
redacting_handler (const char     *domain,
                   GLogLevelFlags  level,
                   const char     *message,
                   gpointer        user_data)
{
  g_autofree char *redacted = sluice_redact (message);

  previous_handler (domain, level, redacted, NULL);
}

void
sluice_redact_install_log_writer (void)
{
  static gsize installed;
  GLogFunc old;

  if (g_once_init_enter (&installed))
    {
      g_log_set_writer_func (redacting_writer, NULL, NULL);
      g_set_printerr_handler (redacting_printerr);
      g_once_init_leave (&installed, 1);
    }
  /* Again on every call: whoever set a default handler since is wrapped. */
  old = g_log_set_default_handler (redacting_handler, NULL);
  if (old != redacting_handler)
    previous_handler = old;
}
