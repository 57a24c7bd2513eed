"""Allow ``python -m pipeline``.

The command's files are written and closed by the time ``main`` returns, so the process ends there with
:func:`os._exit` instead of tearing the interpreter down: with scikit-learn, shap, numba and statsmodels loaded,
the teardown alone took ~0.6 s of a ``run`` (``python -m bench speed``). Output is flushed first.
"""
import logging
import os
import sys

from pipeline.cli import main

status = main()
logging.shutdown()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
        pass
os._exit(status or 0)
