"""The operator's pages: organisations and their coordinators, platform fee schedules."""
