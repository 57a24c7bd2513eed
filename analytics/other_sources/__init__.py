"""The other sources of the footprint: mutual funds, insurance, OCEN loan applications and ONDC orders.

* :mod:`.mutual_funds` — liquid savings, lien-marked units and SIP discipline: ``mutual_funds_summary.json``;
* :mod:`.insurance` — policies in force, cover and premium gaps: ``insurance_summary.json``;
* :mod:`.ocen` — loan applications, their outcomes and disbursed loans: ``ocen_summary.json``;
* :mod:`.ondc` — marketplace orders, fulfilment and settlements: ``ondc_summary.json``.
"""
