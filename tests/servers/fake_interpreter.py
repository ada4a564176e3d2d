"""A Python interpreter for the stand-in Spark services: runs statements in
one namespace (as a Databricks execution context or a Livy session does)
against the fake pyspark of fakespark/, with spark.read.table() reading the
service's "tables" state and saveAsTable() writing it."""

import contextlib
import io
import os
import sys
import traceback

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "fakespark"))

import pyspark.sql  # noqa: E402


class Interpreter:
    def __init__(self, tables):
        pyspark.sql.tables = tables
        self.namespace = {"__name__": "__main__", "spark": pyspark.sql.SparkSession()}
        self.count = 0

    def run(self, code):
        """(stdout, None) or (stdout, (ename, evalue, traceback lines))."""
        out = io.StringIO()
        self.count += 1
        try:
            compiled = compile(code, "<stdin>", "exec")
            with contextlib.redirect_stdout(out):
                exec(compiled, self.namespace)
        except Exception as exc:  # the user's error, reported as the REPL does
            return out.getvalue(), (type(exc).__name__, str(exc),
                                    traceback.format_exception(type(exc), exc, exc.__traceback__))
        return out.getvalue(), None
