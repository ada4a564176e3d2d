#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Redaction: the one place that decides what a token looks like in text.
 * Every log line, debug message and error message built from a service's
 * response goes through sluice_redact().
 *
 * Two layers: a process-wide registry of the secret values this process has
 * seen (the credential store adds every value it stores or looks up), and
 * patterns for what secrets look like even when unknown ("Bearer …",
 * "Authorization: …", Databricks "dapi…" tokens, JWTs, password=…, a
 * password in a URL). */

#define SLUICE_REDACTED "[redacted]"

/* Values shorter than this are not registered: replacing every "ab" in a
 * log would destroy it, and such a password is not worth hiding anyway. */
#define SLUICE_REDACT_MIN_LENGTH 4

void      sluice_redact_add_secret          (const char *secret);
/* (transfer full): @text with every known secret and every secret-looking
 * part replaced by SLUICE_REDACTED; NULL for NULL. */
char     *sluice_redact                     (const char *text);
/* Redacts @error's message in place (nullable). */
void      sluice_redact_error               (GError     *error);
/* Makes GLib's log writer, its default log handler and g_printerr redact
 * every message first, so G_MESSAGES_DEBUG=all output is safe too. For
 * programs, not libraries: GLib allows one writer per process. Calling it
 * again is harmless, and wraps a default handler set since (a test
 * program calls it after g_test_init(), which sets one). */
void      sluice_redact_install_log_writer  (void);

G_END_DECLS
