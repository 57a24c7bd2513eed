"""The explainable 300-900 credit score and the one-page overall view.

* :mod:`.tables` — the score's components, factors, scoring tables, overlays and bands, as data;
* :mod:`.credit_score` — the score from the analytics documents, with reason codes;
* :mod:`.overall` — key metrics, score, alerts and the recommendation a loan officer reads first.

Writes ``credit_score.json`` and ``overall_summary.json``.
"""
