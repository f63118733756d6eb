"""REST API for governance records: (prefix, viewset) pairs the root router registers."""

routes: list = []
