"""The journal store's tests (a package, so module names cannot clash with other suites)."""
