"""The risk model: a calibrated probability of default with per-feature attributions.

* :mod:`.features` — the model's inputs, read from a customer's analytics documents;
* :mod:`.estimator` — ``RiskModel``, the calibrated, monotone, explainable scikit-learn estimator;
* :mod:`.additive` — the monotone additive (scorecard) half of the model and its exact attributions;
* :mod:`.families` — the ``lr`` and ``rf`` families beside the boosted trees and the scorecard;
* :mod:`.training` — one training path: stratified CV, fit on all rows, the model card;
* :mod:`.comparison` — ``train-risk --families``: several families on the same folds;
* :mod:`.tracking` — MLflow runs and registered versions (the only module importing MLflow);
* :mod:`.governance` — publishing trained models (tracked, registered, saved) and promoting a champion;
* :mod:`.registry` — the lake's copy of the registry: champion, challengers, the drift reference;
* :mod:`.portfolio` — the synthetic training portfolio and its documented latent function;
* :mod:`.model` — save/load, scoring with reason codes, the body of ``risk_model.json``;
* :mod:`.pickles` — loading saved bundles, including those pickled before the package existed;
* :mod:`.cli` — ``python -m pipeline train-risk`` and ``promote-model``.

Writes ``risk_model.json`` per customer (the ``score`` step) and ``models/risk_model.{joblib,json}``.
"""
