"""One module per dashboard page; each has render(q), q(sql, *params) -> DataFrame."""
