class AnalysisException(Exception):
    """What Spark raises for a query it cannot resolve."""
