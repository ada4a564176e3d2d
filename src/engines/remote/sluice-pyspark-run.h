/* sluice-pyspark-run.h: what the PySpark engines (Databricks cluster, Livy)
 * share: checking a run's pipeline and writing its interactive program, and
 * reading what each gem statement printed into the run. Main thread only. */
#pragma once

#include <gio/gio.h>

#include "sluice-pyspark-interactive.h"
#include "sluice-run.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Checks @run's pipeline as the Local engine does (every problem that
 * keeps it from running is added to the run, then
 * SLUICE_ENGINE_ERROR_PIPELINE) and writes its program; begins the run with
 * its gems. On failure the run is begun empty and finished FAILED.
 * (transfer full) */
SluicePySparkInteractive *sluice_pyspark_run_prepare     (SluiceRun         *run,
                                                          GError           **error);

/* Reads the text a gem's statement printed: its marker line becomes the
 * gem's result (row count, schema, sample; a Target's output), added to the
 * run. A marker with an error, or none, fails the gem: its result carries
 * the error, which is also returned. */
gboolean                  sluice_pyspark_run_take_output (SluiceRun         *run,
                                                          const char        *gem_id,
                                                          const char        *text,
                                                          double             elapsed_ms,
                                                          GError           **error);
/* Fails @gem_id with what the service said about its statement (an error
 * result, a dead session): a result with the error, on that gem. */
void                      sluice_pyspark_run_fail_gem    (SluiceRun         *run,
                                                          const char        *gem_id,
                                                          const GError      *error);

/* Finishes @run (CANCELLED, FAILED or SUCCEEDED by @error) and returns
 * @task with @error (transfer full, nullable). */
void                      sluice_pyspark_run_complete    (SluiceRun         *run,
                                                          GTask             *task,
                                                          GError            *error);

/* The service's error text without HTML tags and entities (Databricks
 * error summaries). (transfer full) */
char                     *sluice_pyspark_strip_html      (const char        *text);

/* The next wait of a poll: @delay_ms doubled, capped at @max_ms. */
static inline guint
sluice_pyspark_backoff (guint delay_ms,
                        guint max_ms)
{
  return MIN (delay_ms * 2, max_ms);
}

/* The array member @name of @o, or NULL (json-glib 1.6 has no
 * json_object_get_array_member_with_default). */
static inline JsonArray *
sluice_pyspark_array_member (JsonObject *o,
                             const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Whether a failed poll (an idempotent GET) is worth trying again: a 5xx
 * or a garbled answer, which the HTTP client does not retry itself. */
gboolean                  sluice_pyspark_is_transient    (const GError      *error);

/* A JSON object of string members: key, value, …, NULL (a NULL value
 * leaves its member out). (transfer full) */
JsonNode                 *sluice_pyspark_json_object     (const char        *first_key,
                                                          ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
