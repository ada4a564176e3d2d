#!/usr/bin/python3
"""A stand-in Databricks workspace for the cluster engine's tests: the
Clusters API 2.1 and the Command Execution API 1.2 as ENGINE-APIS.md §1.1–1.5
describe them, field by field, over sluice_test_server's control API.

State machines advance with polls, so tests are deterministic:
  cluster   TERMINATED --start--> PENDING --(pending_polls gets)--> RUNNING;
            create → PENDING likewise; delete → TERMINATING → TERMINATED
  context   Pending --(context_pending_polls statuses)--> Running
  command   Queued --(queued_polls)--> Running --(running_polls)--> Finished
            (the code runs then, on the fake pyspark); cancel while Queued
            or Running → Cancelling --(next status)--> Cancelled
Settings (POST /__state): token, pending_polls, context_pending_polls,
queued_polls, running_polls, clusters {id: ClusterDetails}, tables
{name: {columns, rows}} (what spark.read.table reads and Targets write),
page_size (clusters/list's default page), error_on (a command whose code
contains this text finishes with an error result instead of running).
"""

import itertools
import sys
import time

from sluice_test_server import Reply, ServiceHandler, route, serve
from fake_interpreter import Interpreter

_ids = itertools.count(1)


def err(status, code, message):
    return Reply(status, {"error_code": code, "message": message})


def legacy(status, message):
    """API 1.2's error shape."""
    return Reply(status, {"error": message})


class Databricks(ServiceHandler):
    def authorize(self):
        auth = self.headers.get("Authorization")
        if not auth or not auth.startswith("Bearer "):
            return Reply(401, {"error_code": 401, "message":
                               "Credential was not sent or was of an unsupported type for this API. [ReqId: 3bbb6628]"})
        if auth[7:] != self.state["token"]:
            return Reply(403, {"error_code": 403, "message": "Invalid access token."},
                         {"X-Databricks-Reason-Phrase": "Invalid access token."})
        return None

    def bad_json(self, exc):
        return err(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request - expected a map")

    def not_found(self):
        return err(404, "ENDPOINT_NOT_FOUND", "No API found for '%s %s'" % (self.command, self.path.split("?")[0]))

    # ---- clusters ----

    def _cluster(self, cluster_id):
        return self.state["clusters"].get(cluster_id or "")

    def _missing(self, cluster_id):
        return err(400, "INVALID_PARAMETER_VALUE", "Cluster %s does not exist" % cluster_id)

    def _advance_cluster(self, c):
        if c["state"] in ("PENDING", "RESTARTING"):
            c["_polls"] = c.get("_polls", 0) + 1
            if c["_polls"] > self.state["pending_polls"]:
                c["state"] = "RUNNING"
                c["state_message"] = ""
                c["start_time"] = int(time.time() * 1000)
                c["_polls"] = 0
        elif c["state"] == "TERMINATING":
            c["state"] = "TERMINATED"
            c["state_message"] = "Terminated by user"
            c["terminated_time"] = int(time.time() * 1000)

    @staticmethod
    def _public(c):
        return {k: v for k, v in c.items() if not k.startswith("_")}

    @route("GET", r"/api/2\.[01]/clusters/get")
    def clusters_get(self):
        c = self._cluster(self.query.get("cluster_id"))
        if c is None:
            return self._missing(self.query.get("cluster_id"))
        self._advance_cluster(c)
        return Reply(200, self._public(c))

    @route("GET", r"/api/2\.[01]/clusters/list")
    def clusters_list(self):
        everything = sorted(self.state["clusters"].values(), key=lambda c: c["cluster_id"])
        # The service may answer fewer than asked for: at most its page_size.
        size = min(int(self.query.get("page_size") or 100), self.state["page_size"])
        start = int(self.query.get("page_token") or 0)
        page = everything[start:start + size]
        body = {"next_page_token": str(start + size) if start + size < len(everything) else "",
                "prev_page_token": str(max(0, start - size)) if start else ""}
        if page:
            body["clusters"] = [self._public(c) for c in page]
        return Reply(200, body)

    @route("POST", r"/api/2\.[01]/clusters/start")
    def clusters_start(self):
        body = self.json_body() or {}
        c = self._cluster(body.get("cluster_id"))
        if c is None:
            return self._missing(body.get("cluster_id"))
        if c["state"] != "TERMINATED":
            return err(400, "INVALID_STATE", "Cluster %s is in unexpected state %s."
                       % (c["cluster_id"], c["state"].capitalize()))
        c["state"] = "PENDING"
        c["state_message"] = "Finding instances for new nodes, acquiring more instances if necessary"
        c["_polls"] = 0
        return Reply(200, {})

    @route("POST", r"/api/2\.[01]/clusters/create")
    def clusters_create(self):
        body = self.json_body() or {}
        if not body.get("spark_version"):
            return err(400, "INVALID_PARAMETER_VALUE", "Missing required field: spark_version")
        token = body.get("idempotency_token")
        if token and token in self.state["idempotency"]:
            return Reply(200, {"cluster_id": self.state["idempotency"][token]})
        cluster_id = "1202-%06d-new%d" % (next(_ids), len(self.state["clusters"]))
        self.state["clusters"][cluster_id] = {
            "cluster_id": cluster_id, "cluster_name": body.get("cluster_name", ""),
            "spark_version": body["spark_version"], "node_type_id": body.get("node_type_id", ""),
            "num_workers": body.get("num_workers", 0), "autotermination_minutes": body.get("autotermination_minutes", 0),
            "state": "PENDING", "state_message": "Setting up 1 nodes.", "cluster_source": "API",
            "creator_user_name": "tester@example.com", "spark_context_id": 0, "_polls": 0}
        if token:
            self.state["idempotency"][token] = cluster_id
        return Reply(200, {"cluster_id": cluster_id})

    @route("POST", r"/api/2\.[01]/clusters/delete")
    def clusters_delete(self):
        body = self.json_body() or {}
        c = self._cluster(body.get("cluster_id"))
        if c is None:
            return self._missing(body.get("cluster_id"))
        if c["state"] != "TERMINATED":
            c["state"] = "TERMINATING"
        return Reply(200, {})

    # ---- contexts (API 1.2: camelCase, legacy errors) ----

    def _running_cluster(self, cluster_id):
        c = self._cluster(cluster_id)
        if c is None:
            return None, self._missing(cluster_id)
        if c["state"] not in ("RUNNING", "RESIZING"):
            return None, legacy(400, "ClusterNotReadyException: Cluster %s is in state %s" % (cluster_id, c["state"]))
        return c, None

    @route("POST", r"/api/1\.2/contexts/create")
    def contexts_create(self):
        body = self.json_body() or {}
        c, refused = self._running_cluster(body.get("clusterId"))
        if refused:
            return refused
        if body.get("language") != "python":
            return legacy(400, "Unsupported language: %s" % body.get("language"))
        context_id = str(1234567890123456789 + next(_ids))
        self.state["contexts"][context_id] = {"id": context_id, "clusterId": c["cluster_id"], "status": "Pending",
                                              "_polls": 0, "_interpreter": Interpreter(self.state["tables"])}
        return Reply(200, {"id": context_id})

    def _context(self, cluster_id, context_id):
        ctx = self.state["contexts"].get(context_id or "")
        if ctx is None or ctx["clusterId"] != cluster_id:
            return None, legacy(400, "ContextNotFound: Context %s does not exist." % context_id)
        return ctx, None

    @route("GET", r"/api/1\.2/contexts/status")
    def contexts_status(self):
        ctx, refused = self._context(self.query.get("clusterId"), self.query.get("contextId"))
        if refused:
            return refused
        if ctx["status"] == "Pending":
            ctx["_polls"] += 1
            if ctx["_polls"] > self.state["context_pending_polls"]:
                ctx["status"] = "Running"
        return Reply(200, {"id": ctx["id"], "status": ctx["status"]})

    @route("POST", r"/api/1\.2/contexts/destroy")
    def contexts_destroy(self):
        body = self.json_body() or {}
        ctx, refused = self._context(body.get("clusterId"), body.get("contextId"))
        if refused:
            return refused
        del self.state["contexts"][ctx["id"]]
        self.state["destroyed_contexts"].append(ctx["id"])
        return Reply(200, {})

    # ---- commands ----

    @route("POST", r"/api/1\.2/commands/execute")
    def commands_execute(self):
        body = self.json_body() or {}
        ctx, refused = self._context(body.get("clusterId"), body.get("contextId"))
        if refused:
            return refused
        if ctx["status"] != "Running":
            return legacy(400, "Context %s is not running (%s)" % (ctx["id"], ctx["status"]))
        if body.get("language") != "python" or not isinstance(body.get("command"), str):
            return legacy(400, "Missing required field: command")
        command_id = "%08x-7890-1cde-234f-5abcdef67890" % next(_ids)
        self.state["commands"][command_id] = {"id": command_id, "status": "Queued", "_polls": 0,
                                              "_context": ctx["id"], "_code": body["command"]}
        self.state["executed"].append(body["command"])
        return Reply(200, {"id": command_id})

    def _command(self, q):
        ctx, refused = self._context(q.get("clusterId"), q.get("contextId"))
        if refused:
            return None, None, refused
        cmd = self.state["commands"].get(q.get("commandId") or "")
        if cmd is None or cmd["_context"] != ctx["id"]:
            return None, None, legacy(400, "Command %s does not exist." % q.get("commandId"))
        return ctx, cmd, None

    def _execute(self, ctx, cmd):
        if self.state.get("error_on") and self.state["error_on"] in cmd["_code"]:
            # A scripted failure of the statement itself, as the cluster reports one.
            cmd["status"] = "Finished"
            cmd["results"] = {"resultType": "error",
                              "summary": "<b>org.apache.spark.SparkException</b>: Job aborted due to stage failure"
                                         " &amp; executor lost",
                              "cause": "---\nSparkException: Job aborted due to stage failure\n  at ..."}
            return
        out, failure = ctx["_interpreter"].run(cmd["_code"])
        cmd["status"] = "Finished"
        if failure:
            ename, evalue, tb = failure
            cmd["results"] = {"resultType": "error",
                              "summary": "<span class='ansi-red-fg'>%s</span>: %s" % (ename, evalue),
                              "cause": "---------------------------------------------------------------------------\n"
                                       + "".join(tb)}
        else:
            cmd["results"] = {"resultType": "text", "data": out.rstrip("\n")}

    @route("GET", r"/api/1\.2/commands/status")
    def commands_status(self):
        ctx, cmd, refused = self._command(self.query)
        if refused:
            return refused
        cmd["_polls"] += 1
        if cmd["status"] == "Queued" and cmd["_polls"] > self.state["queued_polls"]:
            cmd["status"], cmd["_polls"] = "Running", 0
        elif cmd["status"] == "Running" and cmd["_polls"] > self.state["running_polls"]:
            self._execute(ctx, cmd)
        elif cmd["status"] == "Cancelling":
            cmd["status"] = "Cancelled"
            cmd["results"] = {"resultType": "error", "summary": "Command cancelled", "cause": "Cancelled by user"}
        body = {"id": cmd["id"], "status": cmd["status"]}
        if "results" in cmd:
            body["results"] = cmd["results"]
        return Reply(200, body)

    @route("POST", r"/api/1\.2/commands/cancel")
    def commands_cancel(self):
        ctx, cmd, refused = self._command(self.json_body() or {})
        if refused:
            return refused
        if cmd["status"] in ("Queued", "Running"):
            cmd["status"] = "Cancelling"
        return Reply(200, {})


def main():
    state = {
        "token": "dapi-test-token",
        "pending_polls": 2,
        "context_pending_polls": 1,
        "queued_polls": 1,
        "running_polls": 1,
        "page_size": 100,
        "clusters": {
            "1202-211320-brick1": {
                "cluster_id": "1202-211320-brick1", "cluster_name": "etl", "spark_version": "15.4.x-scala2.12",
                "node_type_id": "i3.xlarge", "num_workers": 2, "state": "RUNNING", "state_message": "",
                "start_time": 1718000000000, "autotermination_minutes": 60, "cluster_source": "UI",
                "creator_user_name": "someone@example.com", "spark_context_id": 0},
        },
        "contexts": {},
        "destroyed_contexts": [],
        "commands": {},
        "executed": [],
        "idempotency": {},
        "tables": {},
    }
    serve(Databricks, state)


if __name__ == "__main__":
    sys.exit(main())
