-- Vintage curves
-- Loans grouped by disbursal month (the cohort): for each month on book, the share of the cohort's loans that had been 30 or more, and 90 or more, days past due at any re-score up to that month (cumulative), from the loans' risk history.
WITH cohorts AS (
    SELECT strftime(disbursal_date, '%Y-%m') AS cohort, count(*) AS loans
    FROM loans
    WHERE disbursal_date IS NOT NULL
    GROUP BY cohort
), observed AS (
    SELECT l.customer_id, l.loan_id, strftime(l.disbursal_date, '%Y-%m') AS cohort,
           date_diff('month', date_trunc('month', l.disbursal_date), date_trunc('month', r.clock)) AS months_on_book,
           max(r.dpd_now) AS worst_dpd
    FROM loans l
    JOIN risk_history r ON r.customer_id = l.customer_id AND r.loan_id = l.loan_id
    WHERE l.disbursal_date IS NOT NULL AND r.clock IS NOT NULL
    GROUP BY ALL
), points AS (
    SELECT DISTINCT cohort, months_on_book FROM observed WHERE months_on_book >= 0
), cumulative AS (
    SELECT p.cohort, p.months_on_book,
           count(DISTINCT (o.customer_id, o.loan_id)) FILTER (WHERE o.worst_dpd >= 30) AS ever_30_plus,
           count(DISTINCT (o.customer_id, o.loan_id)) FILTER (WHERE o.worst_dpd >= 90) AS ever_90_plus
    FROM points p
    LEFT JOIN observed o ON o.cohort = p.cohort AND o.months_on_book BETWEEN 0 AND p.months_on_book
    GROUP BY p.cohort, p.months_on_book
)
SELECT
    cumulative.cohort,
    months_on_book,
    loans,
    ever_30_plus,
    ever_90_plus,
    round(ever_30_plus / loans, 4) AS cum_30_plus_rate,
    round(ever_90_plus / loans, 4) AS cum_90_plus_rate
FROM cumulative
JOIN cohorts ON cohorts.cohort = cumulative.cohort
ORDER BY cohort, months_on_book
