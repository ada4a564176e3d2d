#!/usr/bin/python3
"""A stand-in Databricks workspace for Sluice's job deploys (ENGINE-APIS.md
§1.1-1.3, 1.6, 1.7): Workspace mkdirs/import/get-status/delete and Jobs API
2.1 create/get/list/reset/delete/run-now/runs list/get/cancel.

- Bearer token: --token TOKEN (default "dapi-test"); none → 401 with a
  numeric error_code, a wrong one → 403 "Invalid access token.".
- Job and run ids are int64 above 2^53 (ids start at 2^53 + 1000).
- Runs advance one state per runs/get or runs/list that shows them:
  QUEUED → PENDING → RUNNING → TERMINATING → TERMINATED (SUCCESS), unless
  POST /__state {"fail_runs": true} makes them end FAILED. runs/cancel
  ends a run CANCELED.
- run-now dedupes by idempotency_token, as Databricks does: the same token
  gives the same run.
- Workspace import: ≤ 10 MB, the parent folder must exist, overwrite, a
  .py whose first line is "# Databricks notebook source" becomes a
  NOTEBOOK without the extension (format AUTO), else a FILE.

State (GET /__state): "objects" {path: {object_type, content (base64), …}},
"jobs" {id: {...}}, "runs" {id: {...}}.
"""

import base64
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sluice_test_server import Reply, ServiceHandler, route, serve  # noqa: E402

FIRST_ID = 2 ** 53 + 1000
MAX_IMPORT = 10 * 1024 * 1024
NOTEBOOK_HEADER = "# Databricks notebook source"
RUN_STATES = ["QUEUED", "PENDING", "RUNNING", "TERMINATING", "TERMINATED"]


def error(status, code, message):
    return Reply(status, {"error_code": code, "message": message})


class Databricks(ServiceHandler):
    token = "dapi-test"

    def authorize(self):
        auth = self.headers.get("Authorization")
        if not auth or not auth.startswith("Bearer "):
            return Reply(401, {"error_code": 401,
                               "message": "Credential was not sent or was of an unsupported type for this API. "
                                          "[ReqId: 3bbb6628-0000]"})
        if auth[len("Bearer "):] != self.token:
            return Reply(403, {"error_code": 403, "message": "Invalid access token."},
                         {"X-Databricks-Reason-Phrase": "Invalid access token."})
        return None

    def bad_json(self, exc):
        return error(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request - expected a map")

    def not_found(self):
        return error(404, "ENDPOINT_NOT_FOUND", "No API found for '%s %s'" % (self.command, self.path.split("?")[0]))

    def body(self):
        b = self.json_body()
        return b if isinstance(b, dict) else None

    def next_id(self):
        self.state["next_id"] = self.state.get("next_id", FIRST_ID) + 1
        return self.state["next_id"]

    # ---- Workspace API 2.0 ----

    def objects(self):
        return self.state.setdefault("objects", {"/": {"object_type": "DIRECTORY"}})

    @staticmethod
    def parent(path):
        p = path.rstrip("/").rsplit("/", 1)[0]
        return p or "/"

    @route("POST", "/api/2.0/workspace/mkdirs")
    def mkdirs(self):
        b = self.body()
        if b is None:
            return self.bad_json(None)
        path = b.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            return error(400, "INVALID_PARAMETER_VALUE", "Path (%s) must be absolute." % path)
        objects = self.objects()
        parts = [p for p in path.split("/") if p]
        current = ""
        for part in parts:
            current += "/" + part
            obj = objects.get(current)
            if obj is None:
                objects[current] = {"object_type": "DIRECTORY", "object_id": self.next_id()}
            elif obj["object_type"] != "DIRECTORY":
                return error(400, "RESOURCE_ALREADY_EXISTS",
                             "Cannot create directory %s because a file already exists at that path." % current)
        return Reply(200, {})

    @route("POST", "/api/2.0/workspace/import")
    def import_(self):
        b = self.body()
        if b is None:
            return self.bad_json(None)
        path = b.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            return error(400, "INVALID_PARAMETER_VALUE", "Missing required field: path")
        fmt = b.get("format", "SOURCE")
        if fmt not in ("AUTO", "SOURCE", "HTML", "JUPYTER", "DBC", "R_MARKDOWN", "RAW"):
            return error(400, "INVALID_PARAMETER_VALUE", "Invalid format: %s" % fmt)
        try:
            content = base64.b64decode(b.get("content", ""), validate=True)
        except (ValueError, TypeError):
            return error(400, "INVALID_PARAMETER_VALUE", "The content is not valid base64.")
        if len(content) > MAX_IMPORT:
            return error(400, "MAX_NOTEBOOK_SIZE_EXCEEDED", "File size imported is (%d bytes), exceeded max size (%d bytes)"
                         % (len(content), MAX_IMPORT))
        if fmt == "SOURCE" and b.get("language") not in ("PYTHON", "SCALA", "SQL", "R"):
            return error(400, "INVALID_PARAMETER_VALUE", "The language is required for the SOURCE format.")
        objects = self.objects()
        parent = self.parent(path)
        if objects.get(parent, {}).get("object_type") != "DIRECTORY":
            return error(404, "RESOURCE_DOES_NOT_EXIST", "The parent folder (%s) does not exist." % parent)
        kind = "FILE"
        target = path
        if fmt == "SOURCE":
            kind = "NOTEBOOK"
        elif fmt == "AUTO" and path.endswith(".py") and content.split(b"\n", 1)[0].rstrip(b"\r") == NOTEBOOK_HEADER.encode():
            kind = "NOTEBOOK"
            target = path[:-3]
        if target in objects and not b.get("overwrite", False):
            return error(409, "RESOURCE_ALREADY_EXISTS", "%s already exists." % target)
        if objects.get(target, {}).get("object_type") == "DIRECTORY":
            return error(409, "RESOURCE_ALREADY_EXISTS", "%s already exists." % target)
        objects[target] = {"object_type": kind, "object_id": self.next_id(), "size": len(content),
                           "content": base64.b64encode(content).decode("ascii"),
                           "language": "PYTHON" if path.endswith(".py") else None,
                           "modified_at": int(time.time() * 1000)}
        return Reply(200, {})

    @route("GET", "/api/2.0/workspace/get-status")
    def get_status(self):
        path = self.query.get("path", "")
        obj = self.objects().get(path)
        if obj is None:
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Path (%s) doesn't exist." % path)
        out = {"object_type": obj["object_type"], "path": path, "object_id": obj.get("object_id", 0)}
        for key in ("language", "size", "modified_at"):
            if obj.get(key) is not None:
                out[key] = obj[key]
        return Reply(200, out)

    @route("POST", "/api/2.0/workspace/delete")
    def delete(self):
        b = self.body() or {}
        path = b.get("path", "")
        objects = self.objects()
        if path not in objects:
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Path (%s) doesn't exist." % path)
        children = [p for p in objects if p.startswith(path.rstrip("/") + "/")]
        if children and not b.get("recursive", False):
            return error(400, "DIRECTORY_NOT_EMPTY", "Folder (%s) is not empty." % path)
        for p in children + [path]:
            objects.pop(p, None)
        return Reply(200, {})

    # ---- Jobs API 2.1 ----

    def jobs(self):
        return self.state.setdefault("jobs", {})

    def runs(self):
        return self.state.setdefault("runs", {})

    def job_id(self, value):
        try:
            return int(value)
        except (TypeError, ValueError):
            return None

    def no_job(self, value):
        return error(400, "INVALID_PARAMETER_VALUE", "Job %s does not exist." % value)

    @staticmethod
    def check_settings(s):
        if not isinstance(s, dict):
            return "Invalid JSON given in the body of the request - expected a map"
        tasks = s.get("tasks", [])
        keys = set()
        clusters = {c.get("job_cluster_key") for c in s.get("job_clusters", [])}
        for t in tasks:
            key = t.get("task_key")
            if not key:
                return "Missing required field: task_key"
            if key in keys:
                return "Task key %s is duplicated." % key
            keys.add(key)
            if "job_cluster_key" in t and t["job_cluster_key"] not in clusters:
                return "The job cluster %s does not exist." % t["job_cluster_key"]
            for dep in t.get("depends_on", []):
                if dep.get("task_key") not in keys:
                    return "Task %s depends on %s which is not defined before it." % (key, dep.get("task_key"))
            spt = t.get("spark_python_task")
            if spt is not None and not spt.get("python_file"):
                return "Missing required field: python_file"
        sched = s.get("schedule")
        if sched is not None:
            if not sched.get("quartz_cron_expression") or not sched.get("timezone_id"):
                return "Missing required field: schedule.quartz_cron_expression"
        return None

    @route("POST", "/api/2.1/jobs/create")
    def create(self):
        b = self.body()
        if b is None:
            return self.bad_json(None)
        problem = self.check_settings(b)
        if problem:
            return error(400, "INVALID_PARAMETER_VALUE", problem)
        job_id = self.next_id()
        settings = dict(b)
        settings.setdefault("format", "MULTI_TASK")
        settings.setdefault("timeout_seconds", 0)
        for t in settings.get("tasks", []):
            t.setdefault("run_if", "ALL_SUCCESS")
            t.setdefault("timeout_seconds", 0)
        self.jobs()[str(job_id)] = {"job_id": job_id, "creator_user_name": "me@example.com",
                                    "created_time": int(time.time() * 1000), "settings": settings}
        return Reply(200, {"job_id": job_id})

    @route("GET", "/api/2.1/jobs/get")
    def get(self):
        job = self.jobs().get(str(self.job_id(self.query.get("job_id"))))
        if job is None:
            return self.no_job(self.query.get("job_id"))
        return Reply(200, job)

    @route("GET", "/api/2.1/jobs/list")
    def list_(self):
        try:
            limit = int(self.query.get("limit", 20))
            offset = int(self.query.get("page_token") or self.query.get("offset") or 0)
        except ValueError:
            return error(400, "INVALID_PARAMETER_VALUE", "Invalid limit or offset.")
        if limit < 1 or limit > 100:
            return error(400, "INVALID_PARAMETER_VALUE", "The limit must be between 1 and 100.")
        name = self.query.get("name")
        jobs = sorted(self.jobs().values(), key=lambda j: j["job_id"])
        if name is not None:
            jobs = [j for j in jobs if j["settings"].get("name", "").lower() == name.lower()]
        page = jobs[offset:offset + limit]
        out = {"has_more": offset + limit < len(jobs)}
        if page:
            out["jobs"] = [{"job_id": j["job_id"], "creator_user_name": j["creator_user_name"],
                            "created_time": j["created_time"],
                            "settings": {k: v for k, v in j["settings"].items()
                                         if k not in ("tasks", "job_clusters")}} for j in page]
        if out["has_more"]:
            out["next_page_token"] = str(offset + limit)
        return Reply(200, out)

    @route("POST", "/api/2.1/jobs/reset")
    def reset(self):
        b = self.body()
        if b is None:
            return self.bad_json(None)
        if "job_id" not in b:
            return error(400, "INVALID_PARAMETER_VALUE", "Missing required field: job_id")
        job = self.jobs().get(str(self.job_id(b["job_id"])))
        if job is None:
            return self.no_job(b["job_id"])
        if "new_settings" not in b:
            return error(400, "INVALID_PARAMETER_VALUE", "Missing required field: new_settings")
        problem = self.check_settings(b["new_settings"])
        if problem:
            return error(400, "INVALID_PARAMETER_VALUE", problem)
        settings = dict(b["new_settings"])
        settings.setdefault("format", "MULTI_TASK")
        job["settings"] = settings
        return Reply(200, {})

    @route("POST", "/api/2.1/jobs/delete")
    def delete_job(self):
        b = self.body() or {}
        if self.jobs().pop(str(self.job_id(b.get("job_id"))), None) is None:
            return self.no_job(b.get("job_id"))
        return Reply(200, {})

    @route("POST", "/api/2.1/jobs/run-now")
    def run_now(self):
        b = self.body()
        if b is None:
            return self.bad_json(None)
        if "job_id" not in b:
            return error(400, "INVALID_PARAMETER_VALUE", "Missing required field: job_id")
        job = self.jobs().get(str(self.job_id(b["job_id"])))
        if job is None:
            return self.no_job(b["job_id"])
        token = b.get("idempotency_token")
        tokens = self.state.setdefault("tokens", {})
        if token is not None:
            if len(token) > 64:
                return error(400, "INVALID_PARAMETER_VALUE", "The idempotency token is longer than 64 characters.")
            if token in tokens:
                run = self.runs()[str(tokens[token])]
                return Reply(200, {"run_id": run["run_id"], "number_in_job": run["number_in_job"]})
        run_id = self.next_id()
        run = {"job_id": job["job_id"], "run_id": run_id, "number_in_job": run_id,
               "run_name": job["settings"].get("name", ""), "run_type": "JOB_RUN",
               "trigger": "ONE_TIME", "creator_user_name": "me@example.com",
               "start_time": int(time.time() * 1000), "end_time": 0,
               "setup_duration": 0, "execution_duration": 0, "cleanup_duration": 0,
               "run_page_url": "https://example.cloud.databricks.com/#job/%d/run/%d" % (job["job_id"], run_id),
               "state": {"life_cycle_state": "QUEUED", "state_message": "",
                         "user_cancelled_or_timedout": False},
               "format": "MULTI_TASK",
               "tasks": [{"run_id": self.next_id(), "task_key": t.get("task_key"), "attempt_number": 0,
                          "state": {"life_cycle_state": "QUEUED", "state_message": ""}}
                         for t in job["settings"].get("tasks", [])]}
        self.runs()[str(run_id)] = run
        if token is not None:
            tokens[token] = run_id
        return Reply(200, {"run_id": run_id, "number_in_job": run_id})

    def advance(self, run):
        state = run["state"]
        lcs = state["life_cycle_state"]
        if lcs not in RUN_STATES or lcs == "TERMINATED":
            return
        lcs = RUN_STATES[RUN_STATES.index(lcs) + 1]
        state["life_cycle_state"] = lcs
        if lcs == "RUNNING":
            run["setup_duration"] = 1000
        if lcs == "TERMINATED":
            failed = self.state.get("fail_runs", False)
            state["result_state"] = "FAILED" if failed else "SUCCESS"
            state["state_message"] = ("Task %s failed with message: Workload failed, see run output for details."
                                      % run["tasks"][0]["task_key"]) if failed and run["tasks"] else ""
            run["execution_duration"] = 5000
            run["end_time"] = run["start_time"] + 6000
        for t in run["tasks"]:
            t["state"] = {k: v for k, v in state.items() if k in ("life_cycle_state", "result_state", "state_message")}

    @route("GET", "/api/2.1/jobs/runs/get")
    def runs_get(self):
        run = self.runs().get(str(self.job_id(self.query.get("run_id"))))
        if run is None:
            return error(400, "INVALID_PARAMETER_VALUE", "Run %s does not exist." % self.query.get("run_id"))
        self.advance(run)
        return Reply(200, run)

    @route("GET", "/api/2.1/jobs/runs/list")
    def runs_list(self):
        try:
            limit = int(self.query.get("limit", 20))
            offset = int(self.query.get("page_token") or self.query.get("offset") or 0)
        except ValueError:
            return error(400, "INVALID_PARAMETER_VALUE", "Invalid limit or offset.")
        if limit < 1 or limit > 25:
            return error(400, "INVALID_PARAMETER_VALUE", "The limit must be between 1 and 25.")
        runs = list(self.runs().values())
        if "job_id" in self.query:
            job_id = self.job_id(self.query["job_id"])
            if str(job_id) not in self.jobs():
                return self.no_job(self.query["job_id"])
            runs = [r for r in runs if r["job_id"] == job_id]
        if self.query.get("active_only") == "true":
            runs = [r for r in runs if r["state"]["life_cycle_state"] not in ("TERMINATED", "SKIPPED", "INTERNAL_ERROR")]
        runs.sort(key=lambda r: (r["start_time"], r["run_id"]), reverse=True)
        page = runs[offset:offset + limit]
        for r in page:
            self.advance(r)
        out = {"has_more": offset + limit < len(runs)}
        if page:
            out["runs"] = [{k: v for k, v in r.items() if k != "tasks"} for r in page]
        if out["has_more"]:
            out["next_page_token"] = str(offset + limit)
        return Reply(200, out)

    @route("POST", "/api/2.1/jobs/runs/cancel")
    def runs_cancel(self):
        b = self.body() or {}
        run = self.runs().get(str(self.job_id(b.get("run_id"))))
        if run is None:
            return error(400, "INVALID_PARAMETER_VALUE", "Run %s does not exist." % b.get("run_id"))
        if run["state"]["life_cycle_state"] != "TERMINATED":
            run["state"] = {"life_cycle_state": "TERMINATED", "result_state": "CANCELED",
                            "state_message": "Run cancelled.", "user_cancelled_or_timedout": True}
            run["end_time"] = int(time.time() * 1000)
        return Reply(200, {})


def die_with_parent():
    """A test that aborts leaves no server behind (Linux: PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        import signal
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def main():
    die_with_parent()
    args = sys.argv[1:]
    if "--token" in args:
        Databricks.token = args[args.index("--token") + 1]
    serve(Databricks, {})


if __name__ == "__main__":
    main()
