"""Training: organisations run cohorts on curricula; graduates earn skills and certificates."""
