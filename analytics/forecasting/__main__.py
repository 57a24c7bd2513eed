"""``python -m analytics.forecasting``: see :mod:`analytics.forecasting.cli`."""
import sys

from analytics.forecasting.cli import main

sys.exit(main())
