"""Tests of the live view (a package, so module names cannot clash with other suites)."""
