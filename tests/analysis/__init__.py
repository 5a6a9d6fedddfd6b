"""Tests of the curve diagnoses (a package, so module names cannot clash with other suites)."""
