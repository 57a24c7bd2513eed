"""Import ``shap`` for its tree explainer only, without the plotting half that costs half a second.

``import shap`` imports ``shap.plots`` and with it ``matplotlib.pyplot`` whenever
matplotlib is installed (it is, for the credit memo), although the risk model
only calls ``shap.TreeExplainer``. shap itself supports running without
matplotlib: when ``import matplotlib`` fails it leaves its plots unavailable.
So shap is imported once with matplotlib hidden (a ``None`` entry in
``sys.modules`` makes that import fail), and matplotlib is visible again
straight after, for anything else in the process that draws.
"""
from __future__ import annotations

import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def load_shap() -> ModuleType:
    """The ``shap`` module, imported without its plots unless matplotlib is already loaded."""
    if "shap" in sys.modules:
        return sys.modules["shap"]
    with _LOCK:
        if "shap" in sys.modules or "matplotlib" in sys.modules:
            import shap
            return shap
        sys.modules["matplotlib"] = None  # type: ignore[assignment] - the documented way to block an import
        try:
            import shap
        except ImportError:  # a shap version that needs matplotlib beyond its plots: import it whole
            for name in [n for n in sys.modules if n == "shap" or n.startswith("shap.")]:
                del sys.modules[name]
            del sys.modules["matplotlib"]
            import shap
        finally:
            if sys.modules.get("matplotlib", 0) is None:
                del sys.modules["matplotlib"]
        return shap
