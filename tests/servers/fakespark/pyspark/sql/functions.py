from pyspark.sql import Column, _literal


def expr(text):
    return Column(text)


def col(name):
    return Column("`%s`" % name.replace("`", "``"), ref=name)


column = col


def lit(value):
    return Column(_literal(value))


def row_number():
    return Column("row_number()")


def count(c="*"):
    return Column("count(%s)" % (c if c == "*" else Column.of(c).sql))


def sum(c):  # noqa: A001 (Spark's name)
    return Column("sum(%s)" % Column.of(c).sql)
