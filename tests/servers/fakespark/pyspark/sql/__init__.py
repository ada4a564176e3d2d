"""SparkSession, DataFrame and Column of the fake pyspark (see
pyspark/__init__.py). Every DataFrame is materialised at once into a
temporary SQLite table; a join keeps its FROM clause until the select that
follows it, so qualified names (`in0`.`id`) resolve as in Spark."""

import datetime
import itertools
import re
import sqlite3

from pyspark.sql.utils import AnalysisException

# name → {"columns": [[name, type]…], "rows": [[value…]…]}: what
# spark.read.table() reads and saveAsTable()/save() write. The stand-in
# services point it at their state.
tables = {}

_ids = itertools.count()
_REF = re.compile(r"^\(?(?:`((?:[^`]|``)+)`\.)?`((?:[^`]|``)+)`\)?$")


def _quote(name):
    return "`%s`" % name.replace("`", "``")


def _literal(value):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    return "'%s'" % str(value).replace("'", "''")


class Column:
    def __init__(self, sql, name=None, ref=None):
        self.sql = sql
        self.name = name
        m = _REF.match(sql.strip())
        self.ref = ref if ref is not None else (m.group(2).replace("``", "`") if m else None)

    @staticmethod
    def of(value):
        if isinstance(value, Column):
            return value
        if isinstance(value, str):
            return Column(_quote(value), ref=value)
        return Column(_literal(value))

    def alias(self, name):
        return Column(self.sql, name, self.ref)

    def _suffix(self, text):
        return Column(self.sql + text, self.name)

    def asc(self):
        return self._suffix(" ASC")

    def desc(self):
        return self._suffix(" DESC")

    def asc_nulls_first(self):
        return self._suffix(" ASC NULLS FIRST")

    def asc_nulls_last(self):
        return self._suffix(" ASC NULLS LAST")

    def desc_nulls_first(self):
        return self._suffix(" DESC NULLS FIRST")

    def desc_nulls_last(self):
        return self._suffix(" DESC NULLS LAST")

    def over(self, window):
        return Column("%s OVER (%s)" % (self.sql, window.sql()))

    def _op(self, op, other):
        return Column("(%s %s %s)" % (self.sql, op, Column.of(other).sql if isinstance(other, Column) else _literal(other)))

    def __eq__(self, other):
        return self._op("=", other)

    def __ne__(self, other):
        return self._op("<>", other)

    def __lt__(self, other):
        return self._op("<", other)

    def __gt__(self, other):
        return self._op(">", other)

    __hash__ = None


class Row(tuple):
    def __new__(cls, values, names):
        row = tuple.__new__(cls, values)
        row._names = names
        return row

    def asDict(self):
        return dict(zip(self._names, self))

    def __getattr__(self, name):
        try:
            return self[self._names.index(name)]
        except ValueError:
            raise AttributeError(name)


def _spark_type(sqlite_type):
    return {"integer": "bigint", "real": "double", "text": "string", "blob": "binary"}.get(sqlite_type, "string")


def _concat(*args):
    return None if any(a is None for a in args) else "".join(str(a) for a in args)


def _date_trunc(unit, value):
    if value is None:
        return None
    d = datetime.date.fromisoformat(str(value)[:10])
    unit = unit.upper()
    if unit == "MONTH":
        d = d.replace(day=1)
    elif unit == "YEAR":
        d = d.replace(month=1, day=1)
    return d.isoformat() + " 00:00:00"


def _to_date(value):
    return None if value is None else str(value)[:10]


class SparkSession:
    class _Builder:
        def appName(self, name):
            return self

        def config(self, key, value):
            return self

        def getOrCreate(self):
            return SparkSession()

    builder = _Builder()

    def __init__(self):
        self.db = sqlite3.connect(":memory:", check_same_thread=False)
        self.db.create_function("concat", -1, _concat)
        self.db.create_function("date_trunc", 2, _date_trunc)
        self.db.create_function("to_date", 1, _to_date)
        self.db.create_function("year", 1, lambda v: None if v is None else int(str(v)[:4]))
        self.db.create_function("month", 1, lambda v: None if v is None else int(str(v)[5:7]))
        self.read = DataFrameReader(self)
        self.views = {}

    def _run(self, sql):
        try:
            return self.db.execute(sql)
        except sqlite3.Error as exc:
            raise AnalysisException("%s; in: %s" % (exc, sql)) from None

    def _materialise(self, select, cols):
        """A DataFrame of the rows of @select; @cols are (name, type or None)."""
        table = "t%d" % next(_ids)
        self._run("CREATE TEMP TABLE %s AS %s" % (table, select))
        types = []
        for i, (name, kind) in enumerate(cols):
            if kind is None:
                row = self._run("SELECT typeof(%s) FROM %s WHERE %s IS NOT NULL LIMIT 1"
                                % (_quote(name), table, _quote(name))).fetchone()
                kind = _spark_type(row[0]) if row else "string"
            types.append((name, kind))
        return DataFrame(self, _quote(table), types)

    def _table(self, name, data):
        if data is None:
            raise AnalysisException("[TABLE_OR_VIEW_NOT_FOUND] The table or view `%s` cannot be found." % name)
        table = "t%d" % next(_ids)
        cols = [tuple(c) for c in data["columns"]]
        self._run("CREATE TEMP TABLE %s (%s)" % (table, ", ".join(_quote(n) for n, _ in cols)))
        if data["rows"]:
            self.db.executemany("INSERT INTO %s VALUES (%s)" % (table, ", ".join("?" * len(cols))),
                                [list(r) for r in data["rows"]])
        return DataFrame(self, _quote(table), cols)

    def sql(self, query):
        for name, df in self.views.items():
            self._run("DROP VIEW IF EXISTS %s" % _quote(name))
            self._run("CREATE TEMP VIEW %s AS SELECT * FROM %s" % (_quote(name), df._from))
        cursor = self._run(query)
        names = [d[0] for d in cursor.description]
        return self._materialise(query, [(n, None) for n in names])


class DataFrameReader:
    def __init__(self, spark):
        self.spark = spark

    def format(self, fmt):
        return self

    def option(self, key, value):
        return self

    def table(self, name):
        return self.spark._table(name, tables.get(name))

    def load(self, path):
        return self.spark._table(path, tables.get(path))


class DataFrameWriter:
    def __init__(self, df):
        self.df = df
        self._mode = "error"

    def mode(self, mode):
        self._mode = mode
        return self

    def format(self, fmt):
        return self

    def option(self, key, value):
        return self

    def saveAsTable(self, name):
        if self._mode == "error" and name in tables:
            raise AnalysisException("Table %s already exists" % name)
        rows = [list(r) for r in self.df.collect()]
        if self._mode == "append" and name in tables:
            tables[name]["rows"].extend(rows)
        else:
            tables[name] = {"columns": [list(c) for c in self.df.dtypes], "rows": rows}

    save = saveAsTable


class DataFrame:
    def __init__(self, spark, from_clause, cols, alias=None, quals=None):
        self.spark = spark
        self._from = from_clause
        self._cols = list(cols)
        self._alias = alias
        # alias → its columns, for `alias`.`name` and 'alias.*'
        self._quals = quals if quals is not None else ({alias: self._cols} if alias else {})

    # ---- what the generated code reads ----

    @property
    def dtypes(self):
        return list(self._cols)

    @property
    def columns(self):
        return [n for n, _ in self._cols]

    @property
    def write(self):
        return DataFrameWriter(self)

    def collect(self):
        names = self.columns
        cursor = self.spark._run("SELECT %s FROM %s" % (", ".join(_quote(n) for n in names) or "1", self._from))
        return [Row(r, names) for r in cursor.fetchall()]

    def count(self):
        return self.spark._run("SELECT count(*) FROM %s" % self._from).fetchone()[0]

    # ---- transformations ----

    def _type_of(self, ref):
        for name, kind in self._cols:
            if name == ref:
                return kind
        for cols in self._quals.values():
            for name, kind in cols:
                if name == ref:
                    return kind
        return None

    def alias(self, name):
        return DataFrame(self.spark, "(SELECT * FROM %s) AS %s" % (self._from, _quote(name)), self._cols, name)

    def _expand(self, items):
        exprs, cols = [], []
        for item in items:
            if isinstance(item, str) and item.endswith("*"):
                qual = item[:-2] if item != "*" else None
                source = self._quals.get(qual, []) if qual else self._cols
                for name, kind in source:
                    exprs.append("%s%s AS %s" % (_quote(qual) + "." if qual else "", _quote(name), _quote(name)))
                    cols.append((name, kind))
                continue
            c = Column.of(item)
            name = c.name or c.ref or c.sql
            exprs.append("%s AS %s" % (c.sql, _quote(name)))
            cols.append((name, self._type_of(c.ref) if c.ref else None))
        return exprs, cols

    def select(self, *items):
        exprs, cols = self._expand(items)
        return self.spark._materialise("SELECT %s FROM %s" % (", ".join(exprs), self._from), cols)

    def withColumn(self, name, column):
        return self.select("*", column.alias(name))

    def drop(self, *names):
        return self.select(*[n for n in self.columns if n not in names])

    def where(self, condition):
        return self.spark._materialise("SELECT * FROM %s WHERE %s" % (self._from, Column.of(condition).sql),
                                       self._cols)

    filter = where

    def orderBy(self, *cols):
        keys = ", ".join(Column.of(c).sql for c in cols)
        return self.spark._materialise("SELECT * FROM %s ORDER BY %s" % (self._from, keys), self._cols)

    sort = orderBy

    def limit(self, n):
        return self.spark._materialise("SELECT * FROM %s LIMIT %d" % (self._from, n), self._cols)

    def distinct(self):
        return self.spark._materialise("SELECT DISTINCT * FROM %s" % self._from, self._cols)

    def _set(self, op, other):
        return self.spark._materialise("SELECT * FROM %s %s SELECT * FROM %s" % (self._from, op, other._from),
                                       self._cols)

    def union(self, other):
        return self._set("UNION ALL", other)

    unionAll = union

    def intersect(self, other):
        return self._set("INTERSECT", other)

    def subtract(self, other):
        return self._set("EXCEPT", other)

    def join(self, other, on, how="inner"):
        cond = Column.of(on).sql
        quals = dict(self._quals)
        quals.update(other._quals)
        if how in ("left_semi", "left_anti"):
            test = "EXISTS" if how == "left_semi" else "NOT EXISTS"
            select = "SELECT %s.* FROM %s WHERE %s (SELECT 1 FROM %s WHERE %s)" % (
                _quote(self._alias), self._from, test, other._from, cond)
            df = self.spark._materialise(select, self._cols)
            return df.alias(self._alias) if self._alias else df
        kind = {"inner": "JOIN", "left": "LEFT JOIN", "right": "RIGHT JOIN", "full": "FULL JOIN"}[how]
        # Spark's result has both sides' columns; a select follows.
        return DataFrame(self.spark, "%s %s %s ON %s" % (self._from, kind, other._from, cond),
                         self._cols + other._cols, None, quals)

    def groupBy(self, *cols):
        return GroupedData(self, [Column.of(c) for c in cols])

    def agg(self, *aggs):
        return GroupedData(self, []).agg(*aggs)

    def createOrReplaceTempView(self, name):
        self.spark.views[name] = self


class GroupedData:
    def __init__(self, df, keys):
        self.df = df
        self.keys = keys

    def agg(self, *aggs):
        exprs, cols = self.df._expand(self.keys)
        for a in aggs:
            exprs.append("%s AS %s" % (a.sql, _quote(a.name or a.sql)))
            cols.append((a.name or a.sql, None))
        group = (" GROUP BY " + ", ".join(k.sql for k in self.keys)) if self.keys else ""
        return self.df.spark._materialise("SELECT %s FROM %s%s" % (", ".join(exprs), self.df._from, group), cols)


from pyspark.sql.window import Window  # noqa: E402 (needs Column above)

__all__ = ["SparkSession", "DataFrame", "Column", "Row", "Window", "tables"]
