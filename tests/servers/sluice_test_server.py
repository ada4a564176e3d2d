"""The base of Sluice's stand-in services (Databricks, Livy, Snowflake) for tests.

Each service script subclasses ServiceHandler, registers its routes with
@route(METHOD, REGEX), and calls serve(HandlerClass, state). It listens on
127.0.0.1 on a free port and prints "PORT <n>" on its first line of stdout,
so a test reads one line and connects.

Besides the service's own API every server answers a control API, used by
tests to script faults and to look at what the client sent:

  POST /__faults    [{fault}, …]   appends faults (see below)
  DELETE /__faults                  clears them
  GET /__requests                   every request so far: method, path,
                                    query, headers, body (JSON or text)
  DELETE /__requests                clears the log
  POST /__latency   {"seconds": s}  sleeps s before every answer
  POST /__state     {…}             merged into the service's state dict
  GET /__state                      the service's state (JSON-able parts)

A fault matches a request by "method" (optional) and "path" (a regex
searched in the path without the query, optional), and fires "times" times
(default 1; 0 = for ever). "action" is one of:

  status          answer "status" with "headers" and "body" (a JSON value,
                  or a string sent as is) instead of the real handler
  html            answer "status" (default 502) with an HTML error page
  truncate        run the real handler, then send only the first half of
                  its JSON (with a Content-Length that matches the cut)
  reset_mid_body  run the real handler, send its headers and half of its
                  body, then close the connection
  reset           close the connection without answering
  delay           sleep "seconds" before sending the headers, then answer
                  normally
  drop_response   run the real handler (its effects happen), then close the
                  connection without answering: a lost response

Run a script with "--tls CERT KEY" (PEM files) to serve https instead; the
"PORT <n>" line is the same. A server started with a pipe on stdin exits
when it closes, so a test that aborts leaves no server behind.
"""

import json
import os
import re
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_ROUTES_ATTR = "_sluice_routes"


def route(method, pattern):
    """Registers a handler method for METHOD and a regex fully matching the
    path (without the query). Groups are passed as arguments."""

    def wrap(fn):
        fn._sluice_route = (method, re.compile(pattern + r"\Z"))
        return fn

    return wrap


class Reply:
    """What a route returns: a status, a JSON value or bytes, headers."""

    def __init__(self, status=200, body=None, headers=None):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})

    def encode(self):
        if self.body is None:
            return b""
        if isinstance(self.body, (bytes, bytearray)):
            return bytes(self.body)
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json.dumps(self.body).encode("utf-8")


class ServiceHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "SluiceTestServer/1.0"

    # set by serve()
    state = None
    lock = None
    faults = None
    requests = None
    latency = [0.0]

    def log_message(self, fmt, *args):  # quiet: tests read the control API
        pass

    # ---- helpers for services ----

    def json_body(self):
        """The request's JSON body, or None if there is none; raises
        ValueError (answered as the service's own parse error by
        bad_json()) if it does not parse."""
        if not self._raw_body:
            return None
        return json.loads(self._raw_body.decode("utf-8"))

    def bad_json(self, exc):
        """A service overrides this to answer unparsable JSON its own way."""
        return Reply(400, {"message": "Malformed JSON: %s" % exc})

    def not_found(self):
        """A service overrides this to answer an unknown path its own way."""
        return Reply(404, {"message": "No such endpoint: %s %s" % (self.command, self.path)})

    def authorize(self):
        """A service overrides this: None if the request may go on, else
        the Reply that refuses it (401/403 with the service's body)."""
        return None

    # ---- the machinery ----

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._raw_body = self.rfile.read(length) if length else b""

    def _log_request(self, path, query):
        try:
            body = json.loads(self._raw_body.decode("utf-8")) if self._raw_body else None
        except ValueError:
            body = self._raw_body.decode("utf-8", "replace")
        with self.lock:
            self.requests.append({
                "method": self.command,
                "path": path,
                "query": query,
                "headers": {k: v for k, v in self.headers.items()},
                "body": body,
                "time": time.time(),
            })

    def _take_fault(self, path):
        with self.lock:
            for fault in self.faults:
                if fault.get("method") and fault["method"] != self.command:
                    continue
                if fault.get("path") and not re.search(fault["path"], path):
                    continue
                times = fault.get("times", 1)
                if times == 1:
                    self.faults.remove(fault)
                elif times > 1:
                    fault["times"] = times - 1
                return dict(fault)
        return None

    def _send(self, reply, body=None, length=None):
        data = reply.encode() if body is None else body
        self.send_response(reply.status)
        headers = {k.lower(): (k, v) for k, v in reply.headers.items()}
        if "content-type" not in headers and data:
            ctype = "application/json" if not isinstance(reply.body, (bytes, str)) else "text/plain; charset=utf-8"
            self.send_header("Content-Type", ctype)
        for name, value in headers.values():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data) if length is None else length))
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _drop(self):
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True

    def _control(self, path):
        if path == "/__faults":
            if self.command == "POST":
                faults = self.json_body() or []
                with self.lock:
                    self.faults.extend(faults if isinstance(faults, list) else [faults])
            elif self.command == "DELETE":
                with self.lock:
                    self.faults.clear()
            return Reply(200, {"faults": len(self.faults)})
        if path == "/__requests":
            if self.command == "DELETE":
                with self.lock:
                    self.requests.clear()
                return Reply(200, {})
            with self.lock:
                return Reply(200, {"requests": list(self.requests)})
        if path == "/__latency":
            self.latency[0] = float((self.json_body() or {}).get("seconds", 0))
            return Reply(200, {})
        if path == "/__state":
            with self.lock:
                if self.command == "POST":
                    self.state.update(self.json_body() or {})
                return Reply(200, json.loads(json.dumps(self.state, default=lambda o: None)))
        return Reply(404, {"message": "unknown control path"})

    def _dispatch(self, path):
        for name in dir(type(self)):
            fn = getattr(type(self), name, None)
            spec = getattr(fn, "_sluice_route", None)
            if not spec or spec[0] != self.command:
                continue
            m = spec[1].match(path)
            if m:
                refused = self.authorize()
                if refused is not None:
                    return refused
                try:
                    self.json_body()
                except ValueError as exc:
                    return self.bad_json(exc)
                with self.lock:
                    return fn(self, *m.groups())
        return self.not_found()

    def _handle(self):
        self._read_body()
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        self.query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        if path.startswith("/__"):
            self._send(self._control(path))
            return
        self._log_request(path, self.query)
        if self.latency[0] > 0:
            time.sleep(self.latency[0])
        fault = self._take_fault(path)
        action = fault.get("action") if fault else None
        if action == "reset":
            self._drop()
            return
        if action == "delay":
            time.sleep(float(fault.get("seconds", 1)))
            action = None
        if action == "status":
            self._send(Reply(fault.get("status", 500), fault.get("body"), fault.get("headers")))
            return
        if action == "html":
            status = fault.get("status", 502)
            page = ("<html><head><title>%d Bad Gateway</title></head><body><h1>Error %d</h1>"
                    "<pre>%s</pre></body></html>") % (status, status, fault.get("message", "Bad Gateway"))
            self._send(Reply(status, page, {"Content-Type": "text/html; charset=utf-8"}))
            return
        reply = self._dispatch(path)
        if action == "drop_response":
            self._drop()
            return
        if action == "truncate":
            data = reply.encode()
            self._send(reply, body=data[: max(1, len(data) // 2)])
            return
        if action == "reset_mid_body":
            data = reply.encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self._drop()
            return
        self._send(reply)

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_PATCH(self):
        self._handle()


def _exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except (OSError, ValueError):
        pass
    os._exit(0)


def _tls_from_argv():
    argv = sys.argv[1:]
    if "--tls" not in argv:
        return None
    i = argv.index("--tls")
    return argv[i + 1], argv[i + 2]


def serve(handler_class, state=None, port=0, tls=None):
    """Runs the service until killed; prints "PORT <n>" first. @tls: a
    (cert, key) pair of PEM files, or None for the script's "--tls CERT
    KEY" arguments, if any."""
    handler_class.state = state if state is not None else {}
    handler_class.lock = threading.RLock()
    handler_class.faults = []
    handler_class.requests = []
    handler_class.latency = [0.0]
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", port), handler_class)
    tls = tls or _tls_from_argv()
    if tls:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls[0], tls[1])
        # The handshake happens in the handler's thread, at its first read,
        # so a client that rejects the certificate cannot stall the server.
        server.socket = context.wrap_socket(server.socket, server_side=True,
                                            do_handshake_on_connect=False)
    if not sys.stdin.isatty():
        threading.Thread(target=_exit_when_stdin_closes, daemon=True).start()
    sys.stdout.write("PORT %d\n" % server.server_address[1])
    sys.stdout.flush()
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
