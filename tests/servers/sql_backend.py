"""Real answers for the SQL stand-in services (Databricks SQL, Snowflake).

Statements run on SQLite over the tables a test loaded with
POST /__state {"tables": {...}}:

  "tables": {"t.people": {"columns": [["id", "bigint"], ["name", "string"], …],
                          "rows": [[1, "Ann"], …]}}

A qualified name's schema ("t") is an attached database, so the dialects'
`t`.`people` and "T"."PEOPLE" both find it (SQLite folds identifier case and
reads backticks). Column types are the generic words bigint, int, double,
string, boolean, date ("2024-01-05"), timestamp ("2024-01-05 10:30:00"),
timestamp_tz ("2024-01-05 10:30:00+02:00") and decimal(p,s); a result
column takes the type of the loaded column of the same name, else the type
of its first non-NULL value.
"""

import re
import sqlite3


class SqlError(Exception):
    """A statement that does not run; its text is the service's message."""


def _quote(name):
    return '"' + name.replace('"', '""') + '"'


def _concat(*args):
    if any(a is None for a in args):
        return None
    return "".join(str(a) for a in args)


def run(state, sql, upper=False):
    """Runs @sql; returns (columns [(name, type)], rows [[value…]]). With
    @upper the tables' columns are named in upper case, as Snowflake stores
    unquoted names."""
    db = sqlite3.connect(":memory:")
    try:
        db.create_function("concat", -1, _concat, deterministic=True)
        db.create_function("current_version", 0, lambda: state.get("version", "8.40.1"), deterministic=True)
        tables = state.get("tables") or {}
        declared = {}
        for schema in sorted({n.split(".", 1)[0] for n in tables if "." in n}):
            db.execute("ATTACH ':memory:' AS %s" % _quote(schema))
        for name, table in tables.items():
            parts = name.split(".", 1)
            qualified = ".".join(_quote(p) for p in parts)
            cols = table.get("columns") or []
            db.execute("CREATE TABLE %s (%s)" % (qualified, ", ".join(_quote(c[0].upper() if upper else c[0])
                                                                     for c in cols)))
            for c in cols:
                declared.setdefault(c[0].lower(), c[1])
            if table.get("rows"):
                db.executemany("INSERT INTO %s VALUES (%s)" % (qualified, ", ".join("?" * len(cols))),
                               [[(int(v) if isinstance(v, bool) else v) for v in row] for row in table["rows"]])
        try:
            cur = db.execute(sql)
        except sqlite3.Error as exc:
            raise SqlError(str(exc))
        names = [d[0] for d in cur.description] if cur.description else []
        rows = [list(r) for r in cur.fetchall()]
        columns = []
        for i, name in enumerate(names):
            kind = declared.get(name.lower())
            if kind is None:
                kind = "string"
                for r in rows:
                    v = r[i]
                    if v is None:
                        continue
                    kind = "bigint" if isinstance(v, int) else "double" if isinstance(v, float) else "string"
                    break
            columns.append((name, kind))
        return columns, rows
    finally:
        db.close()


def decimal_parts(kind):
    m = re.match(r"decimal\((\d+),\s*(\d+)\)", kind)
    return (int(m.group(1)), int(m.group(2))) if m else None
