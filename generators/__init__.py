"""Profile-aware synthetic data for MSME borrowers, in the shapes real sources deliver."""
