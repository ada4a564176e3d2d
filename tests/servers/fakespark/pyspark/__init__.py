"""A tiny stand-in for pyspark, for Sluice's tests only (pyspark is not
installed on the test machines). It implements, over SQLite in memory, the
handful of DataFrame methods the code Sluice generates calls, so the
stand-in services run the real generated program and answer real row
counts and samples. Spark SQL expressions (F.expr) are handed to SQLite,
which reads the common subset the same way (backquoted names, arithmetic,
comparisons, CASE, coalesce); a few Spark functions are added."""
