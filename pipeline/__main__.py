"""Allow ``python -m pipeline``.

``run`` ends with :func:`os._exit` once its output is flushed, instead of tearing the interpreter down: with
scikit-learn, shap, numba and statsmodels loaded, the teardown alone took ~0.6 s (``python -m bench speed``),
and by then every file is written and closed. Only ``run``: other commands (``batch``) start worker pools
whose shutdown is that teardown, and skipping it would leave the workers holding the command's output open.
"""
import logging
import os
import sys

from pipeline.cli import main

status = main()
if sys.argv[1:2] != ["run"]:
    sys.exit(status)
logging.shutdown()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
        pass
os._exit(status or 0)
