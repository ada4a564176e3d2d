#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-engine.h"
#include "sluice-fabric.h"

G_BEGIN_DECLS

/* A stand-in service from tests/servers/ run for one test: the script is
 * started with /usr/bin/python3, its "PORT n" line read, and it is killed
 * by remote_test_server_stop(). The control API (see
 * tests/servers/sluice_test_server.py) scripts faults and shows what the
 * client sent. Every call here blocks: tests call them between main-loop
 * iterations, never from a callback that the client is waiting on. */

typedef struct
{
  GSubprocess *process;
  guint        port;
  char        *base_url;   /* http://127.0.0.1:PORT (https with --tls) */
} RemoteTestServer;

/* @script: a file name in tests/servers ("livy-server.py"); @argv: nullable,
 * NULL-terminated extra arguments. Aborts the test if it does not start. */
RemoteTestServer *remote_test_server_start    (const char        *script,
                                               const char * const *argv);
void              remote_test_server_stop     (RemoteTestServer  *server);

/* @json: nullable request body. Returns the parsed answer (transfer full). */
JsonNode         *remote_test_server_control  (RemoteTestServer  *server,
                                               const char        *method,
                                               const char        *path,
                                               const char        *json);
/* Appends faults: @json is one fault object or an array of them. */
void              remote_test_server_add_faults (RemoteTestServer *server,
                                                 const char       *json);
/* (transfer full): the array of logged requests, oldest first */
JsonArray        *remote_test_server_requests (RemoteTestServer  *server);
/* How many logged requests have @method and a path matching @path_regex. */
guint             remote_test_server_count    (RemoteTestServer  *server,
                                               const char        *method,
                                               const char        *path_regex);

/* Runs the default main context until @done is TRUE or @timeout_ms pass
 * (then fails the test). */
void              remote_test_wait            (gboolean          *done,
                                               guint              timeout_ms);

/* http://127.0.0.1:PORT where PORT was free a moment ago and has no
 * listener: connections to it are refused. (transfer full) */
char             *remote_test_refused_url     (void);

/* A GAsyncReadyCallback for any call: @user_data is a GAsyncResult ** that
 * gets a reference to the result. */
void              remote_test_result_cb       (GObject           *source,
                                               GAsyncResult      *result,
                                               gpointer           user_data);
/* Runs the default main context until *@result is set or @timeout_ms pass
 * (then fails the test); returns *@result. */
GAsyncResult     *remote_test_wait_result     (GAsyncResult     **result,
                                               guint              timeout_ms);
/* Cancels @cancellable as soon as @server has logged a request with
 * @method to a path matching @path_regex (looked at every 50 ms, on the
 * default main context). */
void              remote_test_cancel_on_request (RemoteTestServer *server,
                                                 const char       *method,
                                                 const char       *path_regex,
                                                 GCancellable     *cancellable);
/* How many such requests @server logged, once there is one or 2 s passed
 * (the main context runs meanwhile: a request may be on its way). */
guint             remote_test_await_count     (RemoteTestServer  *server,
                                               const char        *method,
                                               const char        *path_regex);

/* @engine's test_connection, run to its end (60 s at the most). */
gboolean          remote_test_connection      (SluiceEngine      *engine,
                                               GError           **error);
/* @engine's list_compute, run to its end. (transfer full) */
GListModel       *remote_test_list_compute    (SluiceEngine      *engine,
                                               GError           **error);

/* An engine for a new fabric of @kind called @name, made through the
 * factory as the window makes it: the keyring holds @secret (nullable) as
 * @secret_name, and the settings are key, value, …, NULL (a NULL value
 * leaves the setting unset). (transfer full) */
SluiceEngine     *remote_test_engine_new      (SluiceFabricKind   kind,
                                               const char        *name,
                                               const char        *secret_name,
                                               const char        *secret,
                                               const char        *first_key,
                                               ...) G_GNUC_NULL_TERMINATED;

/* Writes @text to @relative below @dir, making the folders; fails the
 * test if it cannot. */
void              remote_test_write_file      (const char        *dir,
                                               const char        *relative,
                                               const char        *text);
/* Deletes @path and everything below it. */
void              remote_test_remove_tree     (const char        *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RemoteTestServer, remote_test_server_stop)

G_END_DECLS
