"""Underwriting analytics: clean records in, JSON-ready documents out, one package per analysis.

Every number a person sees is a metric object, ``{value, unit, formula, inputs, explanation}``
(:mod:`analytics.metric`). Two registries run the analyses for one customer, pure and in dependency order; the
pipeline's steps load the clean layer through ``pipeline.lake`` and write what they return:

* :mod:`analytics.registry` — the ``analyze`` step: ``analyze_customer`` runs :mod:`.bank`, :mod:`.gst`,
  :mod:`.bureau`, :mod:`.other_sources`, :mod:`.anomalies` (rules), :mod:`.score` and :mod:`.collect`;
* :mod:`analytics.models_registry` — the ``models`` step: :mod:`.forecasting`, :mod:`.reconciliation`,
  :mod:`.anomalies` (ML) and :mod:`.recommendations`; the ``score`` step runs :mod:`.risk`.

Packages import :mod:`analytics.metric` and each other's pure functions, never the pipeline's runner or the API.
"""
