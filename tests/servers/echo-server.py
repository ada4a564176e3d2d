#!/usr/bin/python3
"""A generic stand-in service for the HTTP layer's tests
(tests/remote/test-http-client.c), on the sluice_test_server base.

  ANY  /echo[/…]        {"method", "path", "query", "headers", "body"}
  POST /things          creates a thing: {"id": n}; a body carrying an
                        "idempotency_token" seen before answers the same id
                        (as Databricks Jobs does)
  GET  /things          {"things": [{"id", "body"}…]}
  GET  /things/<id>     the thing, or 404 {"error_code":
                        "RESOURCE_DOES_NOT_EXIST", "message": …}
  GET  /html            200 with an HTML page (a login portal, say)
  GET  /text            200 text/plain
  GET  /empty           204, no body
  GET  /gzip            JSON sent with Content-Encoding: gzip
  GET  /big?n=N         {"items": [0…N-1]}: a large body
"""

import gzip
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sluice_test_server import Reply, ServiceHandler, route, serve  # noqa: E402


class EchoHandler(ServiceHandler):

    def _echo(self, rest=""):
        return Reply(200, {
            "method": self.command,
            "path": self.path.split("?", 1)[0],
            "query": self.query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": self.json_body(),
        })

    @route("GET", r"/echo(/.*)?")
    def echo_get(self, rest):
        return self._echo(rest)

    @route("POST", r"/echo(/.*)?")
    def echo_post(self, rest):
        return self._echo(rest)

    @route("PUT", r"/echo(/.*)?")
    def echo_put(self, rest):
        return self._echo(rest)

    @route("DELETE", r"/echo(/.*)?")
    def echo_delete(self, rest):
        return self._echo(rest)

    @route("POST", r"/things")
    def create_thing(self):
        body = self.json_body() or {}
        things = self.state.setdefault("things", [])
        tokens = self.state.setdefault("tokens", {})
        token = body.get("idempotency_token") if isinstance(body, dict) else None
        if token is not None and token in tokens:
            return Reply(200, {"id": tokens[token]})
        thing_id = len(things) + 1
        things.append({"id": thing_id, "body": body})
        if token is not None:
            tokens[token] = thing_id
        return Reply(200, {"id": thing_id})

    @route("GET", r"/things")
    def list_things(self):
        return Reply(200, {"things": self.state.get("things", [])})

    @route("GET", r"/things/(\d+)")
    def get_thing(self, thing_id):
        for thing in self.state.get("things", []):
            if thing["id"] == int(thing_id):
                return Reply(200, thing)
        return Reply(404, {"error_code": "RESOURCE_DOES_NOT_EXIST",
                           "message": "Thing %s does not exist." % thing_id})

    @route("GET", r"/html")
    def html(self):
        return Reply(200, "<!DOCTYPE html><html><head><title>Sign in to continue</title></head>"
                     "<body><p>Please sign in.</p></body></html>",
                     {"Content-Type": "text/html; charset=utf-8"})

    @route("GET", r"/text")
    def text(self):
        return Reply(200, "just some text\n")

    @route("GET", r"/empty")
    def empty(self):
        return Reply(204)

    @route("GET", r"/gzip")
    def gzipped(self):
        data = gzip.compress(json.dumps({"rows": [[1, "a"], [2, "b"]], "compressed": True}).encode())
        return Reply(200, data, {"Content-Type": "application/json", "Content-Encoding": "gzip"})

    @route("GET", r"/big")
    def big(self):
        n = int(self.query.get("n", "1000"))
        return Reply(200, {"items": list(range(n))})

    def not_found(self):
        return Reply(404, {"message": "No such endpoint: %s %s" % (self.command, self.path.split("?")[0])})


if __name__ == "__main__":
    serve(EchoHandler, {})
