"""Product recommendations: which of the lender's products fit, how much, at what price, and why.

* :mod:`.catalogue` — the product shelf from ``config.json``, checked once;
* :mod:`.facts` — customer-level facts every product is judged on (risk band, income, obligations, capacity);
* :mod:`.signals` — need signals: what the data says the money is needed for;
* :mod:`.rules` — one evaluator per eligibility rule of a product;
* :mod:`.offer` — sizing and pricing one product for one customer;
* :mod:`.receivables` — B2B invoices on filed GSTR-1, the evidence invoice discounting is sized on;
* :mod:`.recommend` — the body of ``recommendations.json``.

Writes ``recommendations.json``.
"""
