"""The bank statement, as a credit officer reads it.

* :mod:`.statement` — clean transactions into one classified, ordered DataFrame and the end-of-day balances;
* :mod:`.categorise` — the narration categoriser: taxonomy group and leaf, counterparty, confidence;
* :mod:`.classify` — the coarse categories the analytics read, derived from the leaf;
* :mod:`.obligations` — EMIs, regular inflows and bounces: recurring flows and repayment conduct;
* :mod:`.circular` — money that comes in from a party and goes back to it within days;
* :mod:`.summary` — balances, ABB, flows, obligations, FOIR/DSCR, conduct and stability;
* :mod:`.earnings_spendings` — where the money comes from and where it goes.

Writes ``transaction_summary.json`` (:mod:`.summary`) and ``earnings_spendings.json``.
"""
