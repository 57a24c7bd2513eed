-- Concentration by sector
-- Booked principal of the loans not closed, by the borrower's sector (from their latest score): loans, customers, exposure in ₹ and share of the book; hhi is the Herfindahl-Hirschman index of the sector shares (sum of squared percentage shares, 0-10,000; above 2,500 is highly concentrated), the same on every row.
WITH sector_of AS (
    SELECT customer_id, arg_max(sector, as_of) AS sector FROM scores GROUP BY customer_id
), exposure AS (
    SELECT coalesce(s.sector, 'unknown') AS sector, count(*) AS loans,
           count(DISTINCT l.customer_id) AS customers, sum(l.principal) AS exposure_inr
    FROM loans l
    LEFT JOIN sector_of s ON s.customer_id = l.customer_id
    WHERE l.status IS DISTINCT FROM 'CLOSED' AND l.principal IS NOT NULL
    GROUP BY ALL
), shares AS (
    SELECT *, exposure_inr / sum(exposure_inr) OVER () AS share FROM exposure
)
SELECT
    sector,
    loans,
    customers,
    round(exposure_inr, 2) AS exposure_inr,
    round(share, 4) AS exposure_share,
    round(sum(share * share) OVER () * 10000, 1) AS hhi
FROM shares
ORDER BY exposure_inr DESC, sector
