#!/usr/bin/python3
"""A stand-in Snowflake SQL API v2 (ENGINE-APIS.md §3): submit, 202 polling,
result partitions (≥ 1 gzip, rows only), cancel, and the errors of §3.6.

Statements really run (sql_backend.py: SQLite over the tables in the
state); SHOW WAREHOUSES lists "warehouses". The state a test sets with
POST /__state:

  token            the token it accepts ("sf-test")
  token_type       the X-Snowflake-Authorization-Token-Type it wants
                   ("PROGRAMMATIC_ACCESS_TOKEN")
  polls            how many GETs a statement takes (0: 200 at once)
  partition_rows   rows per partition (1000)
  upper_types      rowType types in upper case (the docs' examples)
  answer_408       the submit answers 408: timeout, statement cancelled
  warehouses       [{name, state, type, size}]
  tables           see sql_backend.py

and it shows "statements": handle → {statement, request_id, executions,
resubmits, polls, cancelled, …}.
"""

import datetime
import gzip
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import sql_backend  # noqa: E402
from sluice_test_server import Reply, ServiceHandler, route, serve  # noqa: E402

TOKEN_TYPES = ("KEYPAIR_JWT", "OAUTH", "PROGRAMMATIC_ACCESS_TOKEN")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
RUNNING = ("Asynchronous execution in progress. Use provided query id to perform query monitoring "
           "and management.")


def row_type(name, kind, upper):
    t = {"name": name, "database": "", "schema": "", "table": "", "nullable": True, "byteLength": None,
         "collation": None, "length": None, "precision": None, "scale": None}
    dec = sql_backend.decimal_parts(kind)
    if kind in ("bigint", "int"):
        t.update(type="fixed", precision=38, scale=0)
    elif dec:
        t.update(type="fixed", precision=dec[0], scale=dec[1])
    elif kind == "double":
        t["type"] = "real"
    elif kind == "boolean":
        t["type"] = "boolean"
    elif kind == "date":
        t["type"] = "date"
    elif kind == "timestamp":
        t.update(type="timestamp_ntz", scale=9)
    elif kind == "timestamp_tz":
        t.update(type="timestamp_tz", scale=9)
    else:
        t.update(type="text", length=16777216, byteLength=16777216)
    if upper:
        t["type"] = t["type"].upper()
    return t


def sf_text(kind, value):
    """Every value as the SQL API's default output formats write it (§3.3)."""
    if value is None:
        return None
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "date":
        d = datetime.date.fromisoformat(str(value)[:10])
        return str((d - datetime.date(1970, 1, 1)).days)
    if kind == "timestamp":
        t = datetime.datetime.fromisoformat(str(value)).replace(tzinfo=datetime.timezone.utc)
        delta = t - EPOCH
        return "%d.%09d" % (delta.days * 86400 + delta.seconds, delta.microseconds * 1000)
    if kind == "timestamp_tz":
        t = datetime.datetime.fromisoformat(str(value))
        delta = t - EPOCH
        offset = int(t.utcoffset().total_seconds() // 60)
        return "%d.%09d %d" % (delta.days * 86400 + delta.seconds, delta.microseconds * 1000, offset + 1440)
    if kind == "double":
        return repr(float(value))
    return str(value)


class Snowflake(ServiceHandler):
    def authorize(self):
        auth = self.headers.get("Authorization") or ""
        kind = self.headers.get("X-Snowflake-Authorization-Token-Type")
        if (auth != "Bearer " + self.state.get("token", "sf-test") or
                (kind is not None and kind not in TOKEN_TYPES) or
                kind != self.state.get("token_type", "PROGRAMMATIC_ACCESS_TOKEN")):
            return Reply(401, {"code": "390303", "message": "Invalid OAuth access token. [4ab93c5c-0000]"})
        if self.headers.get("Accept") != "application/json" or not self.headers.get("User-Agent"):
            return Reply(400, {"code": "390142", "message": "Incoming request does not contain a valid payload."})
        if self.command == "POST" and not (self.headers.get("Content-Type") or "").startswith("application/json"):
            return Reply(415, {"code": "390142", "message": "Unsupported media type."})
        return None

    def bad_json(self, exc):
        return Reply(400, {"code": "390142", "message": "Incoming request does not contain a valid payload."})

    def not_found(self):
        return Reply(404, {"code": "390404", "message": "Not found."})

    def _status(self, st, status=202):
        return Reply(status, {"code": "333334", "sqlState": "01000", "message": RUNNING,
                              "statementHandle": st["handle"], "createdOn": st["created"],
                              "statementStatusUrl": "/api/v2/statements/%s" % st["handle"]})

    def _result(self, st):
        size = st["partition_rows"]
        rows = st["rows"]
        n_parts = max(1, (len(rows) + size - 1) // size)
        upper = bool(self.state.get("upper_types"))
        body = {
            "resultSetMetaData": {
                "numRows": len(rows), "format": "jsonv2",
                "rowType": [row_type(n, k, upper) for n, k in st["columns"]],
                "partitionInfo": [{"rowCount": len(rows[i * size:(i + 1) * size]),
                                   "uncompressedSize": len(json.dumps(rows[i * size:(i + 1) * size]))}
                                  for i in range(n_parts)],
            },
            "data": rows[:size],
            "code": "090001", "sqlState": "00000", "message": "Statement executed successfully.",
            "statementHandle": st["handle"], "createdOn": st["created"],
            "statementStatusUrl": "/api/v2/statements/%s?requestId=%s&partition=0" % (st["handle"], st["request_id"]),
        }
        return Reply(200, body)

    def _answer(self, st):
        if st["cancelled"]:
            return Reply(422, {"code": "000604", "sqlState": "57014", "message": "SQL execution canceled",
                               "statementHandle": st["handle"]})
        if st["error"] is not None:
            return Reply(422, {"code": "002003", "sqlState": "42S02",
                               "message": "SQL compilation error:\n%s" % st["error"],
                               "statementHandle": st["handle"], "createdOn": st["created"],
                               "statementStatusUrl": "/api/v2/statements/%s" % st["handle"]})
        if st["polls"] < st["polls_needed"]:
            return self._status(st)
        return self._result(st)

    @route("POST", r"/api/v2/statements/?")
    def submit(self):
        req = self.json_body()
        request_id = self.query.get("requestId")
        statements = self.state.setdefault("statements", {})
        if request_id and self.query.get("retry") == "true":
            for st in statements.values():
                if st["request_id"] == request_id:
                    st["resubmits"] += 1
                    return self._answer(st)
        if not isinstance(req, dict) or not isinstance(req.get("statement"), str):
            return self.bad_json(None)
        st = {"handle": str(uuid.uuid4()), "request_id": request_id, "statement": req["statement"],
              "body": req, "executions": 1, "resubmits": 0, "polls": 0, "cancelled": False,
              "polls_needed": int(self.state.get("polls", 0)), "error": None, "columns": [], "rows": [],
              "partition_rows": int(self.state.get("partition_rows", 1000)),
              "created": 1620151584132}
        statements[st["handle"]] = st
        text = req["statement"].strip().rstrip(";")
        if text.upper() == "SHOW WAREHOUSES":
            ws = self.state.get("warehouses", [])
            st["columns"] = [("name", "string"), ("state", "string"), ("type", "string"), ("size", "string")]
            st["rows"] = [[w.get("name"), w.get("state"), w.get("type"), w.get("size")] for w in ws]
        else:
            try:
                columns, rows = sql_backend.run(self.state, text, upper=True)
                st["columns"] = columns
                st["rows"] = [[sf_text(k, v) for (n, k), v in zip(columns, row)] for row in rows]
            except sql_backend.SqlError as exc:
                st["error"] = str(exc)
        if self.state.get("answer_408"):
            st["cancelled"] = True
            return Reply(408, {"code": "000630", "sqlState": "57014",
                               "message": "Statement reached its statement or warehouse timeout of 10 second(s) "
                                          "and was canceled.",
                               "statementHandle": st["handle"], "createdOn": st["created"],
                               "statementStatusUrl": "/api/v2/statements/%s" % st["handle"]})
        return self._answer(st)

    @route("GET", r"/api/v2/statements/([^/]+)")
    def status(self, handle):
        st = self.state.get("statements", {}).get(handle)
        if st is None:
            return Reply(422, {"code": "000709", "sqlState": "02000",
                               "message": "Statement %s not found" % handle, "statementHandle": handle})
        partition = int(self.query.get("partition") or 0)
        if st["polls"] < st["polls_needed"] and not st["cancelled"]:
            st["polls"] += 1
            if st["polls"] < st["polls_needed"]:
                return self._status(st)
        if partition == 0 or st["cancelled"] or st["error"] is not None:
            return self._answer(st)
        size = st["partition_rows"]
        if partition * size >= len(st["rows"]):
            return Reply(422, {"code": "000709", "sqlState": "02000",
                               "message": "Partition %d of statement %s not found" % (partition, handle)})
        data = json.dumps({"data": st["rows"][partition * size:(partition + 1) * size]}).encode("utf-8")
        return Reply(200, gzip.compress(data), {"Content-Type": "application/json", "Content-Encoding": "gzip"})

    @route("POST", r"/api/v2/statements/([^/]+)/cancel")
    def cancel(self, handle):
        st = self.state.get("statements", {}).get(handle)
        if st is None:
            return Reply(422, {"code": "000709", "sqlState": "02000",
                               "message": "Statement %s not found" % handle, "statementHandle": handle})
        st["cancelled"] = True
        return Reply(200, {"code": "000604", "sqlState": "57014", "message": "SQL execution canceled",
                           "statementHandle": handle, "statementStatusUrl": "/api/v2/statements/%s" % handle})


if __name__ == "__main__":
    serve(Snowflake, {"token": "sf-test", "token_type": "PROGRAMMATIC_ACCESS_TOKEN",
                      "warehouses": [{"name": "COMPUTE_WH", "state": "STARTED", "type": "STANDARD",
                                      "size": "X-Small"}]})
