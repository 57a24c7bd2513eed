-- Roll rates
-- How loans move between days-past-due buckets from one month to the next: each loan's last re-score of a month gives its bucket (0 current, 1-29, 30-59, 60-89, 90+ DPD); loans counted for every pair of consecutive months, with the share of the from-bucket that rolled into each to-bucket.
WITH monthly AS (
    SELECT customer_id, loan_id, date_trunc('month', clock) AS month,
           arg_max(dpd_now, (scored_at, events)) AS dpd
    FROM risk_history
    WHERE clock IS NOT NULL AND dpd_now IS NOT NULL
    GROUP BY customer_id, loan_id, month
), bucketed AS (
    SELECT customer_id, loan_id, month,
           CASE WHEN dpd <= 0 THEN '0 current' WHEN dpd < 30 THEN '1-29' WHEN dpd < 60 THEN '30-59'
                WHEN dpd < 90 THEN '60-89' ELSE '90+' END AS bucket
    FROM monthly
), pairs AS (
    SELECT a.bucket AS from_bucket, b.bucket AS to_bucket
    FROM bucketed a
    JOIN bucketed b ON b.customer_id = a.customer_id AND b.loan_id = a.loan_id
                   AND b.month = a.month + INTERVAL 1 MONTH
)
SELECT
    from_bucket,
    to_bucket,
    count(*) AS loans,
    round(count(*) / sum(count(*)) OVER (PARTITION BY from_bucket), 4) AS share
FROM pairs
GROUP BY from_bucket, to_bucket
ORDER BY from_bucket, to_bucket
