"""A run's snapshot and everything read from it: run folders, the server's lookup files,
segments, members, profiles, worklists, history and exports."""
