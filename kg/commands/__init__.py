"""The ``kg`` commands besides build, render and query, by family; :mod:`kg.cli` registers them."""
