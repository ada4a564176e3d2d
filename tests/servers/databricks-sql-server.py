#!/usr/bin/python3
"""A stand-in Databricks SQL warehouse: SQL warehouses (ENGINE-APIS.md §1.8)
and the SQL Statement Execution API 2.0 (§1.9), with the errors of §1.1–1.3.

Statements really run (sql_backend.py: SQLite over the tables in the state).
The state a test sets with POST /__state:

  token            the personal access token it accepts ("dapi-test")
  warehouses       [{id, name, state, …}] (one "wh1" RUNNING "bi")
  warehouses_page  page size of GET /api/2.0/sql/warehouses (0: one page)
  polls            how many GETs a statement takes to finish (0: the submit
                   answers inline when wait_timeout is not "0s")
  pending_polls    how many of those still say PENDING (then RUNNING)
  chunk_rows       rows per result chunk (1000)
  final_state      "CANCELED" or "CLOSED" instead of SUCCEEDED
  expired          GET of any statement answers 404 (its result expired)
  tables           see sql_backend.py

and it shows "statements": id → {statement, state, polls, cancelled,
…} for tests to look at.
"""

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sql_backend  # noqa: E402
from sluice_test_server import Reply, ServiceHandler, route, serve  # noqa: E402

TYPE_NAMES = {"bigint": ("LONG", "BIGINT"), "int": ("INT", "INT"), "double": ("DOUBLE", "DOUBLE"),
              "string": ("STRING", "STRING"), "boolean": ("BOOLEAN", "BOOLEAN"), "date": ("DATE", "DATE"),
              "timestamp": ("TIMESTAMP", "TIMESTAMP"), "timestamp_tz": ("TIMESTAMP", "TIMESTAMP")}


def error(status, code, message):
    return Reply(status, {"error_code": code, "message": message})


def spark_text(kind, value):
    """Every non-null value as the string JSON_ARRAY sends."""
    if value is None:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "double":
        return repr(float(value))
    if kind in ("timestamp", "timestamp_tz"):
        text = str(value)[:19].replace(" ", "T")
        return text + ".000Z"
    return str(value)


class DatabricksSql(ServiceHandler):
    def authorize(self):
        auth = self.headers.get("Authorization")
        if not auth or not auth.startswith("Bearer "):
            return Reply(401, {"error_code": 401, "message": "Credential was not sent or was of an unsupported "
                               "type for this API. [ReqId: 3bbb6628-0000]"})
        if auth[len("Bearer "):] != self.state.get("token", "dapi-test"):
            return Reply(403, {"error_code": 403, "message": "Invalid access token."},
                         {"X-Databricks-Reason-Phrase": "Invalid access token."})
        return None

    def bad_json(self, exc):
        return error(400, "MALFORMED_REQUEST", "Invalid JSON given in the body of the request - expected a map")

    def not_found(self):
        return error(404, "ENDPOINT_NOT_FOUND", "No API found for '%s %s'" % (self.command, self.path))

    # ---- warehouses ----

    @route("GET", r"/api/2\.0/sql/warehouses")
    def list_warehouses(self):
        warehouses = self.state.get("warehouses", [])
        size = int(self.state.get("warehouses_page", 0))
        if not size:
            return Reply(200, {"warehouses": warehouses} if warehouses else {})
        start = int(self.query.get("page_token") or 0)
        body = {"warehouses": warehouses[start:start + size]}
        if start + size < len(warehouses):
            body["next_page_token"] = str(start + size)
        return Reply(200, body)

    # ---- statements ----

    def _result_chunk(self, st, index):
        size = st["chunk_rows"]
        rows = st["rows"][index * size:(index + 1) * size]
        chunk = {"chunk_index": index, "row_offset": index * size, "row_count": len(rows),
                 "data_array": rows}
        if (index + 1) * size < len(st["rows"]):
            chunk["next_chunk_index"] = index + 1
            chunk["next_chunk_internal_link"] = "/api/2.0/sql/statements/%s/result/chunks/%d" % (st["id"], index + 1)
        return chunk

    def _answer(self, st):
        body = {"statement_id": st["id"], "status": {"state": st["state"]}}
        if st["state"] == "FAILED":
            body["status"]["error"] = {"error_code": "BAD_REQUEST", "message": st["error"]}
            body["status"]["sql_state"] = "42P01"
        if st["state"] == "SUCCEEDED":
            size = st["chunk_rows"]
            n = len(st["rows"])
            n_chunks = max(1, (n + size - 1) // size) if n else 0
            body["manifest"] = {
                "format": "JSON_ARRAY",
                "schema": {"column_count": len(st["columns"]), "columns": st["columns"]},
                "total_chunk_count": n_chunks,
                "chunks": [{"chunk_index": i, "row_offset": i * size,
                            "row_count": min(size, n - i * size)} for i in range(n_chunks)],
                "total_row_count": n,
                "truncated": st["truncated"],
            }
            if n_chunks:
                body["result"] = self._result_chunk(st, 0)
        return Reply(200, body)

    def _finish(self, st):
        """The statement reaches its terminal state."""
        final = self.state.get("final_state")
        if st["error"] is not None:
            st["state"] = "FAILED"
        elif final in ("CANCELED", "CLOSED"):
            st["state"] = final
        else:
            st["state"] = "SUCCEEDED"

    @route("POST", r"/api/2\.0/sql/statements/?")
    def execute(self):
        req = self.json_body()
        if not isinstance(req, dict):
            return self.bad_json(None)
        for field in ("statement", "warehouse_id"):
            if not isinstance(req.get(field), str) or not req[field]:
                return error(400, "INVALID_PARAMETER_VALUE", "Missing required field: %s" % field)
        ids = [w.get("id") for w in self.state.get("warehouses", [])]
        if req["warehouse_id"] not in ids:
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Warehouse %s does not exist." % req["warehouse_id"])
        wait = req.get("wait_timeout", "10s")
        if not (isinstance(wait, str) and wait.endswith("s") and wait[:-1].isdigit()
                and (int(wait[:-1]) == 0 or 5 <= int(wait[:-1]) <= 50)):
            return error(400, "INVALID_PARAMETER_VALUE", "wait_timeout must be 0s or between 5s and 50s")
        for field, allowed in (("disposition", ("INLINE", "EXTERNAL_LINKS")),
                               ("format", ("JSON_ARRAY", "ARROW_STREAM", "CSV")),
                               ("on_wait_timeout", ("CONTINUE", "CANCEL"))):
            if field in req and req[field] not in allowed:
                return error(400, "INVALID_PARAMETER_VALUE", "Invalid %s: %s" % (field, req[field]))

        st = {"id": str(uuid.uuid4()), "statement": req["statement"], "state": "PENDING",
              "polls": 0, "cancelled": False, "error": None, "columns": [], "rows": [],
              "truncated": False, "chunk_rows": int(self.state.get("chunk_rows", 1000)),
              "wait_timeout": wait, "row_limit": req.get("row_limit")}
        try:
            columns, rows = sql_backend.run(self.state, req["statement"])
            limit = req.get("row_limit")
            if isinstance(limit, int) and limit >= 0 and len(rows) > limit:
                rows = rows[:limit]
                st["truncated"] = True
            st["columns"] = [{"name": name, "position": i, "type_name": TYPE_NAMES.get(kind, ("STRING",))[0],
                              "type_text": TYPE_NAMES.get(kind, ("STRING", "STRING"))[1]}
                             for i, (name, kind) in enumerate(columns)]
            for col, (name, kind) in zip(st["columns"], columns):
                dec = sql_backend.decimal_parts(kind)
                if dec:
                    col.update({"type_name": "DECIMAL", "type_text": "DECIMAL(%d,%d)" % dec,
                                "type_precision": dec[0], "type_scale": dec[1]})
            st["rows"] = [[spark_text(kind, v) for (name, kind), v in zip(columns, row)] for row in rows]
        except sql_backend.SqlError as exc:
            st["error"] = "[TABLE_OR_VIEW_NOT_FOUND] %s" % exc if "no such table" in str(exc) else str(exc)
        self.state.setdefault("statements", {})[st["id"]] = st
        polls = int(self.state.get("polls", 0))
        st["polls_needed"] = polls
        if polls == 0 and wait != "0s":
            self._finish(st)
        return self._answer(st)

    def _find(self, sid):
        st = self.state.get("statements", {}).get(sid)
        if st is None or self.state.get("expired"):
            return None
        return st

    @route("GET", r"/api/2\.0/sql/statements/([^/]+)")
    def get(self, sid):
        st = self._find(sid)
        if st is None:
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Statement %s does not exist." % sid)
        if st["state"] in ("PENDING", "RUNNING"):
            st["polls"] += 1
            if st["polls"] >= st["polls_needed"]:
                self._finish(st)
            elif st["polls"] > int(self.state.get("pending_polls", 0)):
                st["state"] = "RUNNING"
        return self._answer(st)

    @route("GET", r"/api/2\.0/sql/statements/([^/]+)/result/chunks/(\d+)")
    def chunk(self, sid, index):
        st = self._find(sid)
        if st is None or st["state"] != "SUCCEEDED":
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Statement %s has no result." % sid)
        index = int(index)
        if index * st["chunk_rows"] >= max(1, len(st["rows"])):
            return error(400, "INVALID_PARAMETER_VALUE", "Chunk %d does not exist." % index)
        return Reply(200, self._result_chunk(st, index))

    @route("POST", r"/api/2\.0/sql/statements/([^/]+)/cancel")
    def cancel(self, sid):
        st = self._find(sid)
        if st is None:
            return error(404, "RESOURCE_DOES_NOT_EXIST", "Statement %s does not exist." % sid)
        st["cancelled"] = True
        if st["state"] in ("PENDING", "RUNNING"):
            st["state"] = "CANCELED"
        return Reply(200, b"")


if __name__ == "__main__":
    serve(DatabricksSql, {"token": "dapi-test",
                          "warehouses": [{"id": "wh1", "name": "bi", "state": "RUNNING", "cluster_size": "2X-Small",
                                          "warehouse_type": "PRO", "num_clusters": 1, "auto_stop_mins": 10}]})
