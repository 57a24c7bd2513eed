"""Repayment events for tests, built from a loan's schedule."""
from datetime import date, timedelta


def auth(token: str) -> dict:
    """The bearer header of a token."""
    return {"Authorization": f"Bearer {token}"}


def at(day: date) -> str:
    """An IST timestamp at 11:00 on ``day``."""
    return f"{day.isoformat()}T11:00:00+05:30"


def repayment(loan: dict, k: int, status: str = "PAID", delay: int = 0, share: float = 0.5, event_id: str | None = None,
              attempt: int = 0) -> dict:
    """The event of instalment ``k`` (0-based): PAID on time, LATE by ``delay`` days, PARTIAL (``share`` of it,
    ``delay`` days after the due date) or BOUNCED (presented ``delay`` days after the due date)."""
    row = loan["schedule"][k]
    due = date.fromisoformat(row["due_date"])
    day = due + timedelta(days=delay)
    event = {"event_id": event_id or f"T-{loan['loan_id']}-{k}-{status}-{attempt}", "loan_id": loan["loan_id"],
             "customer_id": loan["customer_id"], "due_date": row["due_date"], "amount_due": row["amount"],
             "channel": "ENACH", "status": status, "ts": at(day)}
    if status == "BOUNCED":
        return {**event, "paid_at": None, "amount_paid": 0.0}
    paid = round(row["amount"] * share, 2) if status == "PARTIAL" else row["amount"]
    return {**event, "paid_at": at(day), "amount_paid": paid}


def on_time(loan: dict, ks) -> list[dict]:
    """PAID-on-time events for instalments ``ks``."""
    return [repayment(loan, k) for k in ks]
