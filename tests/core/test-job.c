/* jobs/NAME.json: the model, its file format and validation. */
#include "config.h"

#include <string.h>

#include "sluice-core.h"

static SluiceJob *
load (const char *text,
      GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  return sluice_job_load_from_bytes ("nightly", "jobs/nightly.json", bytes, NULL, error);
}

static char *
to_text (SluiceJob *job)
{
  g_autoptr(GBytes) bytes = sluice_job_to_bytes (job);

  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static const char old_file[] =
  "{\n"
  "  \"format_version\": 1,\n"
  "  \"fabric\": \"prod\",\n"
  "  \"schedule\": {\n"
  "    \"cron\": \"0 0 6 * * ?\",\n"
  "    \"timezone\": \"Europe/Berlin\",\n"
  "    \"paused\": false\n"
  "  },\n"
  "  \"pipelines\": [\"a\", \"b\"]\n"
  "}\n";

static const char full_file[] =
  "{\n"
  "  \"format_version\": 1,\n"
  "  \"description\": \"Nightly\",\n"
  "  \"fabric\": \"prod\",\n"
  "  \"schedule\": {\n"
  "    \"cron\": \"0 30 5 ? * MON-FRI\",\n"
  "    \"timezone\": \"UTC\",\n"
  "    \"paused\": true\n"
  "  },\n"
  "  \"pipelines\": [\"a\", \"b\"],\n"
  "  \"cluster\": {\n"
  "    \"spark_version\": \"15.4.x-scala2.12\",\n"
  "    \"node_type\": \"i3.xlarge\",\n"
  "    \"workers\": 4,\n"
  "    \"autotermination_minutes\": 30,\n"
  "    \"spot\": true\n"
  "  },\n"
  "  \"retries\": {\n"
  "    \"max\": 3,\n"
  "    \"interval_seconds\": 60\n"
  "  },\n"
  "  \"email_on_failure\": [\"ops@example.com\", \"ana@example.org\"],\n"
  "  \"workspace_folder\": \"/Users/ana@example.org/sluice\",\n"
  "  \"owner_note\": \"from a newer Sluice\"\n"
  "}\n";

static void
test_old_file_loads_with_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJob) job = load (old_file, &error);
  g_autofree char *text = NULL;
  g_autofree char *folder = NULL;

  g_assert_no_error (error);
  g_assert_null (sluice_job_get_node_type (job));
  g_assert_cmpstr (sluice_job_get_spark_version (job), ==, "14.3.x-scala2.12");
  g_assert_cmpuint (sluice_job_get_workers (job), ==, 2);
  g_assert_cmpuint (sluice_job_get_autotermination (job), ==, 60);
  g_assert_cmpuint (sluice_job_get_max_retries (job), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) sluice_job_get_emails (job)), ==, 0);
  g_assert_null (sluice_job_get_workspace_folder (job));
  folder = sluice_job_dup_workspace_folder (job, "shop");
  g_assert_cmpstr (folder, ==, "/Shared/sluice/shop");
  /* Written back unchanged: nothing new appears in an old file. */
  text = to_text (job);
  g_assert_cmpstr (text, ==, old_file);
}

static void
test_full_file_round_trips (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJob) job = load (full_file, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (sluice_job_get_node_type (job), ==, "i3.xlarge");
  g_assert_cmpstr (sluice_job_get_spark_version (job), ==, "15.4.x-scala2.12");
  g_assert_cmpuint (sluice_job_get_workers (job), ==, 4);
  g_assert_cmpuint (sluice_job_get_autotermination (job), ==, 30);
  g_assert_cmpuint (sluice_job_get_max_retries (job), ==, 3);
  g_assert_cmpuint (sluice_job_get_retry_interval (job), ==, 60);
  g_assert_cmpstr (sluice_job_get_emails (job)[1], ==, "ana@example.org");
  g_assert_cmpstr (sluice_job_get_workspace_folder (job), ==, "/Users/ana@example.org/sluice");
  g_assert_true (sluice_job_get_paused (job));
  /* Unknown members (top level and in the cluster) are kept. */
  text = to_text (job);
  g_assert_cmpstr (text, ==, full_file);
}

static void
test_wrong_type_names_the_member (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJob) job = load ("{\"format_version\": 1, \"schedule\": {\"cron\": \"0 0 0 * * ?\"},"
                                   " \"pipelines\": [\"a\"], \"cluster\": {\"workers\": \"many\"}}", &error);

  g_assert_null (job);
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, "jobs/nightly.json"));
  g_assert_nonnull (strstr (error->message, "workers"));
}

static void
count_cb (SluiceJob *job,
          guint     *n)
{
  (*n)++;
}

static void
test_setters_notify_only_changes (void)
{
  g_autoptr(SluiceJob) job = sluice_job_new ("nightly");
  const char * const pipelines[] = { "a", "b", NULL };
  const char * const emails[] = { "ops@example.com", NULL };
  g_autofree char *text = NULL;
  guint n = 0;

  g_signal_connect (job, "changed", G_CALLBACK (count_cb), &n);
  sluice_job_set_cron (job, "0 0 0 * * ?");     /* the default: no change */
  g_assert_cmpuint (n, ==, 0);
  sluice_job_set_cron (job, "0 15 22 ? * *");
  g_assert_cmpuint (n, ==, 1);
  sluice_job_set_pipelines (job, pipelines);
  sluice_job_set_pipelines (job, pipelines);
  g_assert_cmpuint (n, ==, 2);
  sluice_job_set_node_type (job, "m5.large");
  sluice_job_set_node_type (job, "m5.large");
  g_assert_cmpuint (n, ==, 3);
  sluice_job_set_workers (job, 8);
  sluice_job_set_max_retries (job, 1);
  sluice_job_set_retry_interval (job, 30);
  sluice_job_set_emails (job, emails);
  sluice_job_set_emails (job, emails);
  sluice_job_set_paused (job, TRUE);
  sluice_job_set_paused (job, TRUE);
  sluice_job_set_timezone (job, "America/New_York");
  sluice_job_set_fabric (job, "prod");
  sluice_job_set_description (job, "");         /* empty is unset, as it was */
  g_assert_cmpuint (n, ==, 10);

  text = to_text (job);
  g_assert_cmpstr (text, ==,
    "{\n"
    "  \"format_version\": 1,\n"
    "  \"fabric\": \"prod\",\n"
    "  \"schedule\": {\n"
    "    \"cron\": \"0 15 22 ? * *\",\n"
    "    \"timezone\": \"America/New_York\",\n"
    "    \"paused\": true\n"
    "  },\n"
    "  \"pipelines\": [\"a\", \"b\"],\n"
    "  \"cluster\": {\n"
    "    \"spark_version\": \"14.3.x-scala2.12\",\n"
    "    \"node_type\": \"m5.large\",\n"
    "    \"workers\": 8,\n"
    "    \"autotermination_minutes\": 60\n"
    "  },\n"
    "  \"retries\": {\n"
    "    \"max\": 1,\n"
    "    \"interval_seconds\": 30\n"
    "  },\n"
    "  \"email_on_failure\": [\"ops@example.com\"]\n"
    "}\n");
  /* New pipelines that point into the job's own list. */
  {
    const char * const *current = sluice_job_get_pipelines (job);
    const char * const swapped[] = { current[1], current[0], NULL };

    sluice_job_set_pipelines (job, swapped);
    g_assert_cmpstr (sluice_job_get_pipelines (job)[0], ==, "b");
    g_assert_cmpstr (sluice_job_get_pipelines (job)[1], ==, "a");
  }
  g_signal_handlers_disconnect_by_func (job, count_cb, &n);
  g_assert_finalize_object (g_steal_pointer (&job));
}

static char *
messages (GPtrArray *diagnostics)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < diagnostics->len; i++)
    {
      g_autofree char *line = sluice_diagnostic_to_string (g_ptr_array_index (diagnostics, i));
      g_string_append_printf (out, "%s\n", line);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_validation_names_each_problem (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJob) job = load (
    "{\"format_version\": 1,\n"
    " \"schedule\": {\"cron\": \"0 0 25 * * ?\", \"timezone\": \"Mars/Olympus\"},\n"
    " \"pipelines\": [\"a\", \"a\"],\n"
    " \"cluster\": {\"node_type\": \"x\", \"workers\": 5000},\n"
    " \"email_on_failure\": [\"ops@example.com\", \"not an address\"],\n"
    " \"workspace_folder\": \"Shared/x\"}\n", &error);
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  diagnostics = sluice_job_validate (job, NULL);
  text = messages (diagnostics);
  g_assert_cmpstr (text, ==,
    "jobs/nightly.json:2:23: error: the cron expression “0 0 25 * * ?”: “25” is not a valid hours field\n"
    "jobs/nightly.json:2:51: error: “Mars/Olympus” is not a time zone (use a name such as “Europe/Berlin” or “UTC”)\n"
    "jobs/nightly.json:3:21: error: the pipeline “a” is listed twice\n"
    "jobs/nightly.json:4:43: error: the cluster has 5000 workers; at most 1000 are allowed\n"
    "jobs/nightly.json:5:42: error: “not an address” is not an e-mail address\n"
    "jobs/nightly.json:6:22: error: the Workspace folder “Shared/x” must start with “/”\n");
}

static void
test_email_check (void)
{
  static const struct { const char *address; gboolean ok; } cases[] = {
    { "ops@example.com", TRUE },
    { "first.last+tag@sub.example.co.uk", TRUE },
    { "ops", FALSE },
    { "@example.com", FALSE },
    { "ops@example", FALSE },
    { "ops@@example.com", FALSE },
    { "ops@.example.com", FALSE },
    { "ops @example.com", FALSE },
    { "ops@example.com.", FALSE },
    { "a@b.c, d@e.f", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *problem = sluice_email_check (cases[i].address);
      if (cases[i].ok)
        g_assert_null (problem);
      else
        g_assert_nonnull (strstr (problem, cases[i].address));
    }
}

static void
test_cron_describe (void)
{
  static const struct { const char *cron, *text; } cases[] = {
    { "0 0 5 * * ?", "every day at 05:00" },
    { "0 15 22 ? * *", "every day at 22:15" },
    { "0 30 6 ? * MON-FRI", "at 06:30 on Monday to Friday" },
    { "0 0 8 ? * MON,WED,FRI", "at 08:00 on Monday, Wednesday, Friday" },
    { "0 0 8 ? * 1", "at 08:00 on Sunday" },
    { "0 0 1 15 * ?", "at 01:00 on day 15 of every month" },
    { "0 0 1 L * ?", "at 01:00 on the last day of every month" },
    { "0 0/15 * * * ?", "every 15 minutes" },
    { "0 */1 * * * ?", "every 1 minute" },
    { "0 10 * * * ?", "every hour at minute 10" },
    { "0 5 0/6 * * ?", "every 6 hours at minute 5" },
    { "0 0 5 * * ? *", "every day at 05:00" },
    { "30 0 5 * * ?", NULL },           /* seconds: too unusual to say simply */
    { "0 0 5 * JAN ?", NULL },
    { "0 0 5 * * ? 2030", NULL },
    { "0 0 5 * *", NULL },              /* invalid */
    { "0 61 5 * * ?", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sluice_cron_describe (cases[i].cron);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_slug (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Retail analytics", "retail_analytics" },
    { "  Shop -- 2024! ", "shop_2024" },
    { "ÄÖÜ", "project" },
    { "already_ok", "already_ok" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *slug = sluice_job_slug (cases[i].in);
      g_assert_cmpstr (slug, ==, cases[i].out);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/core/job/old-file-loads-with-defaults", test_old_file_loads_with_defaults);
  g_test_add_func ("/sluice/core/job/full-file-round-trips", test_full_file_round_trips);
  g_test_add_func ("/sluice/core/job/wrong-type-names-the-member", test_wrong_type_names_the_member);
  g_test_add_func ("/sluice/core/job/setters-notify-only-changes", test_setters_notify_only_changes);
  g_test_add_func ("/sluice/core/job/validation-names-each-problem", test_validation_names_each_problem);
  g_test_add_func ("/sluice/core/job/email-check", test_email_check);
  g_test_add_func ("/sluice/core/job/cron-describe", test_cron_describe);
  g_test_add_func ("/sluice/core/job/slug", test_slug);
  return g_test_run ();
}
