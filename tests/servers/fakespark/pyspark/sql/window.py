class WindowSpec:
    def __init__(self, partition=(), order=()):
        self._partition = list(partition)
        self._order = list(order)

    def partitionBy(self, *cols):
        return WindowSpec(self._partition + list(cols), self._order)

    def orderBy(self, *cols):
        return WindowSpec(self._partition, self._order + list(cols))

    def sql(self):
        from pyspark.sql import Column
        parts = []
        if self._partition:
            parts.append("PARTITION BY " + ", ".join(Column.of(c).sql for c in self._partition))
        if self._order:
            parts.append("ORDER BY " + ", ".join(Column.of(c).sql for c in self._order))
        return " ".join(parts)


class Window:
    @staticmethod
    def partitionBy(*cols):
        return WindowSpec(cols)

    @staticmethod
    def orderBy(*cols):
        return WindowSpec((), cols)
