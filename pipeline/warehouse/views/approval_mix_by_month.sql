-- Approval and decline mix by month
-- Credit decisions per as-of month: how many were approved (with or without conditions), referred to an officer or declined, each as a share of the month's decisions, and the amount offered on the approvals.
SELECT
    as_of_month AS month,
    count(*) AS decisions,
    count(*) FILTER (WHERE decision IN ('APPROVE', 'APPROVE_WITH_CONDITIONS')) AS approved,
    count(*) FILTER (WHERE decision = 'REFER') AS referred,
    count(*) FILTER (WHERE decision = 'DECLINE') AS declined,
    round(count(*) FILTER (WHERE decision IN ('APPROVE', 'APPROVE_WITH_CONDITIONS')) / count(*), 4) AS approval_rate,
    round(count(*) FILTER (WHERE decision = 'DECLINE') / count(*), 4) AS decline_rate,
    round(coalesce(sum(offered_amount), 0), 2) AS offered_inr
FROM decisions
GROUP BY as_of_month
ORDER BY month
