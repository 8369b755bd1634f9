"""`go test` output: its line shapes (lines), what a failed test's output says (failure), and the
console reader that turns a CI log's go test output into test Results (reader)."""
