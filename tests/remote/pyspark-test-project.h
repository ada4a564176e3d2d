#pragma once

#include "remote-test-util.h"
#include "sluice-engine.h"

G_BEGIN_DECLS

/* The project the PySpark engines' tests run (Databricks cluster, Livy):
 *
 *   sales:  orders ─▶ done (Filter status = 'done') ─┐
 *           customers ───────────────────────────────┴▶ joined (left Join)
 *           ─▶ by_customer (Aggregate: total = sum(amount), n = count(1))
 *           ─▶ write (Target shop.revenue)
 *   broken: orders ─▶ boom (Reformat of "channel", which the dataset
 *           declares and the service's table lacks: it raises when it runs)
 *
 * and the tables the stand-in services hold for it (PYSPARK_TEST_TABLES,
 * to POST to /__state): five orders, four of them done, of three
 * customers. */

#define PYSPARK_TEST_TABLES \
  "{\"tables\": {" \
  "\"shop.orders\": {\"columns\": [[\"order_id\", \"bigint\"], [\"customer_id\", \"bigint\"], [\"amount\", \"double\"], [\"status\", \"string\"]]," \
  " \"rows\": [[1, 1, 10.0, \"done\"], [2, 1, 5.5, \"open\"], [3, 2, 7.25, \"done\"], [4, 3, 1.0, \"done\"], [5, 1, 2.5, \"done\"]]}," \
  "\"shop.customers\": {\"columns\": [[\"customer_id\", \"bigint\"], [\"name\", \"string\"]]," \
  " \"rows\": [[1, \"Ada\"], [2, \"Grace\"], [3, \"Linus\"]]}}}"

typedef struct
{
  char          *dir;       /* the temporary folder */
  SluiceProject *project;
} PySparkTestProject;

PySparkTestProject *pyspark_test_project_new      (void);
void                pyspark_test_project_free     (PySparkTestProject *p);
/* (transfer full) a run of pipeline @name (up to @until_gem, nullable) */
SluiceRun          *pyspark_test_project_run      (PySparkTestProject *p,
                                                   const char         *name,
                                                   const char         *until_gem);

/* Runs @run on @engine, iterating the main context, at most @timeout_ms. */
gboolean            pyspark_test_run              (SluiceEngine       *engine,
                                                   SluiceRun          *run,
                                                   GCancellable       *cancellable,
                                                   guint               timeout_ms,
                                                   GError            **error);

/* Asserts what a finished run of "sales" must hold: every gem done, row
 * counts 5, 4, 4, 3, 3 (and 3 customers), the samples' values. */
void                pyspark_test_assert_sales     (SluiceRun          *run);

/* The value in @column (by name) of the sample row whose @key_column is
 * @key; fails the test if there is none. */
const char         *pyspark_test_value            (SluiceGemResult    *result,
                                                   const char         *key_column,
                                                   const char         *key,
                                                   const char         *column);

/* A test's stand-in service (@script, holding PYSPARK_TEST_TABLES) and
 * the project. */
typedef struct
{
  RemoteTestServer   *server;
  PySparkTestProject *project;
} PySparkTestFixture;

void                pyspark_test_fixture_set_up    (PySparkTestFixture *f,
                                                    const char         *script);
void                pyspark_test_fixture_tear_down (PySparkTestFixture *f,
                                                    gconstpointer       data);

/* A "notify::message" handler of a run that appends each message to
 * @messages (char *). */
void                pyspark_test_collect_message   (SluiceRun          *run,
                                                    GParamSpec         *pspec,
                                                    GPtrArray          *messages);
/* Whether one of @messages contains @needle. */
gboolean            pyspark_test_has_message       (GPtrArray          *messages,
                                                    const char         *needle);

/* Runs "sales" on @engine against a service that takes 0.3 s for every
 * answer, and asserts that the main loop never stopped for that long. */
void                pyspark_test_assert_responsive (PySparkTestFixture *f,
                                                    SluiceEngine       *engine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PySparkTestProject, pyspark_test_project_free)

G_END_DECLS
