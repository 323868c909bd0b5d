"""Notifications: the in-app inbox, email through an outbox, and what the scheduler did."""
