-- Probability of default by segment
-- Each customer's latest risk-model PD, averaged by sector, by business profile and by size band (verified annual turnover: under ₹50 lakh, ₹50 lakh to ₹2 crore, ₹2 to ₹10 crore, ₹10 crore and above, the micro limit); high_risk_share is the share in the ELEVATED or HIGH band.
WITH latest AS (
    SELECT * FROM scores
    QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY as_of DESC) = 1
), segments AS (
    SELECT 'sector' AS segment_type, coalesce(sector, 'unknown') AS segment, pd, risk_band FROM latest
    UNION ALL
    SELECT 'profile', coalesce(profile, 'unknown'), pd, risk_band FROM latest
    UNION ALL
    SELECT 'size_band',
           CASE WHEN annual_turnover IS NULL THEN 'unknown'
                WHEN annual_turnover < 5e6 THEN 'under ₹50 lakh'
                WHEN annual_turnover < 2e7 THEN '₹50 lakh to ₹2 crore'
                WHEN annual_turnover < 1e8 THEN '₹2 to ₹10 crore'
                ELSE '₹10 crore and above' END,
           pd, risk_band
    FROM latest
)
SELECT
    segment_type,
    segment,
    count(*) AS customers,
    round(avg(pd), 4) AS avg_pd,
    round(median(pd), 4) AS median_pd,
    round(max(pd), 4) AS max_pd,
    round(avg(CASE WHEN risk_band IN ('ELEVATED', 'HIGH') THEN 1 ELSE 0 END), 4) AS high_risk_share
FROM segments
WHERE pd IS NOT NULL
GROUP BY segment_type, segment
ORDER BY segment_type, customers DESC, segment
