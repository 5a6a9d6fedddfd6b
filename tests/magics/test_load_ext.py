"""``%load_ext nbjournal`` is cheap: it imports no TensorFlow, Keras, scikit-learn or Altair."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from IPython.testing.globalipapp import start_ipython
ip = start_ipython()
ip.run_line_magic("load_ext", "nbjournal")
heavy = [m for m in ("tensorflow", "keras", "sklearn", "altair", "sqlalchemy", "pandas") if m in sys.modules]
print(json.dumps({"heavy": heavy, "magics": sorted(ip.magics_manager.magics["cell"])}))
"""


def test_load_ext_imports_nothing_heavy():
    output = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True
    ).stdout
    report = json.loads(output.strip().splitlines()[-1])
    assert report["heavy"] == []
    assert {"experiment", "inference"} <= set(report["magics"])
