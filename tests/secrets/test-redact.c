/* The redactor: known secrets, the patterns, GErrors and the log writer. */
#include "config.h"

#include <gio/gio.h>

#include "sluice-redact.h"

static void
test_patterns (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "nothing to hide here", "nothing to hide here" },
    { "Authorization: Bearer abc.def-ghi", "Authorization: [redacted]" },
    { "> authorization:Basic dXNlcjpwYXNz\r\n< HTTP/1.1 200", "> authorization:[redacted]\r\n< HTTP/1.1 200" },
    { "Proxy-Authorization: Basic dXNlcjpwYXNz", "Proxy-Authorization: [redacted]" },
    { "{\"Authorization\": \"Bearer x1y2z3w4\"}", "{\"Authorization\": [redacted]" },
    { "sent bearer eyJabc.def and more", "sent bearer [redacted] and more" },
    { "header Basic dXNlcjpwYXNzd29yZA== ok", "header Basic [redacted] ok" },
    { "Basic authentication failed", "Basic authentication failed" },
    { "token dapi0123456789abcdef0123456789abcdef leaked", "token [redacted] leaked" },
    { "dapi0123456789abcdef0123456789abcdef-2", "[redacted]" },
    { "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end",
      "jwt [redacted] end" },
    { "jdbc:x://h/db;user=a;password=s3cr3t;ssl=1", "jdbc:x://h/db;user=a;password=[redacted];ssl=1" },
    { "GET /api?access_token=abc123&x=1", "GET /api?access_token=[redacted]&x=1" },
    { "{\"token\": \"abc123\", \"name\": \"n\"}", "{\"token\": \"[redacted]\", \"name\": \"n\"}" },
    { "client_secret=xyz pwd: hunter2", "client_secret=[redacted] pwd: [redacted]" },
    { "https://alice:hunter2@host.example.com/x", "https://alice:[redacted]@host.example.com/x" },
    { "https://host.example.com:8443/x", "https://host.example.com:8443/x" },
    { "No token is stored", "No token is stored" },
    { "Authorization: [redacted]", "Authorization: [redacted]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = sluice_redact (cases[i].in);

      g_test_message ("%s", cases[i].in);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
  g_assert_null (sluice_redact (NULL));
}

static void
test_known_secrets (void)
{
  g_autofree char *a = NULL, *b = NULL, *c = NULL;

  sluice_redact_add_secret ("plain-looking-value-42");
  sluice_redact_add_secret ("plain-looking");     /* a prefix: the longer one goes first */
  sluice_redact_add_secret ("abc");               /* too short to be worth it */
  sluice_redact_add_secret (NULL);

  a = sluice_redact ("service said: plain-looking-value-42 is invalid");
  g_assert_cmpstr (a, ==, "service said: [redacted] is invalid");
  b = sluice_redact ("plain-looking and abc");
  g_assert_cmpstr (b, ==, "[redacted] and abc");
  c = sluice_redact ("xplain-looking-value-42plain-looking-value-42");
  g_assert_cmpstr (c, ==, "x[redacted][redacted]");
}

static void
test_error (void)
{
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                                         "HTTP 403 from https://h: {\"message\": \"bad Authorization: Bearer q1w2e3r4\"}");

  sluice_redact_error (error);
  g_assert_cmpstr (error->message, ==, "HTTP 403 from https://h: {\"message\": \"bad Authorization: [redacted]");
  sluice_redact_error (NULL);
}

static void
test_log_writer (void)
{
  if (g_test_subprocess ())
    {
      sluice_redact_install_log_writer ();
      sluice_redact_install_log_writer ();   /* harmless */
      sluice_redact_add_secret ("canary-3f9a1c77e2");
      g_message ("message with canary-3f9a1c77e2 and Authorization: Bearer zzzzzzzz");
      g_debug ("debug with canary-3f9a1c77e2");
      g_printerr ("printerr with canary-3f9a1c77e2\n");
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDIN);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*message with [redacted] and Authorization: [redacted]*");
  g_test_trap_assert_stderr ("*printerr with [redacted]*");
  g_test_trap_assert_stderr_unmatched ("*canary-3f9a1c77e2*");
  g_test_trap_assert_stdout_unmatched ("*canary-3f9a1c77e2*");
  g_test_trap_assert_stderr_unmatched ("*zzzzzzzz*");
}

static void
test_log_writer_debug (void)
{
  if (g_test_subprocess ())
    {
      sluice_redact_install_log_writer ();
      sluice_redact_add_secret ("canary-77d0e4b5aa");
      g_debug ("debug with canary-77d0e4b5aa");
      return;
    }
  /* G_MESSAGES_DEBUG=all: debug output is redacted too. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDIN);
  g_unsetenv ("G_MESSAGES_DEBUG");
  g_test_trap_assert_passed ();
  /* GLib writes debug messages to stdout. */
  g_test_trap_assert_stdout ("*debug with [redacted]*");
  g_test_trap_assert_stdout_unmatched ("*canary-77d0e4b5aa*");
  g_test_trap_assert_stderr_unmatched ("*canary-77d0e4b5aa*");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/secrets/redact/patterns-hide-what-looks-secret", test_patterns);
  g_test_add_func ("/sluice/secrets/redact/known-secrets-are-hidden-longest-first", test_known_secrets);
  g_test_add_func ("/sluice/secrets/redact/error-message-in-place", test_error);
  g_test_add_func ("/sluice/secrets/redact/log-writer-and-printerr-redact", test_log_writer);
  g_test_add_func ("/sluice/secrets/redact/log-writer-redacts-debug-output", test_log_writer_debug);

  return g_test_run ();
}
