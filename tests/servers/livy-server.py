#!/usr/bin/python3
"""A stand-in Apache Livy server for the Livy engine's tests: sessions and
statements as ENGINE-APIS.md §2 describes them, field by field, over
sluice_test_server's control API.

State machines advance with polls, so tests are deterministic:
  session    starting --(starting_polls gets of it)--> idle, or the state
             named by "session_fate" (dead, error, killed) with log lines;
             idle ⇄ busy while a statement runs
  statement  waiting --(waiting_polls)--> running --(running_polls)-->
             available (the code runs then, on the fake pyspark);
             cancel: waiting → cancelled, running → cancelling → cancelled
Settings (POST /__state): starting_polls, session_fate, waiting_polls,
running_polls, csrf (require X-Requested-By), user/password (Basic auth
required when user is set), tables {name: {columns, rows}}, error_on (a
statement whose code contains this text fails instead of running).
"""

import base64
import sys
import time

from sluice_test_server import Reply, ServiceHandler, route, serve
from fake_interpreter import Interpreter


def msg(status, text):
    return Reply(status, {"msg": text})


class Livy(ServiceHandler):
    def authorize(self):
        if self.state.get("user"):
            expected = "Basic " + base64.b64encode(
                ("%s:%s" % (self.state["user"], self.state.get("password", ""))).encode()).decode()
            if self.headers.get("Authorization") != expected:
                return Reply(401, "<html><head><title>Error 401 Unauthorized</title></head>"
                                  "<body><h2>HTTP ERROR 401</h2><pre>Unauthorized</pre></body></html>",
                             {"Content-Type": "text/html", "WWW-Authenticate": 'Basic realm="livy"'})
        if self.state.get("csrf") and self.command not in ("GET", "HEAD", "OPTIONS") \
                and not self.headers.get("X-Requested-By"):
            return msg(400, "Missing Required Header for CSRF protection.")
        return None

    def bad_json(self, exc):
        return msg(400, "Unexpected character: %s" % exc)

    def not_found(self):
        return msg(404, "Not found: %s" % self.path)

    # ---- sessions ----

    def _session(self, key):
        sessions = self.state["sessions"]
        if key in sessions:
            return sessions[key]
        for s in sessions.values():
            if s["name"] == key:
                return s
        return None

    @staticmethod
    def _public(s):
        return {k: v for k, v in s.items() if not k.startswith("_")}

    def _advance(self, s):
        if s["state"] == "starting":
            s["_polls"] += 1
            if s["_polls"] > self.state["starting_polls"]:
                fate = self.state.get("session_fate") or "idle"
                s["state"] = fate
                if fate != "idle":
                    s["_log"].extend(["26/12/01 14:00:03 ERROR SparkContext: Error initializing SparkContext.",
                                      "java.lang.OutOfMemoryError: Java heap space",
                                      "YARN Diagnostics: Application killed by user."])
        s["log"] = s["_log"][-10:]

    @route("GET", r"/sessions")
    def sessions_list(self):
        sessions = sorted(self.state["sessions"].values(), key=lambda s: s["id"])
        start = int(self.query.get("from") or 0)
        size = int(self.query.get("size") or 100)
        for s in sessions:
            self._advance(s)
        return Reply(200, {"from": start, "total": len(sessions),
                           "sessions": [self._public(s) for s in sessions[start:start + size]]})

    @route("POST", r"/sessions")
    def sessions_create(self):
        body = self.json_body() or {}
        if body.get("kind") not in (None, "spark", "pyspark", "sparkr", "sql"):
            return msg(400, "Rejected, Reason: requirement failed: unknown kind %s" % body.get("kind"))
        sid = self.state["next_id"]
        self.state["next_id"] += 1
        s = {"id": sid, "name": body.get("name"), "appId": None, "owner": None,
             "proxyUser": body.get("proxyUser"), "state": "starting", "kind": body.get("kind", "shared"),
             "appInfo": {"driverLogUrl": None, "sparkUiUrl": None, "executorLogUrls": None},
             "log": [], "ttl": None, "idleTimeout": None, "driverMemory": None, "driverCores": 0,
             "executorMemory": None, "executorCores": 0, "conf": body.get("conf", {}), "archives": [],
             "files": [], "heartbeatTimeoutInSecond": 0, "jars": [], "numExecutors": 0, "pyFiles": [],
             "queue": None,
             "_polls": 0, "_log": ["stdout: ", "\nstderr: ", "26/12/01 14:00:00 INFO SparkContext: Running Spark"],
             "_statements": [], "_interpreter": Interpreter(self.state["tables"])}
        self.state["sessions"][str(sid)] = s
        return Reply(201, self._public(s), {"Location": "/sessions/%d" % sid})

    def _find(self, key):
        s = self._session(key)
        if s is None:
            return None, msg(404, "Session '%s' not found." % key)
        return s, None

    @route("GET", r"/sessions/([^/]+)")
    def sessions_get(self, key):
        s, refused = self._find(key)
        if refused:
            return refused
        self._advance(s)
        return Reply(200, self._public(s))

    @route("GET", r"/sessions/([^/]+)/state")
    def sessions_state(self, key):
        s, refused = self._find(key)
        if refused:
            return refused
        self._advance(s)
        return Reply(200, {"id": s["id"], "state": s["state"]})

    @route("GET", r"/sessions/([^/]+)/log")
    def sessions_log(self, key):
        s, refused = self._find(key)
        if refused:
            return refused
        lines = s["_log"]
        size = int(self.query.get("size") or 100)
        start = int(self.query["from"]) if self.query.get("from") else max(0, len(lines) - size)
        return Reply(200, {"id": s["id"], "from": start, "total": len(lines), "log": lines[start:start + size]})

    @route("DELETE", r"/sessions/([^/]+)")
    def sessions_delete(self, key):
        s, refused = self._find(key)
        if refused:
            return refused
        del self.state["sessions"][str(s["id"])]
        self.state["deleted"].append(s["id"])
        return msg(200, "deleted")

    # ---- statements ----

    @route("POST", r"/sessions/([^/]+)/statements")
    def statements_create(self, key):
        s, refused = self._find(key)
        if refused:
            return refused
        if s["state"] not in ("idle", "busy"):
            return msg(500, "java.lang.IllegalStateException: Session is in state %s" % s["state"])
        body = self.json_body() or {}
        if not isinstance(body.get("code"), str):
            return msg(400, "Rejected, Reason: requirement failed: code is required")
        st = {"id": len(s["_statements"]), "code": body["code"], "state": "waiting", "output": None,
              "progress": 0.0, "started": 0, "completed": 0, "_polls": 0}
        s["_statements"].append(st)
        self.state["executed"].append(body["code"])
        return Reply(201, self._public(st), {"Location": "/sessions/%d/statements/%d" % (s["id"], st["id"])})

    @route("GET", r"/sessions/([^/]+)/statements")
    def statements_list(self, key):
        s, refused = self._find(key)
        if refused:
            return refused
        statements = list(s["_statements"])
        if self.query.get("order") == "desc":
            statements.reverse()
        start = int(self.query.get("from") or 0)
        size = int(self.query.get("size") or 100)
        return Reply(200, {"total_statements": len(statements),
                           "statements": [self._public(st) for st in statements[start:start + size]]})

    def _statement(self, key, sid):
        s, refused = self._find(key)
        if refused:
            return None, None, refused
        try:
            return s, s["_statements"][int(sid)], None
        except (ValueError, IndexError):
            return None, None, msg(404, "Statement not found")

    def _run(self, s, st):
        if self.state.get("error_on") and self.state["error_on"] in st["code"]:
            # A scripted failure of the statement itself.
            out, failure = "", ("Py4JJavaError", "An error occurred while calling o123.count: executor lost",
                                ["Traceback (most recent call last):\n", "py4j.protocol.Py4JJavaError: executor lost\n"])
        else:
            out, failure = s["_interpreter"].run(st["code"])
        st["state"], st["progress"], st["completed"] = "available", 1.0, int(time.time() * 1000)
        if failure:
            ename, evalue, tb = failure
            st["output"] = {"status": "error", "execution_count": st["id"], "ename": ename, "evalue": evalue,
                            "traceback": tb}
        else:
            st["output"] = {"status": "ok", "execution_count": st["id"], "data": {"text/plain": out.rstrip("\n")}}
        s["state"] = "idle"

    @route("GET", r"/sessions/([^/]+)/statements/([^/]+)")
    def statements_get(self, key, sid):
        s, st, refused = self._statement(key, sid)
        if refused:
            return refused
        st["_polls"] += 1
        if st["state"] == "waiting" and st["_polls"] > self.state["waiting_polls"]:
            st["state"], st["_polls"], st["started"] = "running", 0, int(time.time() * 1000)
            s["state"] = "busy"
        elif st["state"] == "running":
            st["progress"] = 0.5
            if st["_polls"] > self.state["running_polls"]:
                self._run(s, st)
        elif st["state"] == "cancelling":
            st["state"] = "cancelled"
            s["state"] = "idle"
        return Reply(200, self._public(st))

    @route("POST", r"/sessions/([^/]+)/statements/([^/]+)/cancel")
    def statements_cancel(self, key, sid):
        s, st, refused = self._statement(key, sid)
        if refused:
            return refused
        if st["state"] == "waiting":
            st["state"] = "cancelled"
        elif st["state"] == "running":
            st["state"] = "cancelling"
        return msg(200, "canceled")


def main():
    state = {
        "starting_polls": 2,
        "session_fate": None,
        "waiting_polls": 0,
        "running_polls": 1,
        "csrf": True,
        "user": None,
        "password": None,
        "next_id": 0,
        "sessions": {},
        "deleted": [],
        "executed": [],
        "tables": {},
    }
    serve(Livy, state)


if __name__ == "__main__":
    sys.exit(main())
